"""Packs each finished request's folder into outbox/_arsip/<tahun>/ as a zip with SHA256SUMS and
MANIFEST.json — a new version beside the old whenever the request changed, never an overwrite — and tells
when a request changed after its newest archive. Re-checking the archives is outbox/verify.py."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from itertools import count
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.errors import OutboxError
from pipeline.outbox import files as ob
from pipeline.outbox import pdf as pdfs
from pipeline.outbox.folders import request_folder
from pipeline.outbox.manifest import MANIFEST as MANIFEST_NAME
from pipeline.outbox.manifest import Manifest
from pipeline.outbox.verify import ARCHIVE_DIR, MANIFEST, MAX_MANIFEST_BYTES, SUMS, read_capped
from pipeline.problems import Problem, error, warning
from pipeline.register import columns as C
from pipeline.register.reader import Record, Register
from pipeline.settings import Settings
from pipeline.sop.steps import STEPS
from pipeline.validate import Assessment, Validation

log = logging.getLogger(__name__)

FORMAT = 1
CHANGED = "berubah setelah diarsipkan"
_FINAL_STEP = STEPS[-1].number
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry times: the same files always make the same entries
# Packed, never compared: STATUS.txt carries today's date.
_INFO_ONLY = frozenset({"STATUS.txt", MANIFEST_NAME})


@dataclass
class ArchiveReport:
    created: list[Path] = field(default_factory=list)
    unchanged: int = 0  # finished requests whose newest archive is still exactly what they are
    # (No. Agenda, why): finished, not archived now
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    pdf: pdfs.PdfReport | None = None

    def summary(self) -> str:
        text = f"Arsip: {len(self.created)} dibuat, {self.unchanged} tidak berubah"
        if self.skipped:
            text += f", {len(self.skipped)} permohonan selesai belum dapat diarsipkan"
        return text + "."


def is_finished(a: Assessment) -> bool:
    """Step 12 (Selesai) is recorded."""
    return any(s.number == _FINAL_STEP for s, _ in a.done)


def archive_path(outbox: Path, folder: Path, version: int) -> Path:
    name = f"{folder.name}.zip" if version == 1 else f"{folder.name} (versi {version}).zip"
    return ob.inside(outbox, ARCHIVE_DIR, folder.parent.name, name)


def archive_versions(outbox: Path, folder: Path) -> list[tuple[int, Path]]:
    """Every archive of ``folder``, oldest first: (1, '<folder>.zip'), (2, '<folder> (versi 2).zip'), …"""
    where = archive_path(outbox, folder, 1).parent
    if not where.is_dir():
        return []
    pattern = re.compile(re.escape(folder.name) + r"(?: \(versi (\d+)\))?\.zip")
    found = [(int(m.group(1) or 1), p) for p in where.iterdir() if (m := pattern.fullmatch(p.name))]
    return sorted(v for v in found if v[1].is_file())


def request_values(record: Record, devices: Iterable[Record] = ()) -> dict[str, Any]:
    """The request's register values as text and ISO dates, under the blank register's headers."""
    return {"permohonan": _values(C.PERMOHONAN, record),
            "perangkat": sorted((_values(C.PERANGKAT, d) for d in devices), key=_canonical)}


def changed_since_archive(outbox: Path, folder: Path, values: Mapping[str, Any] | None = None) -> bool:
    """True when ``folder`` has an archive and its documents — and, given ``values`` (request_values), its
    register data — differ from the newest one."""
    return bool(archive_change(outbox, folder, values))


def archive_change(outbox: Path, folder: Path, values: Mapping[str, Any] | None = None) -> str:
    """What changed since the newest archive, in Indonesian ("" when not archived, or nothing changed)."""
    versions = archive_versions(outbox, folder)
    if not versions:
        return ""
    return _change_against(versions[-1][1], folder, values)


def mark_changed_since_archive(outbox: Path, validation: Validation,
                               memo: FileMemo | None = None) -> Validation:
    """``validation`` with a warning 'berubah setelah diarsipkan' on every request that changed since its
    newest archive — so STATUS.txt, REKAP.xlsx and the terminal all show it."""
    index = archive_index(outbox)
    if not index:
        return validation
    devices = _devices(validation.register)
    marked = []
    for a in validation.assessments:
        folder = request_folder(outbox, a)
        versions = index.get((folder.parent.name, folder.name)) if folder else None
        if folder is not None and versions and not any(CHANGED in p.message for p in a.problems):
            newest = max(versions)[1]
            values = request_values(a.record, devices.get(a.agenda, []))
            reason = _change_against(newest, folder, values, memo)
            if reason:
                changed = _changed_warning(a, validation, newest, outbox, reason)
                a = replace(a, problems=(*a.problems, changed))
        marked.append(a)
    return replace(validation, assessments=tuple(marked))


def archive_requests(settings: Settings, validations: Sequence[Validation], pdf: bool = False,
                     unsettled: Collection[Path] = (), now: datetime | None = None,
                     progress: Callable[[int, int], None] | None = None) -> ArchiveReport:
    """Archive every request whose step 12 is recorded and that has no errors. Call after process(), so the
    folders match the register; ``unsettled`` (see process.unsettled_folders) are left for the next run.
    ``progress(done, total)``: requests archived so far."""
    now = now or datetime.now()
    report = ArchiveReport()
    todo: list[tuple[Assessment, Validation, list[Record], Path]] = []
    seen: set[Path] = set()
    for v in validations:
        devices = _devices(v.register)
        for a in v.assessments:
            if not is_finished(a):
                continue
            folder = request_folder(settings.outbox, a)
            why = _why_not(a, v, folder, seen, unsettled)
            if why:
                report.skipped.append((a.agenda, why))
                continue
            assert folder is not None
            seen.add(folder)
            todo.append((a, v, devices.get(a.agenda, []), folder))
    if pdf and todo:
        report.pdf = pdfs.convert_to_pdf([d for *_, f in todo for d in pdfs.folder_documents(f)], pdfa=True)
        if not report.pdf.missing_soffice:  # without LibreOffice the documents are archived without PDF
            failed = {d.parent for d in report.pdf.failed}
            report.skipped += [(a.agenda, "PDF belum dapat dibuat; dicoba lagi pada putaran berikutnya")
                               for a, _, _, f in todo if f in failed]
            todo = [t for t in todo if t[3] not in failed]
    for n, (a, v, own_devices, folder) in enumerate(todo, start=1):
        if progress:
            progress(n - 1, len(todo))
        try:
            _archive_one(settings.outbox, a, v, own_devices, folder, now, report)
        except (OSError, OutboxError) as err:
            report.problems.append(error("", None, "", folder.name,
                                         f"Arsip No. Agenda {a.agenda} tidak dapat ditulis: {err}",
                                         "Periksa ruang disk dan izin tulis outbox/_arsip.", agenda=a.agenda))
    if progress and todo:
        progress(len(todo), len(todo))
    return report


def _why_not(a: Assessment, v: Validation, folder: Path | None, seen: set[Path],
             unsettled: Collection[Path]) -> str:
    if a.held or v.blocked:
        return "ada galat; perbaiki register dulu (lihat STATUS.txt)"
    if folder is None:
        return "No. Agenda, Perangkat Daerah atau Tanggal Diterima belum terbaca"
    if folder in seen:
        return "No. Agenda yang sama sudah diarsipkan dari register lain"
    if folder in unsettled:
        return "dokumennya belum dapat diperbarui (terkunci atau gagal ditulis); dicoba lagi nanti"
    if not folder.is_dir():
        return "folder dokumennya belum ada; jalankan 'sop-pipeline run' dulu"
    return ""


def _archive_one(outbox: Path, a: Assessment, v: Validation, devices: list[Record], folder: Path,
                 now: datetime, report: ArchiveReport) -> None:
    # Read every file once: the zip, its SHA256SUMS and the comparison all see the same bytes.
    contents = {p.name: ob.read_regular(p) for p in _packed_files(folder)}
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    values = request_values(a.record, devices)
    versions = archive_versions(outbox, folder)
    if versions:
        stored = _read_manifest(versions[-1][1])
        if stored is not None and not _difference(stored, hashes, _digest(values)):
            report.unchanged += 1
            _remember(outbox, folder, versions[-1][1])  # archives made before the folder kept a record
            return
    for number in count(versions[-1][0] + 1 if versions else 1):
        target = archive_path(outbox, folder, number)
        if target.exists():
            continue
        manifest = _manifest(a, v, folder, values, contents, hashes, number, now)
        data = _zip_bytes(contents, manifest)
        if ob.atomic_write(target, data, overwrite=False, root=outbox):  # never overwrites, never via a link
            report.created.append(target)
            log.info("Diarsipkan: %s", target)
            _remember(outbox, folder, target, hashlib.sha256(data).hexdigest())
            return


def _remember(outbox: Path, folder: Path, archive: Path, digest: str = "") -> None:
    """Record ``archive`` in the folder's _manifest.json: `arsip --verify` then notices if it disappears."""
    manifest = Manifest.load(folder)
    name = archive.relative_to(outbox.resolve()).as_posix()
    if name in manifest.archives:
        return
    manifest.archives[name] = digest or pdfs.sha256_file(archive)
    manifest.save()


