"""PDF copies of the documents, made by LibreOffice headless: a private profile per run, a time limit per
document, each PDF written atomically beside its document and recorded in the folder's _manifest.json."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import OutboxError
from pipeline.outbox import files as ob
from pipeline.outbox.manifest import Manifest
from pipeline.problems import Problem, warning

log = logging.getLogger(__name__)

# seconds per document: LibreOffice can hang on a particular file (docs/LIBRARIES.md, 'LibreOffice')
DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = ("Pasang LibreOffice, lalu jalankan lagi. Debian/Ubuntu: 'sudo apt-get install "
                "libreoffice-writer-nogui'. Windows: unduh penginstal dari "
                "https://www.libreoffice.org/download/ (soffice.exe dicari di PATH dan di "
                "C:\\Program Files\\LibreOffice\\program).")
# PDF/A-2b. LibreOffice ≥ 7.4 reads the JSON filter options on the command line; older versions ignore
# them, so the same choice is also written into the private profile, which every version reads.
_PDFA_TARGET = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
_PDFA_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export">\
<prop oor:name="SelectPdfVersion" oor:op="fuse">\
<value>2</value></prop></item>
</oor:items>
"""


@dataclass
class PdfReport:
    written: list[Path] = field(default_factory=list)  # PDFs (re)written
    unchanged: int = 0  # documents whose PDF was already up to date
    failed: list[Path] = field(default_factory=list)  # documents (.docx) left without an up-to-date PDF
    problems: list[Problem] = field(default_factory=list)
    missing_soffice: bool = False

    def summary(self) -> str:
        text = f"PDF: {len(self.written)} ditulis, {self.unchanged} tidak berubah"
        if self.failed:
            text += f", {len(self.failed)} gagal"
        return text + "."


