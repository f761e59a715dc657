"""The documents as printed: every document of every request of the example register, laid out by
LibreOffice (one conversion for the whole module) and read back page by page with poppler's pdftotext.
The rules are the ones a Sekretariat checks before signing (issue 11): no page of signatures alone, no
identifier broken across lines, page numbers, no page holding only the tail of a list."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from test_register import soffice

from pipeline.office.example import example_rows
from pipeline.office.init import init_folder
from pipeline.process import process
from pipeline.register import columns as C
from pipeline.register.values import format_nip, split_list
from pipeline.settings import Settings

pytestmark = pytest.mark.soffice

TODAY = date(2026, 11, 28)
FOOTER = re.compile(r"^Halaman (\d+) dari (\d+)$")
LIST_ITEM = re.compile(r"^(\d+|[a-z])\.\t")


def pdftotext() -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install poppler-utils (pdftotext) for this test")
        pytest.skip("pdftotext (poppler-utils) not installed")
    return exe


@dataclass(frozen=True)
class Printed:
    name: str  # '2016 05 Berita Acara Pekerjaan'
    document: DocxDocument
    pages: list[str]  # the text of each printed page, in reading order

    def lines(self, page: int) -> list[str]:
        return [line.strip() for line in self.pages[page].splitlines() if line.strip()]


def _clean(text: str) -> str:
    """As a reader sees it: a word joiner is invisible, a non-breaking space is a space."""
    return text.replace("\u2060", "").replace("\u00a0", " ")


def short_name(path: Path) -> str:
    """outbox/2026/2016 - BPKPAD/05 Berita Acara Pekerjaan.docx → '2016 05 Berita Acara Pekerjaan'."""
    return f"{path.parent.name.split(' ')[0]} {path.stem}"


def convert(folder: Path, documents: list[Path]) -> dict[str, list[str]]:
    """Each document's pages as text: one LibreOffice run (a private profile) for all of them."""
    staged = folder / "docx"
    staged.mkdir()
    names = {}
    for path in documents:
        name = short_name(path)
        shutil.copyfile(path, staged / f"{name}.docx")
        names[name] = staged / f"{name}.docx"
    subprocess.run([soffice(), f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, names.values())],
                   check=True, capture_output=True, timeout=600)
    out = {}
    for name in names:
        text = subprocess.run([pdftotext(), str(folder / "pdf" / f"{name}.pdf"), "-"], check=True,
                              capture_output=True, text=True).stdout
        out[name] = [_clean(page) for page in text.split("\f")[:-1]]  # each page ends with a form feed
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    pdftotext()
    root = tmp_path_factory.mktemp("contoh")
    init_folder(root, contoh=True)
    process(Settings.build(root=root, today=TODAY, workers=1))
    documents = sorted((root / "outbox" / "2026").glob("*/*.docx"))
    pages = convert(tmp_path_factory.mktemp("pdf"), documents)
    return {short_name(path): Printed(short_name(path), docx.Document(str(path)), pages[short_name(path)])
            for path in documents}


def _cells(document: DocxDocument) -> Iterator[str]:
    """The text of every table cell, nested tables included, in document order."""
    for tc in document.element.body.iter(qn("w:tc")):
        yield _clean("\n".join(Paragraph(p, document).text for p in tc.iter(qn("w:p"))))


def _paragraphs(document: DocxDocument) -> list[str]:
    return [_clean(Paragraph(p, document).text) for p in document.element.body.iter(qn("w:p"))]


def signature_words(document: DocxDocument) -> set[str]:
    """Every word a signature area may hold: the text of every table cell that holds a NIP line (a signer
    with his jabatan, name, pangkat and NIP; and whatever shares that cell), the formula closings
    ('Demikian …') and the page number."""
    words: set[str] = set()
    for cell in _cells(document):
        if re.search(r"\b(NIP|NI PPPK)\.", cell):
            words.update(cell.split())
    for text in _paragraphs(document):
        if text.startswith("Demikian"):
            words.update(text.split())
    return words | {"Halaman", "dari", *map(str, range(1, 10))}


def only_signatures(page: str, words: set[str]) -> bool:
    """A page whose every word belongs to a signature area (or the page number)."""
    found = set(page.split())
    return bool(found) and found <= words


def list_tails(document: DocxDocument) -> list[set[str]]:
    """The words of every numbered list but its first item ('2.\tFormulir …'): what a page holding only
    the tail of a list would hold."""
    tails: list[set[str]] = []
    current: list[str] = []
    for text in [*_paragraphs(document), ""]:
        if LIST_ITEM.match(text):
            current.append(text)
            continue
        if len(current) > 1:
            tails.append({word for item in current[1:] for word in item.split()})
        current = []
    return tails


def only_a_list_tail(page: str, tails: list[set[str]]) -> bool:
    found = set(page.split()) - {"Halaman", "dari", *map(str, range(1, 10))}
    return bool(found) and any(found <= tail for tail in tails)