def _packed_files(folder: Path) -> list[Path]:
    """Documents, their PDFs, STATUS.txt and _manifest.json; not _riwayat/, owner or temporary files, nor a
    PDF we made from a document that has changed since (it would contradict the document)."""
    manifest = Manifest.load(folder)
    files = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("~$", ".")) or path.name == ob.HISTORY:
            continue
        if ob.is_link(path):  # packing it would copy whatever it points at into the archive
            raise OutboxError(f"'{folder.name}/{path.name}' adalah tautan (symlink); hapus tautan itu, "
                              "arsip tidak menyalin melalui tautan")
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        current_pdf = suffix == ".pdf" and not pdfs.is_stale(path, manifest)
        if path.name in _INFO_ONLY or suffix == ".docx" or current_pdf:
            files.append(path)
    return files


def _manifest(a: Assessment, v: Validation, folder: Path, values: dict[str, Any],
              contents: Mapping[str, bytes], hashes: Mapping[str, str], number: int,
              now: datetime) -> dict[str, Any]:
    recorded = Manifest.load(folder).entries
    files = []
    for name in sorted(contents):
        entry: dict[str, Any] = {"berkas": name, "sha256": hashes[name], "ukuran": len(contents[name])}
        written = recorded.get(name, {})
        if "sidik" in written:
            entry.update(sidik=written["sidik"], templat=written.get("templat", ""))
        made = written.get("pdf")
        if isinstance(made, dict):
            entry.update(dokumen=made.get("dokumen", ""), pdfa=bool(made.get("pdfa")))
        files.append(entry)
    return {
        "format": FORMAT, "aplikasi": "sop-pipeline", "versi_pipeline": __version__,
        "diarsipkan": now.isoformat(timespec="seconds"), "versi_arsip": number,
        "folder": f"{folder.parent.name}/{folder.name}", "register": v.register.name, "baris": a.record.row,
        "no_agenda": a.agenda, "perangkat_daerah": a.record.text("perangkat_daerah"),
        "langkah": [{"langkah": s.number, "nama": s.name, "tanggal": d.isoformat()} for s, d in a.done],
        "data": values, "sidik_register": _digest(values), "berkas": files,
    }


