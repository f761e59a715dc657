"""Shared template blocks: whole-tag runs, tabbed label lines, fixed tables, the kop (signatures are
signatures.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

Container = DocxDocument | _Cell

TEXT_WIDTH_CM = 16.5  # A4 (21 cm) minus left 2.5 cm and right 2 cm margins
SYMBOL_FONT = "Segoe UI Symbol"  # has ☐/☑; LibreOffice falls back to DejaVu Sans
SIGNATURE_GAP = 4  # empty lines left for the signature and the stamp
FORM_GAP = 3  # the same on forms signed by three, whose signatures would otherwise not fit on one page
AREA_BEFORE = 6  # pt between the text and a signature area

_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
_BOX = re.compile(r"([☐☑])")
_FOREIGN = re.compile(r"\*([^*]+)\*")  # *fan*: a foreign term in the template's own text, set in italics
SIGNATURE_CAPTION = "Tanda tangan"  # the table caption (alt text) of every signature area

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


@dataclass(frozen=True)
class Look:
    """Character formatting applied to every run of one call."""

    bold: bool = False
    underline: bool = False
    italic: bool = False
    caps: bool = False
    size: float | None = None
    symbol: bool = False  # a font that has ☐/☑, for a field that prints a check box


PLAIN = Look()
BOLD = Look(bold=True)


def _symbol_font(run_element: CT_R) -> None:
    fonts = run_element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), SYMBOL_FONT)


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """(run text, foreign) in order: a Jinja tag whole; other text split at check boxes and *terms*."""
    for piece in _TAG.split(text):
        if _TAG.fullmatch(piece):
            yield piece, False
            continue
        for index, part in enumerate(_FOREIGN.split(piece)):
            yield from ((chunk, index % 2 == 1) for chunk in _BOX.split(part) if chunk)


def add_text(paragraph: Paragraph, text: str, look: Look = PLAIN) -> None:
    """Append text; every Jinja tag becomes a run of its own, check boxes get a symbol font, and a term
    between asterisks (the template's own '*fan*') is set in italics (EYD: foreign terms)."""
    for chunk, foreign in _pieces(text):
        run = paragraph.add_run(chunk)
        if look.bold:
            run.bold = True
        if look.italic or foreign:
            run.italic = True
        if look.underline:
            run.underline = True
        if look.caps:
            run.font.all_caps = True
        if look.size is not None:
            run.font.size = Pt(look.size)
        if look.symbol or chunk in ("☐", "☑") or chunk.startswith("{{ cek."):
            _symbol_font(run._r)


def _drop_placeholder(container: Container) -> None:
    """A new or merged cell holds one bare <w:p/>; the first block written into it replaces it."""
    if isinstance(container, _Cell):
        blocks = container._tc.xpath("./w:p | ./w:tbl")
        if len(blocks) == 1 and blocks[0].tag == qn("w:p") and len(blocks[0]) == 0:
            container._tc.remove(blocks[0])


def par(
    container: Container,
    text: str = "",
    look: Look = PLAIN,
    *,
    style: str | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    left: float | None = None,
    first: float | None = None,
    tabs: Sequence[float] = (),
    keep: bool = False,
    before: float | None = None,
    after: float | None = None,
) -> Paragraph:
    """A new paragraph at the end of `container` (indents and tab stops in cm)."""
    _drop_placeholder(container)
    paragraph = container.add_paragraph(style=style)
    paragraph._p.get_or_add_pPr()  # never bare, so it is never taken for a cell's placeholder
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if left is not None:
        fmt.left_indent = Cm(left)
    if first is not None:
        fmt.first_line_indent = Cm(first)
    for stop in tabs:
        fmt.tab_stops.add_tab_stop(Cm(stop))
    if keep:
        fmt.keep_with_next = True
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    add_text(paragraph, text, look)
    return paragraph


def hanging(
    container: Container,
    text: str,
    *,
    at: float,
    start: float = 0.0,
    tabs: Sequence[float] = (),
    look: Look = PLAIN,
    style: str | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    keep: bool = False,
) -> Paragraph:
    """A paragraph starting at `start` whose wrapped lines (and last tab) align at `at`."""
    stops = sorted({*tabs, at})
    return par(container, text, look, style=style, align=align, left=at, first=start - at, tabs=stops,
               keep=keep)


@dataclass(frozen=True)
class Labels:
    """Geometry of a "Label : value" list: label starts at `start`, colon at `colon`, value at `value`."""

    start: float
    colon: float
    value: float
    style: str | None = None


def field(container: Container, labels: Labels, label: str, value: str, *, number: str = "",
          number_at: float | None = None) -> Paragraph:
    """One "Label : value" line aligned by tab stops; a long value wraps under itself."""
    if number:
        anchor = labels.start - 0.6 if number_at is None else number_at
        text = f"{number}\t{label}\t:\t{value}"
        return hanging(container, text, at=labels.value, start=anchor,
                       tabs=(labels.start, labels.colon), style=labels.style)
    return hanging(container, f"{label}\t:\t{value}", at=labels.value, start=labels.start,
                   tabs=(labels.colon,), style=labels.style)


def continuation(container: Container, labels: Labels, value: str) -> Paragraph:
    """A line under the previous value with no label (e.g. the NIP under a name)."""
    return hanging(container, value, at=labels.value, start=labels.value, style=labels.style)


# Schema order of the property elements we add: Word rejects a file whose children are out of order.
_ORDER = {
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
                "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
               "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
              "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
              "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
              "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
              "w:sectPr", "w:pPrChange"),
    "w:tblBorders": ("w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"),
    "w:pBdr": ("w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"),
    "w:tblCellMar": ("w:top", "w:left", "w:bottom", "w:right"),
}