def find_soffice() -> str | None:
    """LibreOffice's command: on PATH, else where the installers put it on Windows and macOS."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _installed_locations():
        if candidate.is_file():
            return str(candidate)
    return None


def _installed_locations() -> list[Path]:
    if sys.platform == "win32":
        # os.environ upper-cases its keys on Windows: this is %ProgramFiles% and %ProgramFiles(x86)%
        roots = [os.environ.get("PROGRAMFILES", r"C:\Program Files"),
                 os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")]
        return [Path(root) / "LibreOffice" / "program" / "soffice.exe" for root in roots]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return []


def missing_soffice_problem() -> Problem:
    return warning("", None, "", "soffice", "LibreOffice (soffice) tidak ditemukan, jadi PDF tidak dibuat. "
                   "Dokumen Word tetap ditulis seperti biasa.", INSTALL_HINT)


def outbox_documents(outbox: Path) -> list[Path]:
    """Every document in the request folders: outbox/<tahun>/<folder>/*.docx (not _riwayat/, not _arsip/)."""
    found: list[Path] = []
    if not outbox.is_dir():
        return found
    for year in sorted(outbox.iterdir()):
        if not (year.is_dir() and year.name.isdigit()) or ob.is_link(year):
            continue
        for folder in sorted(year.iterdir()):
            if folder.is_dir() and not ob.is_link(folder):  # links below outbox/ are never followed
                found += folder_documents(folder)
    return found


def folder_documents(folder: Path) -> list[Path]:
    """The Word documents in one request folder, without Word's owner files and our temporary files."""
    return sorted(p for p in folder.glob("*.docx") if _is_document(p))


def _is_document(path: Path) -> bool:
    return (path.is_file() and not ob.is_link(path) and not path.name.startswith(("~$", "."))
            and path.suffix.lower() == ".docx")


def is_current(document: Path, manifest: Manifest, pdfa: bool = False) -> bool:
    """True when the PDF beside ``document`` was made by us from exactly this document (as PDF/A if asked)."""
    pdf = document.with_suffix(".pdf")
    entry = manifest.entries.get(pdf.name, {})
    record = entry.get("pdf")
    if not isinstance(record, dict) or not pdf.is_file() or not document.is_file():
        return False
    if pdfa and not record.get("pdfa"):
        return False
    return _matches(document, record.get("dari")) and _matches(pdf, record.get("berkas"))


def is_stale(pdf: Path, manifest: Manifest) -> bool:
    """True for a PDF we made whose document has changed since (it no longer shows the document)."""
    record = manifest.entries.get(pdf.name, {}).get("pdf")
    if not isinstance(record, dict) or not _matches(pdf, record.get("berkas")):
        return False  # not ours (a scan, a hand-made PDF): it is what someone put there
    document = pdf.with_name(str(record.get("dokumen", pdf.stem + ".docx")))
    return document.is_file() and not _matches(document, record.get("dari"))


def convert_to_pdf(documents: Sequence[Path], *, pdfa: bool = False, timeout: float = DEFAULT_TIMEOUT,
                   soffice: str | None = None,
                   progress: Callable[[int, int], None] | None = None) -> PdfReport:
    """Write '<document>.pdf' beside each document whose PDF is missing or out of date. Never raises for a
    document that cannot be converted: the problem is reported and the Word document stays as it is.
    ``progress(done, total)``: documents converted so far, after each folder."""
    report = PdfReport()
    todo: dict[Path, list[Path]] = {}
    manifests: dict[Path, Manifest] = {}
    for folder, docs in _by_folder(documents).items():
        manifest = Manifest.load(folder)
        need = [d for d in docs if not is_current(d, manifest, pdfa)]
        report.unchanged += len(docs) - len(need)
        if need:
            todo[folder], manifests[folder] = need, manifest
    if not todo:
        return report
    exe = soffice or find_soffice()
    if exe is None:
        report.missing_soffice = True
        report.problems.append(missing_soffice_problem())
        report.failed += [d for docs in todo.values() for d in docs]
        return report
    with tempfile.TemporaryDirectory(prefix="sop-pdf-") as tmp:
        profile = Path(tmp) / "profil"
        if pdfa:
            (profile / "user").mkdir(parents=True)
            (profile / "user" / "registrymodifications.xcu").write_text(_PDFA_PROFILE, encoding="utf-8")
        total, done = sum(len(d) for d in todo.values()), 0
        if progress:
            progress(0, total)
        for n, (folder, docs) in enumerate(todo.items()):
            outdir = Path(tmp) / f"pdf-{n}"
            failures = _convert_folder(exe, profile, docs, outdir, pdfa, timeout)
            for doc in docs:
                if doc in failures:
                    report.failed.append(doc)
                    report.problems.append(_failed(doc, failures[doc]))
                    continue
                _publish(doc, outdir / f"{doc.stem}.pdf", manifests[folder], pdfa, report)
            try:
                manifests[folder].save()
            except OSError as err:
                report.problems.append(warning("", None, "", folder.name,
                                               f"Manifest di '{folder.name}' tidak dapat ditulis: {err}",
                                               "Periksa izin tulis folder outbox."))
            done += len(docs)
            if progress:
                progress(done, total)
    return report


def _by_folder(documents: Iterable[Path]) -> dict[Path, list[Path]]:
    folders: dict[Path, list[Path]] = defaultdict(list)
    for doc in sorted(set(documents)):
        if _is_document(doc):
            folders[doc.parent].append(doc)
    return folders


def _convert_folder(exe: str, profile: Path, docs: list[Path], outdir: Path, pdfa: bool,
                    timeout: float) -> dict[Path, str]:
    """One LibreOffice start for the whole folder; documents it did not convert are retried one by one so
    that one document that hangs LibreOffice costs only its own PDF. Returns document → why it failed."""
    outdir.mkdir()
    reason = _soffice(exe, profile, docs, outdir, pdfa, timeout * len(docs))
    missing = [d for d in docs if not _valid_pdf(outdir / f"{d.stem}.pdf")]
    if len(docs) == 1 or not missing:
        return {d: reason or "LibreOffice tidak menghasilkan PDF" for d in missing}
    failures: dict[Path, str] = {}
    for doc in missing:
        with contextlib.suppress(OSError):
            (outdir / f"{doc.stem}.pdf").unlink()
        reason = _soffice(exe, profile, [doc], outdir, pdfa, timeout)
        if not _valid_pdf(outdir / f"{doc.stem}.pdf"):
            failures[doc] = reason or "LibreOffice tidak menghasilkan PDF"
    return failures


def _soffice(exe: str, profile: Path, docs: list[Path], outdir: Path, pdfa: bool, timeout: float) -> str:
    """Run LibreOffice once; "" when it exited normally, else why not. Killed with its children on timeout."""
    args = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
            "--convert-to", _PDFA_TARGET if pdfa else "pdf", "--outdir", str(outdir), *map(str, docs)]
    options: dict[str, Any] = {"start_new_session": True} if os.name == "posix" else {
        "creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    log_path = outdir.parent / f"{outdir.name}.log"
    log.debug("LibreOffice: %s", args)
    # Output goes to a file, not a pipe: a leftover child holding a pipe open could block us forever.
    with open(log_path, "ab") as out, subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out,
                                                       stderr=subprocess.STDOUT, **options) as proc:
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            proc.wait()
            return f"LibreOffice tidak selesai dalam {timeout:g} detik dan dihentikan"
    if code != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
        return f"LibreOffice berhenti dengan kode {code}" + (f" ({tail[0]})" if tail else "")
    return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop LibreOffice and the soffice.bin it started, not only the launcher."""
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
    with contextlib.suppress(OSError):
        proc.kill()


def _valid_pdf(path: Path) -> bool:
    """A complete PDF: the header, and the end-of-file marker a killed conversion would not have written."""
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
            fh.seek(max(0, path.stat().st_size - 1024))
            tail = fh.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def _publish(doc: Path, made: Path, manifest: Manifest, pdfa: bool, report: PdfReport) -> None:
    target = doc.with_suffix(".pdf")
    try:
        data = made.read_bytes()
        if os.path.lexists(target) and not _ours(target, manifest):
            # someone else's PDF (a signed scan?) is never lost; a link in its place is refused, not copied
            ob.keep_previous(target, datetime.now(), root=target.parent)
        ob.atomic_write(target, data, root=target.parent)
    except (OSError, OutboxError) as err:
        report.failed.append(doc)
        report.problems.append(warning("", None, "", target.name, f"PDF '{target.name}' tidak dapat ditulis: "
                                       f"{err}", "Tutup PDF itu bila sedang dibuka, lalu jalankan lagi."))
        return
    manifest.entries[target.name] = {"pdf": {"dokumen": doc.name, "dari": _stamp(doc),
                                             "berkas": _stamp(target), "pdfa": pdfa,
                                             "ditulis": datetime.now().isoformat(timespec="seconds")}}
    report.written.append(target)


def _ours(pdf: Path, manifest: Manifest) -> bool:
    record = manifest.entries.get(pdf.name, {}).get("pdf")
    return isinstance(record, dict) and _matches(pdf, record.get("berkas"))


def _failed(doc: Path, reason: str) -> Problem:
    return warning("", None, "", doc.name,
                   f"PDF untuk '{doc.name}' ({doc.parent.name}) tidak dibuat: {reason}.",
                   "Dokumen Word tetap ada. Buka dokumen itu di LibreOffice/Word untuk memeriksanya, lalu "
                   "jalankan lagi.")


def _stamp(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"sha256": sha256_file(path), "ukuran": st.st_size, "mtime_ns": st.st_mtime_ns}


def _matches(path: Path, stamp: object) -> bool:
    """Same content as recorded; the hash is computed only when size or time differ from the record."""
    if not isinstance(stamp, dict):
        return False
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != stamp.get("ukuran"):
        return False
    return st.st_mtime_ns == stamp.get("mtime_ns") or sha256_file(path) == stamp.get("sha256")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
