"""The run's memory between commands: when nothing a run depends on has changed since the last complete
run, and outbox/ is exactly as that run left it, its answer is given again without reading the register.

Kept in outbox/_log/putaran.cache, and only ever a hint. It is used only when all of this holds, else the
run reads everything as if it were not there (costing time, never changing an answer):
- it is intact and was written by this user's pipeline: an HMAC with a key kept outside outbox/ (in the
  user's cache folder, mode 600) — a damaged, copied or hand-made file fails it;
- its key matches: the pipeline's code and libraries, the settings and today's date, the bytes of every
  register and template (SHA-256), the names in inbox/, and name, size and time of every photo and archive;
- every entry of outbox/ (request folders, their files, REKAP.xlsx) has the size and time it had when the
  run that wrote the memory ended: a document deleted, a STATUS.txt edited, a stray temporary file left by
  a crash, all mean a full run.
A full run forgets the memory before it writes anything and remembers only when it ends with nothing left
undone (no document locked or failed, REKAP.xlsx written, no PDF conversion)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.outbox import files as ob
from pipeline.outbox.cetak import LIST_FILE
from pipeline.problems import Problem, Severity
from pipeline.settings import Settings, WatchOptions

log = logging.getLogger(__name__)

CACHE = Path("_log") / "putaran.cache"  # inside outbox/
_MAGIC = b"sop-pipeline putaran 2\n"  # 2: a problem says what it names (place)
MAX_MEMORY_BYTES = 256 * 1024 * 1024  # the answer and outbox state of a very large office: tens of MB
_KEY_NAME = "kunci-putaran"
# outbox/_log changes on its own (logs, this file, the lock), and the watcher's heartbeat PEMANTAU.txt after
# every cycle: neither is part of the outbox's state.
_SKIPPED = {"_log", "PEMANTAU.txt"}


@dataclass(frozen=True)
class Answer:
    """What a complete run reported, to be reported again by a run that finds nothing changed."""

    requests: int
    registers: tuple[str, ...]  # names of the registers read
    problems: tuple[Problem, ...]  # RunReport.problems: unreadable files, templates, photos, folders
    assessed: tuple[Problem, ...]  # the validations' problems, in RunReport.all_problems order
    held: int
    unchanged: int  # documents that would be found up to date
    recap: bool


class RunMemory:
    """Opened at the start of a run: ``replay()`` gives the remembered answer when it still holds;
    ``forget()`` before a full run writes; ``remember()`` once it has ended cleanly."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.path = settings.outbox / CACHE
        self._secret = _secret() if not settings.pdf else None
        self._inputs: dict[str, Any] | None = None
        if self._secret is not None:
            try:
                self._inputs = inputs(settings)
            except OSError as err:  # a file vanished while we looked: nothing to remember this time
                log.debug("run memory off: %s", err)

    @property
    def usable(self) -> bool:
        return self._secret is not None and self._inputs is not None

    def replay(self) -> Answer | None:
        """The remembered answer, when the memory is intact, its key matches and outbox/ is unchanged."""
        if not self.usable:
            return None
        stored = self._load()
        if stored is None or stored.get("masukan") != self._inputs:
            return None
        try:
            if outbox_state(self.settings.outbox) != stored.get("outbox"):
                return None
            return _answer(stored["jawaban"])
        except (OSError, KeyError, TypeError, ValueError) as err:
            log.debug("run memory not used: %s", err)
            return None

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()

    def remember(self, answer: Answer, read: Mapping[str, str]) -> None:
        """Store ``answer`` for the inputs seen at the start, when the registers actually read (name →
        digest of the bytes read) are the ones those inputs named: a save in between is not pinned."""
        if not self.usable or self._secret is None or self._inputs is None:
            return
        if dict(read) != self._inputs["register"]:
            return
        try:
            state = outbox_state(self.settings.outbox)
            body = json.dumps({"masukan": self._inputs, "outbox": state, "jawaban": _plain(answer)},
                              ensure_ascii=False, separators=(",", ":")).encode()
            mac = hmac.new(self._secret, body, hashlib.sha256).hexdigest().encode()
            ob.atomic_write(self.path, _MAGIC + mac + b"\n" + body, fsync=False)  # a hint: no flush
        except OSError as err:
            log.debug("run memory not written: %s", err)

    def _load(self) -> dict[str, Any] | None:
        assert self._secret is not None
        try:  # a regular file only, capped: a named pipe in its place cannot hang the run (and the lock)
            data = ob.read_regular(self.path, MAX_MEMORY_BYTES)
        except (OSError, ValueError):
            return None
        if not data.startswith(_MAGIC):
            return None
        mac, _, body = data[len(_MAGIC):].partition(b"\n")
        expected = hmac.new(self._secret, body, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(mac, expected):
            log.debug("run memory rejected: not written by this user's pipeline, or damaged")
            return None
        try:
            stored = json.loads(body)
        except ValueError:
            return None
        return stored if isinstance(stored, dict) else None


# --- the key: everything a run's outputs depend on ---------------------------------------------------

def inputs(settings: Settings) -> dict[str, Any]:
    """What a run reads, identified cheaply: contents for registers and templates, name, size and time
    for photos and archives (as the run itself identifies them)."""
    from pipeline.documents.catalog import DOCUMENTS
    from pipeline.register.reader import find_registers

    inbox = settings.inbox
    listing = sorted(_listing(inbox)) if inbox.is_dir() else None
    register = {p.name: _sha256(p) for p in find_registers(inbox)}
    templates = {name: _sha256_or_none(settings.templates / name)
                 for name in sorted({d.template for d in DOCUMENTS} | {"logo.png"})}
    shown = replace(settings, watch=WatchOptions())  # how the watcher watches changes no output
    return {
        "kode": code_version(),
        "pengaturan": [[f.name, str(getattr(shown, f.name))] for f in fields(shown)],
        "inbox": listing,
        "register": register,
        "templat": templates,
        "lampiran": _tree(settings.lampiran),
        "arsip": _tree(settings.outbox / "_arsip"),
    }


def code_version() -> str:
    """The pipeline's own files (name, size, time), its version, Python's, and the installed libraries
    (the time of each site-packages folder changes whenever a library is added, removed or upgraded)."""
    package = Path(__file__).resolve().parent
    parts: list[Any] = [__version__, sys.version, sys.prefix]
    for root, _dirs, names in sorted(os.walk(package)):
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(root, name))
                parts.append([os.path.relpath(os.path.join(root, name), package), st.st_size, st.st_mtime_ns])
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")):
            with contextlib.suppress(OSError):
                parts.append([entry, os.stat(entry).st_mtime_ns])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha256_or_none(path: Path) -> str | None:
    try:
        return _sha256(path)
    except OSError:
        return None


