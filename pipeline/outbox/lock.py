"""The office-wide lock: one `run`, `arsip` or watcher cycle at a time writes outbox/. A second one waits a
little, then says who holds it (computer, process, since when), instead of deleting the first one's
temporary files or writing the same documents at the same moment."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.errors import BusyError, OutboxError
from pipeline.outbox import files as ob

log = logging.getLogger(__name__)

LOG_DIR = "_log"
LOCK_NAME = "kunci.lock"  # locked by the operating system while held; released when the holder exits or dies
HOLDER_NAME = "kunci.txt"  # who holds it, for the one who waits


@contextmanager
def office_lock(outbox: Path, wait: float, command: str) -> Iterator[None]:
    """Hold the lock of ``outbox`` for the duration of the block; wait up to ``wait`` seconds for it.

    Raises BusyError naming the holder when it is still taken after that, OutboxError when outbox/ cannot
    hold a lock at all (a file where the folder should be, a link below it)."""
    if outbox.exists() and not outbox.is_dir():
        raise OutboxError(f"{outbox} bukan folder (ada berkas dengan nama itu); pindahkan berkas itu")
    outbox.mkdir(parents=True, exist_ok=True)
    folder = ob.real_folder(outbox, LOG_DIR)
    lock = FileLock(folder / LOCK_NAME, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise BusyError(f"sop-pipeline lain sedang menulis {outbox} ({holder(outbox)}); tunggu sampai "
                        "selesai, lalu jalankan lagi") from None
    try:
        with suppress(OSError, OutboxError):
            ob.atomic_write(folder / HOLDER_NAME, _describe(command).encode("utf-8"), root=outbox)
        yield
    finally:
        with suppress(OSError):
            (folder / HOLDER_NAME).unlink()
        lock.release()


def holder(outbox: Path) -> str:
    """'run di komputer KANTOR-01, proses 4242, sejak 2026-07-21 10:15:03' — as the holder wrote it."""
    try:
        text = (outbox / LOG_DIR / HOLDER_NAME).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text[:200] or "pemegangnya tidak tercatat"


def _describe(command: str) -> str:
    return (f"{command} di komputer {socket.gethostname() or '?'}, proses {os.getpid()}, "
            f"sejak {datetime.now():%Y-%m-%d %H:%M:%S}")
