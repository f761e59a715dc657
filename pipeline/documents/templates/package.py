"""A lean, reproducible .docx package for the templates: hand-written styles, no unused parts, fixed zip."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document as DocxDocument

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Everything is fixed so that two builds give the same bytes (docs/LIBRARIES.md, 'docxtpl').
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_TIMESTAMP = "2022-04-08T00:00:00Z"  # the SOP's own date

_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_OPENXML = "http://schemas.openxmlformats.org"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

_CONTENT_TYPES = (
    f'{_XML_DECL}<Types xmlns="{_OPENXML}/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WML}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_WML}.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_WML}.settings+xml"/>'
    f'<Override PartName="/word/footer1.xml" ContentType="{_WML}.footer+xml"/>'
    '<Override PartName="/docProps/core.xml"'
    ' ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)

_ROOT_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
    f'<Relationship Id="rId2" Type="{_OPENXML}/package/2006/relationships/metadata/core-properties"'
    ' Target="docProps/core.xml"/>'
    "</Relationships>"
)

_DOCUMENT_RELS = (
    f'{_XML_DECL}<Relationships xmlns="{_PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_R}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_R}/footer" Target="footer1.xml"/>'
    "</Relationships>"
)


def _field(code: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {code} '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


# 'Halaman 2 dari 3' from page 2 on (titlePg: page 1 has no footer, so a one-page document shows none).
_FOOTER = (
    f'{_XML_DECL}<w:ftr xmlns:w="{_W}" xmlns:r="{_R}"><w:p><w:pPr><w:jc w:val="right"/>'
    '<w:rPr><w:sz w:val="18"/></w:rPr></w:pPr>'
    '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">Halaman </w:t></w:r>'
    + _field("PAGE")
    + '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> dari </w:t></w:r>'
    + _field("NUMPAGES")
    + "</w:p></w:ftr>"
)

# A4 portrait; margins top 2 cm, bottom 2 cm, left 2.5 cm, right 2 cm (twips: 1 cm = 567).
_DOCUMENT = (
    f'{_XML_DECL}<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>'
    '<w:sectPr><w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1418" w:header="709" w:footer="567"'
    ' w:gutter="0"/><w:cols w:space="708"/><w:titlePg/></w:sectPr>'
    "</w:body></w:document>"
)

# doNotExpandShiftReturn: a justified line ending in a line break (a multi-line value) is not stretched.
# compatibilityMode 15: Word opens the file as a current document, not in compatibility mode.
_SETTINGS = (
    f'{_XML_DECL}<w:settings xmlns:w="{_W}">'
    '<w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>'
    "<w:compat><w:doNotExpandShiftReturn/>"
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
    ' w:val="15"/>'
    "</w:compat></w:settings>"
)

_CELL_MARGINS = (
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
)
_GRID_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def _paragraph_style(style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str = "Normal") -> str:
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based_on}"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>'
    )


# Arial 12 pt, Indonesian proofing, single spacing with 4 pt after: the house style of the naskah dinas.
_STYLES = (
    f'{_XML_DECL}<w:styles xmlns:w="{_W}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    '<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="id-ID" w:eastAsia="en-US" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault>"
    '<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after="80" w:line="240" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault>"
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    "</w:style>"
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
    "</w:style>"
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{_CELL_MARGINS}</w:tblPr></w:style>'
    '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>'
    f"<w:tblPr><w:tblBorders>{_GRID_BORDERS}</w:tblBorders></w:tblPr></w:style>"
    + _paragraph_style("TanpaSpasi", "Tanpa Spasi", '<w:spacing w:after="0"/>')
    + _paragraph_style("Judul", "Judul", '<w:keepNext/><w:spacing w:after="0"/><w:jc w:val="center"/>',
                       "<w:b/><w:bCs/>", based_on="TanpaSpasi")
    + _paragraph_style("Subjudul", "Subjudul", '<w:keepNext/><w:spacing w:before="160" w:after="80"/>',
                       "<w:b/><w:bCs/>")
    + _paragraph_style("IsiNaskah", "Isi Naskah", '<w:spacing w:after="120"/><w:jc w:val="both"/>')
    + _paragraph_style("IsiTabel", "Isi Tabel", "", '<w:sz w:val="22"/><w:szCs w:val="22"/>',
                       based_on="TanpaSpasi")
    + _paragraph_style("IsiTabelRapat", "Isi Tabel Rapat", "", '<w:sz w:val="20"/><w:szCs w:val="20"/>',
                       based_on="TanpaSpasi")
    + "</w:styles>"
)


def _core(title: str) -> str:
    return (
        f"{_XML_DECL}"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>sop-pipeline</dc:creator>"
        "<cp:lastModifiedBy>sop-pipeline</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIMESTAMP}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_TIMESTAMP}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def new_document(title: str) -> DocxDocument:
    """An empty A4 document whose package holds only document, styles, settings and core properties."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "word/document.xml": _DOCUMENT,
        "word/_rels/document.xml.rels": _DOCUMENT_RELS,
        "word/styles.xml": _STYLES,
        "word/settings.xml": _SETTINGS,
        "word/footer1.xml": _FOOTER,
        "docProps/core.xml": _core(title),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    buffer.seek(0)
    return docx.Document(buffer)


def package_bytes(document: DocxDocument) -> bytes:
    """The document as .docx bytes, re-zipped with fixed entry metadata in python-docx's part order."""
    raw = io.BytesIO()
    document.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the host OS is recorded otherwise
            info.external_attr = 0
            target.writestr(info, source.read(member))
    return out.getvalue()
