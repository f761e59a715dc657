"""Running the watcher as a service: a rotating log file in outbox/_log/, and a clean stop on Ctrl-C or
SIGTERM (the cycle in progress is finished first)."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import OutboxError
from pipeline.outbox import files as ob

log = logging.getLogger(__name__)

LOG_FOLDER = "_log"


def log_to_file(outbox: Path) -> logging.Handler | None:
    """Also log the pipeline's messages to outbox/_log/watch.log, rotated at 1 MB, 5 old files kept."""
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        folder = ob.real_folder(outbox, LOG_FOLDER)  # never a link: the log would land wherever it points
        if any(ob.is_link(folder / name) for name in ("watch.log", *(f"watch.log.{n}" for n in range(1, 6)))):
            raise OutboxError(f"{LOG_FOLDER}/watch.log adalah tautan (symlink); hapus tautan itu")
        handler = logging.handlers.RotatingFileHandler(folder / "watch.log", maxBytes=1_000_000,
                                                       backupCount=5, encoding="utf-8")
    except (OSError, OutboxError) as err:
        log.warning("Log file di %s tidak dapat dibuat: %s", outbox / LOG_FOLDER, err)
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("pipeline", "watchdog"):
        logging.getLogger(name).addHandler(handler)
    return handler


@contextlib.contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C, SIGTERM (and Ctrl-Break on Windows) set ``stop``; a second one stops at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous: dict[int, Any] = {}
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(ValueError, OSError):
                previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            with contextlib.suppress(ValueError, OSError):
                signal.signal(sig, old)
