"""Re-checks the archives in outbox/_arsip/ (`sop-pipeline arsip --periksa`): every member against the
archive's SHA256SUMS and MANIFEST.json, and every archive a request folder recorded against the file there
— so a member changed, added or removed, a damaged zip, and a deleted or replaced archive all show. Also
what an archive holds (its names, its size caps), which outbox/archive.py writes."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.outbox import files as ob
from pipeline.outbox import pdf as pdfs
from pipeline.outbox.manifest import MANIFEST as MANIFEST_NAME
from pipeline.outbox.manifest import Manifest

ARCHIVE_DIR = "_arsip"
SUMS = "SHA256SUMS"
MANIFEST = "MANIFEST.json"
MAX_MANIFEST_BYTES = 8 * 1024 * 1024  # MANIFEST.json or SHA256SUMS of one request: a few kilobytes at most


@dataclass(frozen=True)
class ArchiveFault:
    archive: str  # the archive under outbox/: '_arsip/2026/017 - Dinas Kesehatan.zip'
    member: str  # the file inside it ("" for the archive as a whole)
    kind: str  # 'diubah' | 'hilang' | 'ditambahkan' | 'rusak'
    detail: str = ""

    def describe(self) -> str:
        if self.member:
            what = {"diubah": "isinya berubah (checksum tidak cocok)", "hilang": "hilang dari arsip",
                    "ditambahkan": "ditambahkan ke arsip (tidak tercatat di SHA256SUMS)",
                    "rusak": "rusak"}[self.kind]
            subject = f"berkas '{self.member}' "
        else:
            what = {"diubah": "berubah", "hilang": "tidak ada", "ditambahkan": "ditambahkan",
                    "rusak": "rusak"}[self.kind]
            subject = "arsip ini "
        return f"{self.archive}: {subject}{what}" + (f" — {self.detail}" if self.detail else "")


@dataclass
class Verification:
    checked: list[Path] = field(default_factory=list)
    faults: list[ArchiveFault] = field(default_factory=list)

    def summary(self) -> str:
        missing = len({f.archive for f in self.faults if f.kind == "hilang" and not f.member})
        if not self.checked and not missing:
            return "Belum ada arsip di outbox/_arsip/."
        bad = len({f.archive for f in self.faults if f.member or f.kind != "hilang"})
        text = f"{len(self.checked)} arsip diperiksa: " + (f"{bad} bermasalah" if bad else "semua utuh")
        return text + (f"; {missing} arsip hilang." if missing else ".")


def read_capped(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small member (MANIFEST.json, SHA256SUMS), read with a cap: a zip bomb in _arsip/ must not hold the
    memory of every run. Raises ValueError when the member is larger than ``limit``."""
    with zf.open(name) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{name} lebih dari {limit // (1024 * 1024)} MB")
    return data


def verify_archives(outbox: Path) -> Verification:
    """Re-check every archive under outbox/_arsip/ against its SHA256SUMS (and MANIFEST.json), and every
    archive a request folder recorded (so a deleted or replaced archive shows too)."""
    result = Verification()
    root = outbox / ARCHIVE_DIR
    found: list[Path] = []
    links = [p for p in (root, *(root.rglob("*") if root.is_dir() else ())) if ob.is_link(p)]
    result.faults += [ArchiveFault(p.relative_to(outbox).as_posix(), "", "rusak", "tautan (symlink) di dalam "
                                   "outbox/_arsip tidak diperiksa dan tidak diikuti; hapus tautan itu")
                      for p in links]
    if root.is_dir() and root not in links:
        found = sorted(p for p in root.rglob("*.zip")
                       if p.is_file() and p not in links and not p.name.startswith(ob.TEMP_PREFIX))
    for path in found:
        result.checked.append(path)
        result.faults += verify_archive(path, path.relative_to(outbox).as_posix())
    result.faults += _missing_archives(outbox, found, {f.archive for f in result.faults})
    return result


def _missing_archives(outbox: Path, found: list[Path], faulty: set[str]) -> list[ArchiveFault]:
    """Archives that should be there: recorded in a request folder's _manifest.json, or an earlier version of
    one that is there ('… (versi 3).zip' without '… (versi 2).zip'); and a recorded archive replaced by
    another that checks out by itself (one with faults of its own is reported by those)."""
    present = {p.relative_to(outbox).as_posix(): p for p in found}
    faults: dict[str, ArchiveFault] = {}
    for path in found:
        m = re.fullmatch(r"(.+) \(versi (\d+)\)\.zip", path.name)
        if not m:
            continue
        for number in range(1, int(m.group(2))):
            name = f"{m.group(1)}.zip" if number == 1 else f"{m.group(1)} (versi {number}).zip"
            label = path.with_name(name).relative_to(outbox).as_posix()
            if label not in present:
                faults[label] = ArchiveFault(label, "", "hilang", f"versi sesudahnya ({path.name}) ada")
    for manifest in sorted(outbox.glob(f"*/*/{MANIFEST_NAME}")):
        if manifest.parts[-3].startswith("_"):
            continue  # _arsip/, _log/…: not request folders
        for label, digest in sorted(Manifest.load(manifest.parent).archives.items()):
            parts = PurePosixPath(label).parts
            if len(parts) != 3 or parts[0] != ARCHIVE_DIR or ".." in parts:
                continue  # not a name the pipeline writes: ignored, never followed
            if label not in present:
                faults[label] = ArchiveFault(label, "", "hilang", f"tercatat di {manifest.parent.name}/"
                                             f"{MANIFEST_NAME}, tetapi arsipnya tidak ada")
            elif label not in faulty and pdfs.sha256_file(present[label]) != digest:
                faults[label] = ArchiveFault(label, "", "diubah", "berkas zip bukan lagi yang dibuat saat "
                                             "diarsipkan (diganti atau dibuat ulang)")
    return [faults[k] for k in sorted(faults)]


def verify_archive(path: Path, label: str = "") -> list[ArchiveFault]:
    """Every file missing from, added to or altered in one archive; members are hashed as a stream."""
    label = label or path.name
    faults: list[ArchiveFault] = []
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            if SUMS not in names:
                return [ArchiveFault(label, SUMS, "hilang",
                                     "isi arsip tidak dapat diperiksa tanpa daftar ini")]
            try:
                sums, unreadable = _parse_sums(read_capped(zf, SUMS, MAX_MANIFEST_BYTES))
            except _UNREADABLE as err:
                return [ArchiveFault(label, SUMS, "rusak", f"tidak dapat dibaca: {_why(err)}")]
            faults += [ArchiveFault(label, SUMS, "rusak", f"baris tidak terbaca: {line!r}")
                       for line in unreadable]
            for name, expected in sums.items():
                if name not in names:
                    faults.append(ArchiveFault(label, name, "hilang"))
                    continue
                try:
                    actual = _member_sha256(zf, name)
                except _UNREADABLE as err:
                    faults.append(ArchiveFault(label, name, "diubah", f"tidak dapat dibaca: {_why(err)}"))
                    continue
                if actual != expected:
                    faults.append(ArchiveFault(label, name, "diubah"))
            for name, n in sorted(Counter(names).items()):
                if name != SUMS and name not in sums:
                    faults.append(ArchiveFault(label, name, "ditambahkan"))
                elif n > 1:
                    faults.append(ArchiveFault(label, name, "ditambahkan", f"nama ini ada {n} kali di arsip"))
            faults += _check_manifest(zf, label, sums, {f.member for f in faults})
    except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as err:
        return [ArchiveFault(label, "", "rusak", f"tidak dapat dibuka sebagai zip: {err}")]
    return faults


# What reading one member can raise: damaged data, an encrypted member (RuntimeError), a compression method
# zipfile does not know (NotImplementedError), a member larger than its cap (ValueError).
_UNREADABLE = (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zipfile.BadZipFile,
               zlib.error)


def _why(err: BaseException) -> str:
    if isinstance(err, RuntimeError) and "encrypted" in str(err):
        return "terenkripsi (berkata sandi)"
    if isinstance(err, NotImplementedError):
        return f"metode kompresi tidak dikenal ({err})"
    return str(err) or type(err).__name__


def _member_sha256(zf: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    with zf.open(name) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse_sums(data: bytes) -> tuple[dict[str, str], list[str]]:
    sums: dict[str, str] = {}
    unreadable = []
    for line in data.decode("utf-8", errors="replace").splitlines():
        m = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        if m:
            sums[m.group(2)] = m.group(1)
        elif line.strip():
            unreadable.append(line)
    return sums, unreadable


def _check_manifest(zf: zipfile.ZipFile, label: str, sums: Mapping[str, str],
                    already: set[str]) -> list[ArchiveFault]:
    """MANIFEST.json lists every document's hash too: a file changed together with SHA256SUMS still shows."""
    if MANIFEST not in sums or MANIFEST in already:
        return []
    try:
        stored = json.loads(read_capped(zf, MANIFEST, MAX_MANIFEST_BYTES).decode("utf-8"))
        listed = {f["berkas"]: f["sha256"] for f in stored.get("berkas", [])}
    except (KeyError, TypeError, AttributeError, *_UNREADABLE):
        return [ArchiveFault(label, MANIFEST, "rusak", "isinya tidak terbaca")]
    present = set(zf.namelist())
    return [ArchiveFault(label, name, "diubah" if name in present else "hilang",
                         "tidak cocok dengan MANIFEST.json")
            for name, digest in sorted(listed.items()) if name not in already and sums.get(name) != digest]