def identifiers() -> set[str]:
    """What must never break across lines, as the example register holds it: letter and document
    numbers, IP addresses, domains, serial numbers, kode barang, rack positions, NIPs, telephones."""
    rows = example_rows()
    found: set[str] = set()
    for r in rows[C.PERMOHONAN.name]:
        for key in ("nomor_surat", "nomor_pengumuman", "nomor_ba", "nomor_laporan", "telepon_narahubung"):
            found.add(str(r.get(key) or ""))
        for key in ("alamat_ip", "nama_domain"):
            found.update(split_list(str(r.get(key) or "")))
        found.add(format_nip(str(r.get("nip_narahubung") or "")))
    for d in rows[C.PERANGKAT.name]:
        for key in ("nomor_seri", "kode_barang", "lokasi_rak", "alamat_ip"):
            found.add(str(d.get(key) or ""))
    found.update(format_nip(str(p["nip"])) for p in rows[C.PEGAWAI.name])
    found.add(next(s.example for s in C.SETTINGS if s.key == "telepon"))  # '(0271) 495039'
    return {f for f in found if f}


# -- the checks themselves, on pages made up for the purpose ------------------------------------------


def test_a_page_of_signatures_alone_is_recognised() -> None:
    words = {"Mengetahui,", "Sri", "Wahyuningsih,", "NIP.", "19750512", "Halaman", "dari", "2"}
    assert only_signatures("Mengetahui,\nSri Wahyuningsih,\nNIP. 19750512\nHalaman 2 dari 2", words)
    assert not only_signatures("Rincian pemeriksaan\nMengetahui,\nSri Wahyuningsih,", words)
    assert not only_signatures("", words)


def test_a_page_holding_only_the_tail_of_a_list_is_recognised() -> None:
    tails = [{"2.", "Formulir", "Pemeliharaan", "Server", "3.", "Dokumentasi", "foto"}]
    assert only_a_list_tail("2. Formulir Pemeliharaan Server\n3. Dokumentasi foto\nHalaman 3 dari 3", tails)
    assert not only_a_list_tail("Lampiran:\n2. Formulir Pemeliharaan Server", tails)


# -- the example register, printed ------------------------------------------------------------------------


def test_every_document_of_the_example_was_printed(printed: dict[str, Printed]) -> None:
    assert len(printed) >= 35
    assert all(doc.pages for doc in printed.values())


def test_no_page_holds_only_signatures(printed: dict[str, Printed]) -> None:
    bad = [f"{doc.name}, halaman {i + 1}" for doc in printed.values()
           for i, page in enumerate(doc.pages) if only_signatures(page, signature_words(doc.document))]
    assert not bad, "pages holding only signatures: " + "; ".join(bad)


def test_no_identifier_is_broken_across_lines(printed: dict[str, Printed]) -> None:
    """Every identifier the document holds is found whole on one printed line, as often as in the document."""
    wanted = identifiers()
    broken = []
    for doc in printed.values():
        text = "\n".join(_paragraphs(doc.document)) + "\n" + "\n".join(_cells(doc.document))
        lines = "\n".join(doc.pages)
        for ident in wanted:
            if ident in text and ident not in lines:
                broken.append(f"{doc.name}: {ident}")
    assert not broken, "broken across lines: " + "; ".join(sorted(broken))


def test_every_page_after_the_first_is_numbered(printed: dict[str, Printed]) -> None:
    for doc in printed.values():
        numbers = [[m.groups() for line in doc.lines(i) if (m := FOOTER.match(line))]
                   for i in range(len(doc.pages))]
        total = str(len(doc.pages))
        # Page 1 carries the kop and no number (a one-page document has none at all).
        assert numbers[0] == [], doc.name
        assert numbers[1:] == [[(str(i), total)] for i in range(2, len(doc.pages) + 1)], doc.name


def test_no_page_holds_only_the_tail_of_a_list(printed: dict[str, Printed]) -> None:
    bad = [f"{doc.name}, halaman {i + 1}" for doc in printed.values()
           for i, page in enumerate(doc.pages) if i and only_a_list_tail(page, list_tails(doc.document))]
    assert not bad, "pages holding only the end of a list: " + "; ".join(bad)


def test_short_documents_fit_one_page_and_the_formulir_has_its_own(printed: dict[str, Printed]) -> None:
    for name, doc in printed.items():
        if name.endswith(("Lembar Disposisi", "Pengumuman Penghentian Layanan", "Penarikan Perangkat")):
            assert len(doc.pages) == 1, name
        if name.endswith("Berita Acara Pekerjaan"):
            last = doc.lines(len(doc.pages) - 1)
            assert last[0] == "LAMPIRAN BERITA ACARA PEKERJAAN PEMELIHARAAN SERVER", name
            assert last[1].startswith("Nomor: ") and last[2] == "FORMULIR PEMELIHARAAN SERVER", name
            assert not any("LAMPIRAN BERITA ACARA" in page for page in doc.pages[:-1]), name
