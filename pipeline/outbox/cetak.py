"""Perlu dicetak: the documents written since a clerk last cleared the list — new, changed values, changed
template — kept in outbox/_log/perlu-dicetak.json; and one PDF of a run's documents to print in one go.

The list grows with every run and every watch cycle (a document written twice appears once) and is
emptied only when a clerk says the documents are printed: `sop-pipeline cetak --selesai`, the choice in
'Perbarui Dokumen.bat', or deleting the JSON file."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import socket
import stat
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from pipeline.outbox import files as ob

log = logging.getLogger(__name__)

LIST_FILE = "perlu-dicetak.json"  # in outbox/_log/
MAX_LIST_BYTES = 64 * 1024 * 1024  # some 200,000 documents: far beyond any office's backlog
PRINT_FOLDER = "cetak"  # outbox/cetak/<tanggal> <jam>.pdf: one PDF of a run's documents

# Why a document was written: decided when the run planned it (outbox/plan.py).
NEW = "dokumen baru"
MISSING = "berkas hilang, dibuat ulang"
TEMPLATE = "templat berubah"
VALUES = "isian berubah"
ARCHIVED_NOTE = "Sudah diarsipkan: jalankan 'sop-pipeline arsip' untuk arsip versi baru."


@dataclass(frozen=True)
class PrintItem:
    """One document to print: where it is (relative to outbox/, with '/'), whose it is, why and when."""

    path: str
    agenda: str
    perangkat_daerah: str
    reason: str
    time: str  # ISO, seconds
    archived: bool = False  # the request already had an archive when the document changed
    register: str = ""

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def folder(self) -> str:
        return str(PurePosixPath(self.path).parent)

    @property
    def title(self) -> str:
        """'Lembar Disposisi' for '01 Lembar Disposisi.docx'."""
        return re.sub(r"^\d+\s+", "", PurePosixPath(self.path).stem)


@dataclass
class PrintList:
    items: list[PrintItem] = field(default_factory=list)
    cleared: str = ""  # ISO time the list was last emptied ("" = never)
    cleared_by: str = ""  # the computer that emptied it

    def digest_part(self) -> list[object]:
        """What REKAP.xlsx shows of the list (its digest changes exactly when this does)."""
        # vars(), not asdict(): the same values, without asdict's deep copy (20 times faster)
        return [self.cleared, self.cleared_by, [list(vars(i).values()) for i in self.items]]


def computer_name() -> str:
    return socket.gethostname().split(".")[0] or "komputer ini"


def list_path(outbox: Path) -> Path:
    return outbox / "_log" / LIST_FILE


def load_list(outbox: Path) -> PrintList:
    """The list as last saved; empty when the file is missing or unreadable (a clerk may delete it)."""
    try:
        # A regular file only, capped: a link to /dev/zero or a named pipe in its place cannot hang a run.
        data = json.loads(ob.read_regular(list_path(outbox), MAX_LIST_BYTES).decode("utf-8"))
        items = [PrintItem(**{k: v for k, v in entry.items() if k in PrintItem.__dataclass_fields__})
                 for entry in data.get("dokumen", [])]
        return PrintList(items, str(data.get("dikosongkan", "")), str(data.get("oleh", "")))
    except (OSError, ValueError, TypeError, AttributeError):
        return PrintList()


def save_list(outbox: Path, printlist: PrintList) -> None:
    body = {"versi": 1, "dikosongkan": printlist.cleared, "oleh": printlist.cleared_by,
            "dokumen": [asdict(i) for i in printlist.items]}
    ob.atomic_write(list_path(outbox), json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))


def add_to_list(outbox: Path, new: Sequence[PrintItem]) -> PrintList:
    """Add a run's documents; drop documents no longer on disk. Saved when it changed. A document already
    listed keeps its one line and its time — since when it waits to be printed — and 'dokumen baru' while
    it has not been printed yet: writing it again before it is printed changes nothing a clerk must do, so
    it changes neither the list nor REKAP.xlsx (which is then not rewritten: an edit stays quick). A run
    that wrote nothing only reads the list: no stat per listed document on every watch cycle."""
    current = load_list(outbox)
    if not new:
        return current
    merged: dict[str, PrintItem] = {i.path: i for i in current.items}
    for item in new:
        old = merged.get(item.path)
        if old is not None:
            reason = old.reason if old.reason in (NEW, MISSING) else _join(old.reason, item.reason)
            item = PrintItem(item.path, item.agenda, item.perangkat_daerah, reason, old.time,
                             old.archived or item.archived, item.register)
        merged[item.path] = item
    root = os.fspath(outbox)
    kept = sorted((i for i in merged.values() if _still_there(os.path.join(root, i.path))),
                  key=lambda i: _natural(i.path))
    result = PrintList(kept, current.cleared, current.cleared_by)
    if result != current:
        save_list(outbox, result)
    return result


def _still_there(path: str) -> bool:
    """A listed document still exists; one this account cannot see (a folder's rights) stays listed."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


def clear_list(outbox: Path, now: datetime | None = None, by: str | None = None) -> int:
    """Empty the list (the documents were printed); returns how many it held."""
    current = load_list(outbox)
    when = (now or datetime.now()).isoformat(timespec="seconds")
    save_list(outbox, PrintList([], when, by or computer_name()))
    log.info("Daftar Perlu dicetak dikosongkan (%d dokumen).", len(current.items))
    return len(current.items)


def _join(old: str, new: str) -> str:
    parts = [p for p in old.split("; ") if p]
    return "; ".join(parts + ([new] if new not in parts else []))


def _natural(text: str) -> list[object]:
    """'2026/9 - X' before '2026/10 - Y': numbers compare as numbers."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.split(r"(\d+)", text) if p]


def link(path: str) -> str:
    """A relative hyperlink target for REKAP.xlsx (which sits in outbox/): works on a mapped drive and
    on a UNC path alike, because Excel and LibreOffice resolve it against the workbook's own folder."""
    return quote(path, safe="/")


def status_link(item: PrintItem) -> str:
    return link(f"{item.folder}/STATUS.txt")


def folder_link(item: PrintItem) -> str:
    return link(item.folder + "/")


def describe_when(iso: str) -> str:
    """'21 Juli 2026 pukul 10.15' for an ISO time ('' stays '')."""
    from pipeline.register.values import format_date
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{format_date(moment.date())} pukul {moment:%H.%M}"


# --- one PDF of the run's documents ----------------------------------------------------------------


@dataclass(frozen=True)
class Combined:
    path: Path | None  # outbox/cetak/<tanggal> <jam>.pdf, None when nothing could be combined
    pages: int = 0
    documents: int = 0
    missing: tuple[Path, ...] = ()  # documents without an up-to-date PDF (not in the combined file)


def combine_pdfs(documents: Iterable[Path], outbox: Path, now: datetime | None = None) -> Combined:
    """One PDF of ``documents`` (their PDFs beside them, in the given order) written to
    outbox/cetak/<tanggal> <jam>.pdf — never over an earlier one: a second in the same minute gets ' (2)'."""
    from pypdf import PdfReader, PdfWriter  # only when a combined PDF is asked for

    writer = PdfWriter()
    missing: list[Path] = []
    count = 0
    for doc in documents:
        pdf = doc.with_suffix(".pdf")
        try:
            reader = PdfReader(pdf)
            for page in reader.pages:
                writer.add_page(page)
            count += 1
        except Exception as err:  # missing, half-written or unreadable: the others still go in
            log.warning("PDF %s tidak dapat digabung: %s", pdf, err)
            missing.append(doc)
    if not count:
        return Combined(None, missing=tuple(missing))
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()
    stamp = (now or datetime.now()).strftime("%Y-%m-%d %H.%M")
    for n in range(1, 1000):
        target = outbox / PRINT_FOLDER / (f"{stamp}.pdf" if n == 1 else f"{stamp} ({n}).pdf")
        if not target.exists() and ob.atomic_write(target, data, overwrite=False):
            return Combined(target, len(writer.pages), count, tuple(missing))
    return Combined(None, missing=tuple(missing))  # a thousand in one minute: something is wrong


def pages_of(pdf: Path) -> int:
    from pypdf import PdfReader
    with contextlib.suppress(Exception):
        return len(PdfReader(pdf).pages)
    return 0
