"""The one place settings come from: defaults, then inbox/sop-pipeline.toml, then SOP_PIPELINE_* environment
variables, then command-line flags (the later wins). Built once into a frozen Settings and passed along."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pipeline.errors import SettingsError
from pipeline.register.values import DATE_RANGE


class Observer(StrEnum):
    """How the watcher learns of changes: the system's own events, snapshots, or events unless the folder
    is on a network share (or the system's events cannot start), then snapshots."""

    AUTO = "auto"
    NATIVE = "native"
    POLLING = "polling"


SETTINGS_FILE = "sop-pipeline.toml"  # in inbox/, next to the register


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class WatchOptions:
    """How `sop-pipeline watch` watches (table [watch] of the settings file, or flags)."""

    observer: Observer = Observer.AUTO
    polling_interval: float = 1.0  # seconds between snapshots of the polling observer
    # Quiet time after the last event before processing: enough to take Excel's delete + rename (and a
    # burst of saves) as one change; a file still being written is the stability check's to catch.
    debounce: float = 0.3
    rescan_interval: float = 300.0  # full run even without events (0 = never)
    today: date | None = None  # fixed by --today; None = the real date at each cycle
    stable_gap: float = 0.15  # the two size+mtime checks of a changed file are this far apart
    settle_timeout: float = 30.0  # after this long a file that never settles is processed anyway
    locked_retry: float = 30.0  # run again this soon when documents were open in Word

    def __post_init__(self) -> None:
        try:  # 'polling' from a flag or the settings file becomes Observer.POLLING
            object.__setattr__(self, "observer", Observer(self.observer))
        except ValueError:
            known = ", ".join(o.value for o in Observer)
            raise SettingsError(f"observer '{self.observer}' tidak dikenal ({known})") from None


@dataclass(frozen=True)
class Settings:
    root: Path  # the office folder holding inbox/, outbox/ and templates_docx/
    today: date = field(default_factory=date.today)
    max_register_bytes: int = 50 * 1024 * 1024
    max_photo_bytes: int = 20 * 1024 * 1024
    workers: int = field(default_factory=_default_workers)
    pdf: bool = False  # also convert documents to PDF with LibreOffice (run and arsip)
    lock_wait: float = 30.0  # seconds a run or arsip waits for another one's lock on outbox/ (outbox/lock.py)
    watch: WatchOptions = field(default_factory=WatchOptions)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def templates(self) -> Path:
        return self.root / "templates_docx"

    @property
    def lampiran(self) -> Path:
        return self.inbox / "lampiran"

    @classmethod
    def build(cls, root: Path | str | None = None, today: date | None = None, *,
              environ: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Defaults < inbox/sop-pipeline.toml < SOP_PIPELINE_* < ``flags`` (None means "not given").

        Flags: workers, pdf, max_register_bytes, max_photo_bytes, and the [watch] keys observer,
        polling_interval, debounce, rescan_interval. Raises SettingsError with one line naming the bad value.
        """
        env = os.environ if environ is None else environ
        root_path = Path(root or env.get("SOP_PIPELINE_ROOT") or Path.cwd()).resolve()
        top, watch = read_settings_file(root_path / "inbox" / SETTINGS_FILE)
        if today is None and env.get("SOP_PIPELINE_TODAY"):
            today = parse_today(env["SOP_PIPELINE_TODAY"], "SOP_PIPELINE_TODAY")
        if today is not None:
            check_today(today, "--today")
        values: dict[str, Any] = {"root": root_path, **top}
        if env.get("SOP_PIPELINE_WORKERS"):
            values["workers"] = _workers(env["SOP_PIPELINE_WORKERS"], "SOP_PIPELINE_WORKERS")
        if env.get("SOP_PIPELINE_PDF"):
            values["pdf"] = env["SOP_PIPELINE_PDF"].strip().lower() in {"1", "true", "ya", "yes", "on"}
        watch_keys = {f.name for f in fields(WatchOptions)}
        given = {k: v for k, v in flags.items() if v is not None}
        unknown = sorted(set(given) - watch_keys - {f.name for f in fields(cls)})
        if unknown:
            raise TypeError(f"unknown settings: {', '.join(unknown)}")
        watch.update({k: v for k, v in given.items() if k in watch_keys})
        values.update({k: v for k, v in given.items() if k not in watch_keys})
        if today is not None:
            values["today"] = today
            watch["today"] = today
        if "workers" in values:
            values["workers"] = _workers(values["workers"], "workers")
        return cls(**values, watch=WatchOptions(**watch))


def parse_today(text: str, where: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise SettingsError(f"{where}={text!r} bukan tanggal; tulis seperti 2026-11-28 "
                            "(YYYY-MM-DD)") from None
    return check_today(day, where)


def check_today(day: date, where: str = "") -> date:
    """A "today" outside the dates a register may hold (2000–2100) is a typing mistake."""
    low, high = DATE_RANGE
    if not low <= day <= high:
        said = f"{where} {day.isoformat()}" if where else day.isoformat()
        raise SettingsError(f"{said} di luar rentang {low.year}–{high.year}; periksa tahunnya")
    return day


def _workers(value: object, where: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise SettingsError(f"{where}={value!r} bukan bilangan bulat; tulis jumlah proses, mis. 2") from None
    if not 1 <= number <= 64:
        raise SettingsError(f"{where}={number} di luar rentang 1–64")
    return number


_WATCH_KEYS = {"observer": str, "polling_interval": float, "debounce": float, "rescan_interval": float}
_TOP_KEYS = {"workers": int, "pdf": bool}


def read_settings_file(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(top-level settings, the [watch] table) of inbox/sop-pipeline.toml; both empty when it is absent."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (FileNotFoundError, NotADirectoryError):
        return {}, {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise SettingsError(f"{path.name}: tidak dapat dibaca ({err})") from err
    misplaced = sorted(set(data) & set(_WATCH_KEYS))
    if misplaced:
        raise SettingsError(f"{path.name}: {', '.join(misplaced)} harus berada di bawah tabel [watch]")
    top: dict[str, Any] = {}
    for key, value in data.items():
        if key == "watch":
            continue
        kind = _TOP_KEYS.get(key)
        if kind is None:
            known = ", ".join([*_TOP_KEYS, "[watch]"])
            raise SettingsError(f"{path.name}: kunci '{key}' tidak dikenal; yang dikenal: {known}")
        if kind is bool and isinstance(value, bool):
            top[key] = value
        elif kind is int and isinstance(value, int) and not isinstance(value, bool):
            top[key] = _workers(value, f"{path.name}: {key}")
        else:
            raise SettingsError(f"{path.name}: {key} = {value!r} tidak sah")
    table = data.get("watch", {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path.name}: 'watch' harus berupa tabel [watch]")
    watch: dict[str, Any] = {}
    for key, value in table.items():
        kind = _WATCH_KEYS.get(key)
        if kind is None:
            raise SettingsError(f"{path.name}: kunci [watch] '{key}' tidak dikenal; "
                                f"yang dikenal: {', '.join(_WATCH_KEYS)}")
        least = 0.1 if key == "polling_interval" else 0.0
        if kind is float and isinstance(value, int | float) and not isinstance(value, bool) \
                and value >= least:
            watch[key] = float(value)
        elif kind is str and value in tuple(Observer):
            watch[key] = value
        else:
            kinds = [o.value for o in Observer]
            allowed = (f"{', '.join(kinds[:-1])} atau {kinds[-1]}" if kind is str
                       else f"angka detik ≥ {least:g}")
            raise SettingsError(f"{path.name}: [watch] {key} = {value!r} tidak sah ({allowed})")
    return top, watch
