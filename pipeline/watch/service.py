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

log = logging.getLogger(__name__)

LOG_FOLDER = "_log"


def log_to_file(outbox: Path) -> logging.Handler | None:
    """Also log the pipeline's messages to outbox/_log/watch.log, rotated at 1 MB, 5 old files kept."""
    try:
        (outbox / LOG_FOLDER).mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(outbox / LOG_FOLDER / "watch.log", maxBytes=1_000_000,
                                                       backupCount=5, encoding="utf-8")
    except OSError as err:
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