def _listing(folder: Path) -> Iterable[list[Any]]:
    with os.scandir(folder) as entries:
        for e in entries:
            yield [e.name, e.is_dir(follow_symlinks=False), e.is_file()]


def _tree(folder: Path) -> list[list[Any]] | None:
    """Every entry under ``folder`` with its size and modification time; None when there is no folder."""
    if not folder.is_dir():
        return None
    found: list[list[Any]] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            with contextlib.suppress(OSError):
                st = os.stat(path)
                found.append([os.path.relpath(path, folder), st.st_size, st.st_mtime_ns])
    return found


# --- the state of outbox/ ----------------------------------------------------------------------------

def outbox_state(outbox: Path) -> dict[str, Any]:
    """Each folder of outbox/ (but _log/, of which only the Perlu dicetak list) down to the request folders'
    own subfolders: every entry's name, kind, size and time. Any file added, removed, replaced or edited
    shows here."""
    state: dict[str, Any] = {}
    todo = [("", 0)]
    while todo:
        rel, depth = todo.pop()
        folder = os.path.join(outbox, rel) if rel else str(outbox)
        entries: dict[str, Any] = {}
        with os.scandir(folder) as listing:
            for e in listing:
                if not rel and e.name in _SKIPPED:
                    continue
                st = e.stat(follow_symlinks=False)
                if e.is_dir(follow_symlinks=False):
                    entries[e.name] = ["d", st.st_mtime_ns]
                    if depth < 2:  # down to outbox/<tahun>/<folder>/ (its _riwayat/ by its time only)
                        todo.append((os.path.join(rel, e.name), depth + 1))
                else:
                    entries[e.name] = [st.st_size, st.st_mtime_ns]
        state[rel.replace(os.sep, "/")] = entries
    # Of _log/, the Perlu dicetak list alone: REKAP shows it, and a clerk may delete it to empty it.
    try:
        st = os.lstat(os.path.join(outbox, "_log", LIST_FILE))
        state["_log"] = {LIST_FILE: [st.st_size, st.st_mtime_ns, stat.S_IFMT(st.st_mode)]}
    except OSError:
        state["_log"] = {}
    return state


# --- the answer, as plain data ----------------------------------------------------------------------

def _plain(answer: Answer) -> dict[str, Any]:
    def problems(items: Sequence[Problem]) -> list[list[Any]]:
        return [[p.severity.value, p.sheet, p.row, p.column, p.value, p.message, p.hint, p.agenda, p.source,
                 p.place] for p in items]
    return {"permohonan": answer.requests, "register": list(answer.registers),
            "masalah": problems(answer.problems), "masalah_permohonan": problems(answer.assessed),
            "ditahan": answer.held, "tidak_berubah": answer.unchanged, "rekap": answer.recap}


def _answer(data: Mapping[str, Any]) -> Answer:
    def problems(items: Sequence[Sequence[Any]]) -> tuple[Problem, ...]:
        return tuple(Problem(Severity(s), sheet, row, column, value, message, hint, agenda, source, place)
                     for s, sheet, row, column, value, message, hint, agenda, source, place in items)
    return Answer(int(data["permohonan"]), tuple(data["register"]), problems(data["masalah"]),
                  problems(data["masalah_permohonan"]), int(data["ditahan"]), int(data["tidak_berubah"]),
                  bool(data["rekap"]))


# --- the key that proves a memory file is ours ---------------------------------------------------------

def _key_folder() -> Path:
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "sop-pipeline"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sop-pipeline"


def _secret() -> bytes | None:
    """This user's HMAC key, made on first use (mode 600, outside the shared outbox/); None when the
    user's cache folder cannot hold one: the memory is then simply not used."""
    path = _key_folder() / _KEY_NAME
    for _ in range(2):
        try:
            data = path.read_bytes()
            if len(data) == 32:
                return data
            return None  # being written by another run at this moment, or damaged: not now
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue  # another run made it meanwhile: read that one
        except OSError:
            return None
        try:
            key = secrets.token_bytes(32)
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        return key
    return None
