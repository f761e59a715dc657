"""Files in outbox/, written safely: names valid on Windows and Linux, paths kept inside outbox/, atomic
replacement with the office's file modes, previous versions kept in _riwayat/. Never deletes a document."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import tempfile
import threading
import unicodedata
from datetime import datetime
from pathlib import Path

from pipeline.errors import OutboxError

log = logging.getLogger(__name__)

TEMP_PREFIX = ".~sop-"  # our temporary files: cleaned at start, never shown as documents
HISTORY = "_riwayat"
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


def inside(root: Path, *parts: str) -> Path:
    """``root/parts…``, refusing anything that would resolve outside ``root``."""
    base = root.resolve()
    target = base.joinpath(*parts).resolve()
    if target != base and base not in target.parents:
        raise OutboxError(f"jalur keluar dari outbox ditolak: {target}")
    return target


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True, fsync: bool = True) -> bool:
    """The one way the pipeline writes a file: to a temporary file in the same folder, flushed to disk,
    then renamed over ``path`` in one step — a reader sees the old file or the new one, never half.

    The new file gets the mode of the file it replaces, or for a new file what the umask gives (0644
    under umask 022): clerks reading the outbox over Samba/NFS as another user must be able to open it.
    ``overwrite=False``: never replace an existing file, not even one created meanwhile by another run
    (a hard link fails when the name is taken); returns False when ``path`` already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~current_umask()
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (FAT, some network shares)
            if path.exists():
                return False
            os.replace(tmp, path)
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


_UMASK: int | None = None
_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the system allows: threads may be writing."""
    global _UMASK
    try:  # Linux: read it, never set it
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        return int(status.split("Umask:")[1].split()[0], 8)
    except (OSError, IndexError, ValueError):
        pass
    with _UMASK_LOCK:  # elsewhere: set and restore, once
        if _UMASK is None:
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
        return _UMASK


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
    try:
        for owner in owners:
            if owner.exists():
                return "sedang dibuka di Excel" if path.suffix.lower() == ".xlsx" else "sedang dibuka di Word"
        mode = path.stat().st_mode
    except OSError:  # missing, or a folder this account cannot read: writing it will say which
        return None
    # The permission bits, not os.access: a service running as root/Administrator could still replace
    # a file someone marked read-only on purpose.
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return "hanya-baca (read-only)"
    return None


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