def _zip_bytes(contents: Mapping[str, bytes], manifest: Mapping[str, Any]) -> bytes:
    entries = dict(contents)
    entries[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    entries[SUMS] = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                            for name, data in sorted(entries.items())).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()


class FileMemo:
    """What was computed from a file (its hash, an archive's manifest), remembered by size and modification
    time. A watcher keeps one between cycles, so an unchanged archive is not hashed or unzipped again."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Path, str], tuple[int, int, Any]] = {}

    def get(self, path: Path, kind: str, compute: Callable[[Path], Any]) -> Any:
        try:
            st = path.stat()
        except OSError:
            return None
        seen = self._seen.get((path, kind))
        if seen and seen[:2] == (st.st_size, st.st_mtime_ns):
            return seen[2]
        value = compute(path)
        self._seen[(path, kind)] = (st.st_size, st.st_mtime_ns, value)
        return value


def _read_manifest(path: Path, memo: FileMemo | None = None) -> dict[str, Any] | None:
    return (memo or FileMemo()).get(path, "manifest", _unzip_manifest)  # type: ignore[no-any-return]


def _unzip_manifest(path: Path) -> dict[str, Any] | None:
    try:
        with zipfile.ZipFile(path) as zf:
            data = json.loads(read_capped(zf, MANIFEST, MAX_MANIFEST_BYTES).decode("utf-8"))
    except (OSError, KeyError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
            zlib.error):
        return None
    return data if isinstance(data, dict) else None


def _difference(stored: Mapping[str, Any], hashes: Mapping[str, str], register_digest: str | None) -> str:
    """What differs between an archive's MANIFEST.json and the folder now, in Indonesian ("" when nothing)."""
    old = {f.get("berkas"): f.get("sha256") for f in stored.get("berkas", []) if isinstance(f, dict)}
    old = {k: v for k, v in old.items() if k not in _INFO_ONLY}
    now = {k: v for k, v in hashes.items() if k not in _INFO_ONLY}
    parts = []
    if register_digest is not None and stored.get("sidik_register") != register_digest:
        parts.append("data di register berubah")
    for label, names in (("dokumen berubah", [n for n in now if n in old and now[n] != old[n]]),
                         ("dokumen baru", [n for n in now if n not in old]),
                         ("tidak ada lagi di folder", [n for n in old if n not in now])):
        if names:
            parts.append(f"{label}: {', '.join(sorted(str(n) for n in names))}")
    return "; ".join(parts)


