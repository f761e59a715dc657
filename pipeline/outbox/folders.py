"""Where a request's documents live: outbox/<tahun>/<No. Agenda> - <Perangkat Daerah>/, one folder per
request and never one folder for two."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.outbox.files import MAX_NAME, inside, safe_name

if TYPE_CHECKING:  # validate.py uses the folder names too
    from pipeline.validate import Assessment


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


def request_folder(outbox: Path, a: Assessment, resolved: dict[str, Path] | None = None) -> Path | None:
    """outbox/<tahun>/<No. Agenda> - <Perangkat Daerah>/ (the year of Tanggal Diterima), or None while the
    request cannot be named yet. process() writes there; arsip packs it.

    ``resolved``: a run's memory of the year folders it named already (resolving outbox/ costs a system call
    per component; a run names a thousand folders in a few years). Links below outbox/ are never followed
    here: a request folder behind one is held by validation (verdicts._with_folder_links)."""
    received = a.record.get("tgl_diterima")
    pd = a.record.text("perangkat_daerah")
    if not a.agenda or not pd or not isinstance(received, date):
        return None
    year, name = str(received.year), request_folder_name(a.agenda, pd)
    if resolved is None:
        return inside(outbox, year, name)
    if year not in resolved:
        resolved[year] = inside(outbox, year)
    return resolved[year] / name  # the name is safe (request_folder_name); no link is followed
