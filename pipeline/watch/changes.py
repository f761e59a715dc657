"""Which file-system events matter: a register, a photo or a template changed; Excel owner files, temp
files and our own writes in outbox/ never trigger a cycle. And whether a changed file is complete yet."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.documents.photos import PHOTO_TYPES

# opened / closed_no_write / attrib come from our own reads of the register: acting on them would loop.
RELEVANT_EVENTS = {"created", "modified", "moved", "deleted", "closed"}


def relevant_kind(root: Path, path: Path, is_directory: bool = False) -> str | None:
    """'register', 'lampiran' or 'templat' when a change at ``path`` can change the outputs, else None."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    name = path.name
    if not parts or is_temp_name(name, is_directory):
        return None
    top = [part.lower() for part in parts[:2]]  # Windows shares: 'Lampiran' is 'lampiran'
    if top[0] == "inbox":
        if len(parts) == 2 and not is_directory and name.lower().endswith(".xlsx"):
            return "register"
        if len(parts) >= 2 and top[1] == "lampiran":
            return "lampiran" if is_directory or path.suffix.lower() in PHOTO_TYPES else None
    if top[0] == "templates_docx" and len(parts) == 2 and not is_directory \
            and (path.suffix.lower() == ".docx" or name.lower() == "logo.png"):
        return "templat"
    return None  # outbox/ above all: our own writes must never trigger a cycle


def is_temp_name(name: str, is_directory: bool) -> bool:
    """Office owner files (~$…), LibreOffice locks (.~lock…), dot files, *.tmp, Excel's 'Cedd4100'."""
    if name.startswith(("~", ".")) or name.lower().endswith(".tmp"):
        return True
    return not is_directory and "." not in name


def signature(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:  # missing, or locked mid-save on Windows
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def opens_as_zip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return zipfile.is_zipfile(fh)
    except OSError:  # PermissionError while Excel still holds it
        return False


def describe(items: list[str], limit: int = 3) -> str:
    if not items:
        return "-"
    shown = ", ".join(items[:limit])
    return shown + (f" dan {len(items) - limit} lainnya" if len(items) > limit else "")