def set_element(element: BaseOxmlElement, tag: str, **attrs: str) -> BaseOxmlElement:
    """Get or create child `tag` (in schema order) and set its w: attributes."""
    child: BaseOxmlElement | None = element.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = next((seq for parent, seq in _ORDER.items() if element.tag == qn(parent)), ())
        later = {qn(t) for t in order[order.index(tag) + 1:]} if tag in order else set()
        successor = next((c for c in element if c.tag in later), None)
        if successor is None:
            element.append(child)
        else:
            successor.addprevious(child)
    for key, val in attrs.items():
        child.set(qn(f"w:{key}"), val)
    return child


def _twips(cm: float) -> str:
    return str(round(cm * 567))


def table(container: Container, widths: Sequence[float], rows: int, *, grid: bool = True,
          margin: float | None = None, indent: float | None = None) -> Table:
    """A fixed-layout table with exact column widths (cm) and no autofit; centred unless indented."""
    _drop_placeholder(container)
    tbl = container.add_table(rows, len(widths))  # in a cell, python-docx closes it with an empty paragraph
    if grid:
        tbl.style = "Table Grid"
    tbl.autofit = False
    tbl_pr = tbl._tbl.tblPr
    if indent is None:
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    else:
        set_element(tbl_pr, "w:tblInd", w=_twips(indent), type="dxa")
    set_element(tbl_pr, "w:tblW", w=_twips(sum(widths)), type="dxa")
    set_element(tbl_pr, "w:tblLayout", type="fixed")
    if margin is not None:
        mar = set_element(tbl_pr, "w:tblCellMar")
        for side in ("left", "right"):
            set_element(mar, f"w:{side}", w=_twips(margin), type="dxa")
    for col, width in zip(tbl.columns, widths, strict=True):
        col.width = Cm(width)
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return tbl


def merge_row(tbl: Table, row: int, first: int = 0, last: int | None = None) -> _Cell:
    """Merge cells first..last of a row into one (its width is the sum)."""
    cells = tbl.rows[row].cells
    merged: _Cell = cells[first].merge(cells[len(cells) - 1 if last is None else last])
    return merged


def header_row(tbl: Table, row: int = 0, shade: str = "D9D9D9", *, repeat: bool = True) -> None:
    """Shade the row lightly, keep it with the row below and (by default) repeat it on every page."""
    if repeat:
        set_element(tbl.rows[row]._tr.get_or_add_trPr(), "w:tblHeader")
    for cell in tbl.rows[row].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
        set_element(cell._tc.get_or_add_tcPr(), "w:shd", val="clear", color="auto", fill=shade)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def keep_rows(tbl: Table) -> None:
    """Never split a row over two pages."""
    for row in tbl.rows:
        set_element(row._tr.get_or_add_trPr(), "w:cantSplit")


def keep_together(tbl: Table) -> None:
    """Keep every row with the next (Word and LibreOffice then move a short table as a whole)."""
    for row in tbl.rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def min_height(tbl: Table, row: int, cm: float) -> None:
    tbl.rows[row].height = Cm(cm)


