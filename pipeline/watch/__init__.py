"""Watch mode: keep outbox/ in step with the register whenever a register, a photo or a template
changes. `loop` holds the cycle (debounce, stability check, rescan, retries), `changes` says which
events matter, `observers` how they are heard, `service` how it runs as a service."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pipeline.settings import Settings, WatchOptions
from pipeline.watch.changes import relevant_kind
from pipeline.watch.heartbeat import Heartbeat
from pipeline.watch.loop import Cycle, Watcher
from pipeline.watch.observers import is_network_folder
from pipeline.watch.service import LOG_FOLDER, log_to_file, stop_on_signals

__all__ = ["LOG_FOLDER", "Cycle", "WatchOptions", "Watcher", "is_network_folder", "log_to_file",
           "relevant_kind", "stop_on_signals", "watch"]


def watch(settings: Settings, options: WatchOptions | None = None,
          on_cycle: Callable[[Cycle], None] | None = None) -> None:
    """Watch until Ctrl-C or SIGTERM; the cycle in progress is finished first."""
    stop = threading.Event()
    heartbeat = Heartbeat(settings.outbox, (options or settings.watch).rescan_interval)  # outbox/PEMANTAU.txt

    def cycle(done: Cycle) -> None:
        heartbeat.beat()
        if on_cycle is not None:
            on_cycle(done)
    with stop_on_signals(stop):
        try:
            Watcher(settings, options, cycle).run_forever(stop)
        finally:
            heartbeat.stopped()
