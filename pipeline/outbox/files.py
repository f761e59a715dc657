"""Writes into outbox/ safely: names valid on Windows and Linux, paths kept inside outbox/, atomic
replacement, previous versions kept in _riwayat/, a fingerprint manifest per folder. Never deletes."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import OutboxError

log = logging.getLogger(__name__)

TEMP_PREFIX = ".~sop-"  # our temporary files: cleaned at start, never shown as documents
HISTORY = "_riwayat"
MANIFEST = "_manifest.json"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 80


def safe_name(text: str, fallback: str = "tanpa-nama", limit: int = MAX_NAME) -> str:
    """A file or folder name valid on Windows and Linux that keeps as much of ``text`` as it can."""
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("-", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    name = re.sub(r"^\.+", "", name)
    if len(name) > limit:
        name = name[:limit].rstrip(" .")
    if not name or set(name) <= {"-", " ", "."}:
        name = fallback
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = f"_{name}"
    return name


def request_folder_name(agenda: str, perangkat_daerah: str) -> str:
    """'017 - Dinas Kesehatan'. Different requests never share a folder: a short hash of the exact key is
    added whenever the plain name would not spell the key unambiguously — cleaning changed it, or a part
    holds its own ' - ' that makes the separator ambiguous."""
    raw = f"{agenda} - {perangkat_daerah}"
    name = safe_name(raw, limit=MAX_NAME)
    ambiguous = any(mark in part for part in (agenda, perangkat_daerah) for mark in (" -", "- "))
    if name != raw or ambiguous:
        digest = hashlib.sha256(f"{agenda}\x00{perangkat_daerah}".encode()).hexdigest()[:8]
        name = f"{safe_name(raw, limit=MAX_NAME - 9)} {digest}"
    return name


def inside(root: Path, *parts: str) -> Path:
    """``root/parts…``, refusing anything that would resolve outside ``root``."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise OutboxError(f"jalur keluar dari outbox ditolak: {target}")
    return target


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then replace in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def clean_stale_temps(root: Path) -> int:
    """Remove temporary files a crashed run left behind (only ours: they carry TEMP_PREFIX)."""
    removed = 0
    if not root.is_dir():
        return 0
    for tmp in root.rglob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed += 1
    return removed


def is_locked(path: Path) -> str | None:
    """Why ``path`` cannot be replaced now (open in Word, read-only), or None.

    Word keeps an owner file '~$name' beside an open document (the first two characters of long
    names are replaced), on local disks and network shares alike.
    """
    owners = {path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])}
    for owner in owners:
        if owner.exists():
            return "sedang dibuka di Excel" if path.suffix.lower() == ".xlsx" else "sedang dibuka di Word"
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    # The permission bits, not os.access: a service running as root/Administrator could still replace
    # a file someone marked read-only on purpose.
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return "hanya-baca (read-only)"
    return None


@dataclass
class Manifest:
    """What was written in one request folder: per document file, its fingerprint and content hash."""

    path: Path
    entries: dict[str, dict[str, Any]]
    request_key: str = ""  # digest of everything the request's documents were built from

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            entries = data.get("dokumen", {})
            key = data.get("masukan", "")
        except (OSError, ValueError):
            entries, key = {}, ""
        entries = entries if isinstance(entries, dict) else {}
        return cls(path, {k: v for k, v in entries.items() if isinstance(v, dict)}, str(key))

    def present(self, filename: str) -> bool:
        return filename in self.entries and (self.path.parent / filename).exists()

    def unchanged(self, filename: str, fingerprint: str) -> bool:
        """True when the document on disk is the one last written for this fingerprint."""
        entry = self.entries.get(filename)
        target = self.path.parent / filename
        return bool(entry) and entry.get("sidik") == fingerprint and target.exists()

    def record(self, filename: str, fingerprint: str, content: bytes, extra: Mapping[str, Any]) -> None:
        self.entries[filename] = {"sidik": fingerprint, "sha256": hashlib.sha256(content).hexdigest(),
                                  "ditulis": datetime.now().isoformat(timespec="seconds"), **extra}

    def save(self) -> None:
        body = json.dumps({"versi": 1, "masukan": self.request_key, "dokumen": self.entries}, ensure_ascii=False,
                          indent=1, sort_keys=True)
        atomic_write(self.path, body.encode("utf-8"))


def keep_previous(target: Path, now: datetime) -> Path | None:
    """Copy the current version of ``target`` into _riwayat/ before it is replaced."""
    if not target.exists():
        return None
    history = target.parent / HISTORY
    stamp = now.strftime("%Y%m%d-%H%M%S")
    dest = history / f"{target.stem} {stamp}{target.suffix}"
    n = 1
    while dest.exists():
        n += 1
        dest = history / f"{target.stem} {stamp}-{n}{target.suffix}"
    atomic_write(dest, target.read_bytes())
    return dest


def write_text_if_changed(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write(path, data)
    return True