def no_borders(tbl: Table) -> None:
    borders = set_element(tbl._tbl.tblPr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        set_element(borders, f"w:{side}", val="nil")


def loop_row(tbl: Table, row: int, tag: str) -> None:
    """A docxtpl `{%tr … %}` row: one merged cell holding the tag (docxtpl drops the whole row)."""
    cell = merge_row(tbl, row)
    par(cell, tag, style="Isi Tabel Rapat")


def device_table(document: DocxDocument, loop: str, columns: tuple[tuple[str, str, float], ...]) -> None:
    """Header row, `{%tr for %}` row, one data row, `{%tr endfor %}` row. A key 'a/b' prints two fields
    on two lines of one cell (a serial number over its kode barang)."""
    tbl = table(document, [width for _, _, width in columns], 4, margin=0.08)
    for cell, (heading, _, _) in zip(tbl.rows[0].cells, columns, strict=True):
        par(cell, heading, BOLD, style="Isi Tabel Rapat", align=CENTER)
    header_row(tbl)
    loop_row(tbl, 1, f"{{%tr for d in {loop} %}}")
    for index, (cell, (_, keys, _)) in enumerate(zip(tbl.rows[2].cells, columns, strict=True)):
        for key in keys.split("/"):
            par(cell, f"{{{{ d.{key} }}}}", style="Isi Tabel Rapat", align=CENTER if index == 0 else None)
    loop_row(tbl, 3, "{%tr endfor %}")
    keep_rows(tbl)


# -- the kop ---------------------------------------------------------------------------------------

KOP_LOGO_CM = 2.5


def add_kop(document: DocxDocument) -> None:
    """Letterhead in the body of page 1: the lambang daerah beside the centred names, or, without
    templates_docx/logo.png, the names centred on the whole width; then the thick-thin kop line."""
    tbl = table(document, (KOP_LOGO_CM, TEXT_WIDTH_CM - KOP_LOGO_CM), 5, grid=False, margin=0.05)
    no_borders(tbl)
    loop_row(tbl, 0, "{%tr if kop.logo %}")
    logo, names = tbl.rows[1].cells
    loop_row(tbl, 2, "{%tr else %}")
    whole = merge_row(tbl, 3)
    loop_row(tbl, 4, "{%tr endif %}")
    for cell in (logo, names, whole):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    par(logo, "{{ kop.logo }}", style="Tanpa Spasi", align=CENTER)
    for cell in (names, whole):
        par(cell, "{{ kop.pemerintah }}", Look(bold=True, size=14), style="Tanpa Spasi", align=CENTER)
        par(cell, "{{ kop.dinas }}", Look(bold=True, size=16), style="Tanpa Spasi", align=CENTER)
        par(cell, "{{ kop.alamat }}", Look(size=10), style="Tanpa Spasi", align=CENTER)
        par(cell, "{{ kop.kontak }}", Look(size=10), style="Tanpa Spasi", align=CENTER)
    line = par(document, "", Look(size=2), style="Tanpa Spasi", after=10)
    borders = set_element(line._p.get_or_add_pPr(), "w:pBdr")
    set_element(borders, "w:bottom", val="thickThinSmallGap", sz="24", space="1", color="000000")


def title(document: DocxDocument, text: str, *, size: float | None = None, underline: bool = False,
          caps: bool = False, bold: bool = True) -> Paragraph:
    """A centred title line; not bold ("NOMOR …", "TENTANG") is a plain centred line kept with the next."""
    look = Look(underline=underline, caps=caps, size=size)
    if bold:
        return par(document, text, look, style="Judul")
    return par(document, text, look, style="Tanpa Spasi", align=CENTER, keep=True)


# -- the outline of a laporan: A. BAB, 1. subbab, its text, a. items ----------------------------------


def chapter(document: DocxDocument, letter: str, text: str) -> None:
    """'A.  PENDAHULUAN'."""
    hanging(document, f"{letter}\t{text}", at=0.6, style="Subjudul")


def section(document: DocxDocument, number: str, text: str) -> None:
    """'1.  Umum', kept with its text."""
    hanging(document, f"{number}\t{text}", at=1.2, start=0.6, keep=True)


def body(document: DocxDocument, text: str, *, left: float = 1.2, keep: bool = False) -> None:
    """A section's text, indented under its heading."""
    par(document, text, style="Isi Naskah", left=left, keep=keep)


def item(document: DocxDocument, number: str, text: str, *, start: float = 1.2) -> None:
    """'a.  …', hanging under its number."""
    hanging(document, f"{number}\t{text}", at=start + 0.6, start=start, style="Isi Naskah")
