"""The two ways of hearing about changes: the system's native events (inotify, ReadDirectoryChangesW,
FSEvents) or polling, which network shares need; and how to tell a network folder."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

_NETWORK_FS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre",
               "fuse.sshfs", "fuse.smbnetfs", "fuse.davfs2", "davfs", "fuse.rclone", "fuse.gvfsd-fuse",
               "drvfs"}


def native_observer() -> Any:
    from watchdog.observers import Observer
    return Observer()


def polling_observer(interval: float) -> Any:
    from watchdog.observers.polling import PollingObserver
    return PollingObserver(timeout=interval)


def alive(observer: Any) -> bool:
    return bool(observer.is_alive()) and all(e.is_alive() for e in observer.emitters)


def folder_identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = folder.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def is_network_folder(path: Path, mounts: str | None = None) -> bool:
    """True for SMB/CIFS, NFS and other remote mounts, where native events miss other machines' writes.

    ``mounts`` is the text of /proc/mounts (read when not given)."""
    if sys.platform == "win32" and mounts is None:
        drive = path.drive
        if drive.startswith("\\\\"):
            return True  # a UNC path: \\server\share
        try:
            import ctypes
            return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE
        except (AttributeError, OSError):
            return False
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False  # macOS and others: choose --observer polling by hand
    target, best, fstype = path.as_posix(), "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
        if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, fstype = point, fields[2]
    return fstype in _NETWORK_FS
