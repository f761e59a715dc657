"""Files in outbox/, written safely: names valid on Windows and Linux, paths kept inside outbox/, atomic
replacement with the office's file modes, previous versions kept in _riwayat/. Never deletes a document."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import stat
import tempfile
import threading
import unicodedata
from datetime import datetime
from pathlib import Path

from pipeline.errors import LinkError, OutboxError

log = logging.getLogger(__name__)

TEMP_PREFIX = ".~sop-"  # our temporary files: cleaned at start, never shown as documents
HISTORY = "_riwayat"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
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
    """``root/parts…`` (``root`` resolved: outbox/ may be a link), refusing any part that is not one plain
    name. Links below ``root`` are not followed here; writing refuses them (atomic_write's ``root``)."""
    base = root.resolve()
    for part in parts:
        if part in ("", ".", "..") or any(sep in part for sep in ("/", "\\", "\x00")) or Path(part).anchor:
            raise OutboxError(f"jalur keluar dari outbox ditolak: {part!r}")
    return base.joinpath(*parts)


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True, fsync: bool = True,
                 root: Path | None = None) -> bool:
    """The one way the pipeline writes a file: to a temporary file in the same folder, flushed to disk,
    then renamed over ``path`` in one step — a reader sees the old file or the new one, never half.

    The new file gets the mode of the file it replaces, or for a new file what the umask gives (0644
    under umask 022): clerks reading the outbox over Samba/NFS as another user must be able to open it.
    ``overwrite=False``: never replace an existing file, not even one created meanwhile by another run
    (a hard link fails when the name is taken); returns False when ``path`` already exists.
    ``root`` (outbox/): no folder between it and ``path``, nor ``path`` itself, may be a symbolic link or
    junction — the write is refused (OutboxError) instead of landing wherever the link points."""
    if root is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    else:
        real_folder(root, *below(root, path).parts[:-1])
        if is_link(path):
            raise LinkError(_link_message(root, path))
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
            if os.path.lexists(path):
                return False
            os.replace(tmp, path)
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


# --- links below outbox/ ------------------------------------------------------------------------------
# outbox/ itself may be a link an administrator set up (to a bigger disk, say); nothing below it may be:
# a '_riwayat' or a document replaced by a link would send writes, or copies of what the link points at,
# outside outbox/.

_JUNCTION = 0xA0000003  # IO_REPARSE_TAG_MOUNT_POINT: a Windows junction, a link os.path.islink misses


def is_link(path: Path) -> bool:
    """A symbolic link or a Windows junction (OneDrive placeholders and other reparse points are not)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", 0) == _JUNCTION


def link_below(root: Path, path: Path) -> Path | None:
    """The first of the folders between ``root`` and ``path`` (``path`` included) that is a link, or None."""
    current = root
    for part in below(root, path).parts:
        current = current / part
        if is_link(current):
            return current
        if not os.path.lexists(current):
            return None
    return None


def refuse_links(root: Path, path: Path) -> None:
    """Raise OutboxError when ``path`` or a folder between ``root`` and it is a link."""
    link = link_below(root, path)
    if link is not None:
        raise LinkError(_link_message(root, link))


def real_folder(root: Path, *parts: str) -> Path:
    """``root/parts…``, each folder created when missing and refused when it is a link or a file (``root``
    itself is trusted: created with its parents when missing, and may be a link)."""
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for part in parts:
        current = current / part
        if not os.path.lexists(current):
            current.mkdir(exist_ok=True)
        if is_link(current):
            raise LinkError(_link_message(root, current))
        if not current.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "bukan folder; pindahkan berkas dengan nama itu",
                                     _shown(root, current))
    return current


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, never through a link (nor of a device or pipe a link could stand for).
    Raises OSError like any read, ValueError when the file is larger than ``limit``."""
    # O_NONBLOCK: opening a named pipe does not wait for a writer (it is then refused as not a regular file).
    flags = os.O_RDONLY
    for name in ("O_NOFOLLOW", "O_NONBLOCK", "O_BINARY"):  # each where the system has it
        flags |= getattr(os, name, 0)
    if is_link(path):
        raise OSError(errno.ELOOP, "tautan (symlink) tidak diikuti", str(path))
    fd = os.open(path, flags)
    with open(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "bukan berkas biasa", str(path))
        if limit is None:
            return fh.read()
        data = fh.read(limit + 1)
        if st.st_size > limit or len(data) > limit:
            raise ValueError(f"{path.name} lebih dari {limit} bita")
        return data


def below(root: Path, path: Path) -> Path:
    """``path`` relative to ``root``, whether it was built on ``root`` as given or on its resolved form."""
    if path.is_relative_to(root):
        return path.relative_to(root)
    real = root.resolve()  # only when needed: a stat per folder of root's path
    if path.is_relative_to(real):
        return path.relative_to(real)
    raise OutboxError(f"jalur keluar dari outbox ditolak: {path}")


def _shown(root: Path, path: Path) -> str:
    return (Path(root.name) / below(root, path)).as_posix()


def link_problem(root: Path, link: Path) -> str:
    """Why ``link`` below ``root`` is refused, in Indonesian."""
    return _link_message(root, link)


def _link_message(root: Path, link: Path) -> str:
    try:
        target = f" ke {os.readlink(link)}"
    except OSError:
        target = ""
    return (f"'{_shown(root, link)}' adalah tautan (symlink/junction){target}; pipeline tidak menulis atau "
            "menyalin melalui tautan di dalam outbox. Hapus tautan itu (folder atau berkas aslinya tidak "
            "ikut terhapus)")


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


def keep_previous(target: Path, now: datetime, root: Path) -> Path | None:
    """Copy the current version of ``target`` into _riwayat/ before it is replaced. A ``target`` or a
    _riwayat/ below ``root`` that is a link is refused (OutboxError): a link's target is never copied."""
    refuse_links(root, target)
    if not os.path.lexists(target):
        return None
    history = target.parent / HISTORY
    real_folder(root, *below(root, history).parts)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    dest = history / f"{target.stem} {stamp}{target.suffix}"
    n = 1
    while dest.exists():
        n += 1
        dest = history / f"{target.stem} {stamp}-{n}{target.suffix}"
    atomic_write(dest, read_regular(target), root=root)
    return dest


def write_text_if_changed(path: Path, text: str, root: Path, fsync: bool = True) -> bool:
    return write_bytes_if_changed(path, text.encode("utf-8"), root, fsync)


def write_bytes_if_changed(path: Path, data: bytes, root: Path, fsync: bool = True) -> bool:
    """Written (atomically, never through a link below ``root``) only when its bytes would change."""
    try:
        if read_regular(path) == data:
            return False
    except OSError:
        pass
    atomic_write(path, data, root=root, fsync=fsync)
    return True