def _change_against(archive: Path, folder: Path, values: Mapping[str, Any] | None,
                    memo: FileMemo | None = None) -> str:
    memo = memo or FileMemo()
    stored = _read_manifest(archive, memo)
    if stored is None:
        return f"arsip terakhir '{archive.name}' tidak dapat dibaca"
    try:
        files = _packed_files(folder) if folder.is_dir() else []
        hashes = {p.name: memo.get(p, "sha256", pdfs.sha256_file) for p in files if p.name not in _INFO_ONLY}
    except (OSError, OutboxError) as err:  # a folder this account cannot read, a link in it
        return f"folder dokumennya tidak dapat diperiksa ({err})"
    return _difference(stored, hashes, _digest(values) if values is not None else None)


def _changed_warning(a: Assessment, v: Validation, newest: Path, outbox: Path, reason: str) -> Problem:
    root = outbox.resolve()
    shown = newest.relative_to(root).as_posix() if newest.is_relative_to(root) else newest
    problem = warning(C.PERMOHONAN.name, a.record.row, "", "",
                      f"Permohonan ini {CHANGED} ({shown}): {reason}.",
                      "Jalankan 'sop-pipeline arsip' untuk menyimpan versi baru di samping arsip lama "
                      "(arsip lama tidak diubah).", agenda=a.agenda)
    return replace(problem, source=v.register.name)


def archive_index(outbox: Path) -> dict[tuple[str, str], list[tuple[int, Path]]]:
    """(tahun, folder name) → its archives, from one listing of outbox/_arsip/."""
    root = outbox.resolve() / ARCHIVE_DIR
    index: dict[tuple[str, str], list[tuple[int, Path]]] = defaultdict(list)
    if not root.is_dir() or ob.is_link(root):
        return index
    pattern = re.compile(r"(.+?)(?: \(versi (\d+)\))?\.zip")
    try:
        for year in root.iterdir():
            if not year.is_dir() or ob.is_link(year):
                continue
            for path in year.iterdir():
                m = pattern.fullmatch(path.name)
                if m and not path.name.startswith(ob.TEMP_PREFIX) and not ob.is_link(path):
                    index[(year.name, m.group(1))].append((int(m.group(2) or 1), path))
    except OSError as err:  # a folder this account cannot read: no archive is compared, none is lost
        log.warning("%s tidak dapat dibaca: %s", root, err)
    return index


def _devices(register: Register) -> dict[str, list[Record]]:
    devices: dict[str, list[Record]] = defaultdict(list)
    for d in register.perangkat:
        devices[d.text("no_agenda")].append(d)
    return devices


def _values(sheet: C.Sheet, record: Record) -> dict[str, str]:
    out = {}
    for key, value in record.values.items():
        text = value.isoformat() if isinstance(value, (date, time)) else "" if value is None else str(value)
        if text:
            try:
                out[sheet.column(key).header] = text
            except KeyError:
                out[key] = text
    return out


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _digest(values: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(values).encode("utf-8")).hexdigest()
