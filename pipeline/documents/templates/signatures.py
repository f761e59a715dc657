"""Signature blocks as Tata Naskah Dinas sets them: jabatan, room to sign, name (bold, underlined), pangkat
and NIP, centred; side by side with 'Mengetahui,' below, or one signer on the right; in an area that never
splits across pages and always takes the end of the text with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import _Cell

from pipeline.documents.templates.blocks import (
    AREA_BEFORE,
    CENTER,
    FORM_GAP,
    JUSTIFY,
    PLAIN,
    SIGNATURE_CAPTION,
    SIGNATURE_GAP,
    TEXT_WIDTH_CM,
    Container,
    Look,
    keep_rows,
    no_borders,
    par,
    set_element,
    table,
)


@dataclass(frozen=True)
class SignatureBlock:
    """One signature: `key` of `ttd.<key>`, and lines printed above the jabatan ("Mengetahui,")."""

    key: str
    above: tuple[str, ...] = ()


def _signature_parts(signer: SignatureBlock, gap: int) -> tuple[list[tuple[str, Look]], ...]:
    """(lines above the jabatan, the jabatan, room to sign + name + pangkat + NIP)."""
    ttd = f"ttd.{signer.key}"
    above = [(text, PLAIN) for text in signer.above]
    jabatan = [(f"{{{{ {ttd}.jabatan }}}}", PLAIN)]
    rest = [("", PLAIN)] * gap + [
        (f"{{{{ {ttd}.nama }}}}", Look(bold=True, underline=True)),
        (f"{{{{ {ttd}.pangkat }}}}", PLAIN),
        (f"{{{{ {ttd}.nip }}}}", PLAIN),
    ]
    return above, jabatan, rest


def _lines(container: Container, lines: Sequence[tuple[str, Look]], *, style: str, left: float | None = None,
           keep_last: bool = False, before: float | None = None) -> None:
    for index, (text, look) in enumerate(lines):
        par(container, text, look, style=style, align=CENTER, left=left,
            keep=keep_last or index < len(lines) - 1, before=before if index == 0 else None)


def signature(container: Container, signer: SignatureBlock, *, left: float | None = None,
              gap: int = SIGNATURE_GAP, style: str = "Tanpa Spasi", before: float | None = None) -> None:
    """Jabatan, room to sign, name (bold, underlined), pangkat, NIP — centred, kept together."""
    _lines(container, [line for part in _signature_parts(signer, gap) for line in part], style=style,
           left=left, before=before)


def _is_control(paragraph: BaseOxmlElement) -> bool:
    """A '{%p … %}' or '{%tr … %}' paragraph: docxtpl removes it with its paragraph or row."""
    text = "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()
    return text.startswith("{%") and text.endswith("%}")


def keep_last_with_next(container: Container) -> None:
    """Keep the last block of `container` (its last real paragraph, or every repeated row of its last
    table) with what comes next."""
    parent = container.element.body if isinstance(container, DocxDocument) else container._tc
    for block in reversed(parent.xpath("./w:p | ./w:tbl")):
        if block.tag == qn("w:p"):
            if _is_control(block):
                continue
            set_element(block.get_or_add_pPr(), "w:keepNext")
        else:
            for row in block.xpath("./w:tr"):
                if not any(_is_control(p) for p in row.iter(qn("w:p"))):
                    for p in row.iter(qn("w:p")):
                        set_element(p.get_or_add_pPr(), "w:keepNext")
        return


def closing(container: Container, paragraphs: Sequence[str], *, left: float | None = None,
            first: float | None = 1.25, keep_text: bool = True) -> None:
    """The closing paragraphs ('Demikian …') before a signature area, kept with it. With `keep_text`
    the text's last paragraph is kept with them too: a formula like 'Demikian …' is not enough, the
    signature page must carry the end of the text (Tata Naskah Dinas: never a page of signatures alone)."""
    if keep_text:
        keep_last_with_next(container)
    for text in paragraphs:
        par(container, text, style="Isi Naskah", left=left, first=first, align=JUSTIFY, keep=True)


def signature_area(container: Container) -> _Cell:
    """One borderless row that cannot split, captioned 'Tanda tangan': no page break falls inside it, and
    Word and LibreOffice both move the paragraphs kept with it (closing()) to its page."""
    outer = table(container, (TEXT_WIDTH_CM,), 1, grid=False, margin=0)
    no_borders(outer)
    keep_rows(outer)
    set_element(outer._tbl.tblPr, "w:tblCaption", val=SIGNATURE_CAPTION)
    area: _Cell = outer.rows[0].cells[0]
    return area


def signatures(document: DocxDocument, signers: Sequence[SignatureBlock], *, dated: str,
               mengetahui: str | None = None, style: str = "Tanpa Spasi", gap: int = FORM_GAP,
               closing_text: Sequence[str] = (), keep_text: bool = True) -> None:
    """Signers side by side, names on one line, and an optional "Mengetahui," block centred below;
    `dated` ("{{ kantor.kota }}, …") is printed above the right-most signer; `closing_text` paragraphs
    ("Demikian …") come first, kept with the signatures (and with the end of the text: closing())."""
    closing(document, closing_text, keep_text=keep_text)
    area = signature_area(document)
    width = TEXT_WIDTH_CM / len(signers)
    par(area, dated, style=style, align=CENTER, left=width * (len(signers) - 1), keep=True,
        before=AREA_BEFORE)
    parts = [_signature_parts(signer, gap) for signer in signers]
    has_above = any(above for above, _, _ in parts)
    inner = table(area, [width] * len(signers), 3 if has_above else 2, grid=False)
    no_borders(inner)
    keep_rows(inner)
    for column, signer_parts in enumerate(parts):
        rows = signer_parts if has_above else signer_parts[1:]
        for row, lines in enumerate(rows):
            cell = inner.rows[row].cells[column]
            if has_above and row == 0:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM  # role lines sit on the jabatan
            _lines(cell, lines, style=style, keep_last=row < len(rows) - 1)
    if mengetahui is not None:
        signature(area, SignatureBlock(mengetahui, ("Mengetahui,",)), style=style, gap=gap)


def signature_right(document: DocxDocument, signer: SignatureBlock, *, left: float = 6.5,
                    closing_text: Sequence[str] = ()) -> None:
    """A single signer in the right part of the page (the usual place for the penanda tangan), after the
    `closing_text` paragraphs, kept with them and the end of the text."""
    closing(document, closing_text)
    signature(signature_area(document), signer, left=left, before=AREA_BEFORE)
