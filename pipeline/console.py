"""What the command line shows: problems grouped by request, the 'Perlu dicetak' list, progress bars, and
one Indonesian line instead of a traceback when the office folder cannot be used; the exit codes."""

from __future__ import annotations

import errno
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, NoReturn

import click

from pipeline.errors import PipelineError
from pipeline.problems import Problem

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PROBLEMS = 0, 1, 2, 3
SHOWN_REQUESTS = 10  # without --rinci, the "Perlu dicetak" list names this many requests
LEGEND = ("GALAT = kesalahan di register; dokumen permohonan itu tidak diperbarui sampai diperbaiki. "
          "PERINGATAN = dokumen tetap dibuat, tetapi mohon diperiksa.")


def echo_pdf(result: Any) -> None:
    for p in result.problems:
        click.echo(p.describe(), err=True)
    if not result.missing_soffice:
        click.echo(result.summary())


def guard(func: Any, *args: Any) -> Any:
    try:
        return func(*args)
    except PipelineError as err:
        fail(str(err))
    except OSError as err:  # the office folder itself cannot be read or written: one line, not a traceback
        fail(os_problem(err))
    except KeyboardInterrupt:
        click.echo("Dihentikan.", err=True)
        sys.exit(EXIT_FAILED)


_OS_REASONS = {errno.EACCES: "tidak ada izin", errno.EPERM: "tidak ada izin", errno.ENOENT: "tidak ada",
               errno.ENOTDIR: "bukan folder", errno.EEXIST: "sudah ada sebagai berkas, bukan folder",
               errno.ENOSPC: "disk penuh", errno.EROFS: "hanya dapat dibaca (read-only)"}


def os_problem(err: OSError) -> str:
    """'/srv/kantor/outbox: tidak ada izin (Permission denied)'."""
    reason = _OS_REASONS.get(err.errno or 0, "galat sistem berkas")
    where = err.filename if err.filename is not None else "folder kantor"
    return f"{where}: {reason} ({err.strerror or err}). Periksa folder itu dan izin akun yang menjalankan."


def fail(message: str) -> NoReturn:
    click.echo(f"Tidak dapat berjalan: {message}", err=True)
    sys.exit(EXIT_FAILED)


def print_problems(problems: list[Problem], rinci: bool = False) -> None:
    """Problems grouped by request: one line each (counts and the first problem), or with ``rinci``
    every problem with what to do. Register-level problems are always shown in full."""
    if not problems:
        return
    click.echo(LEGEND)
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.source, p.agenda)].append(p)
    hidden = 0
    # per register, its own problems first, then by No. Agenda
    order = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "", kv[0][1]))
    for (source, agenda), items in order:
        title = f"No. Agenda {agenda}" if agenda else "Register dan templat"
        where = f" ({source})" if source else ""
        if agenda and not rinci:
            errors = sum(p.is_error for p in items)
            first = next((p for p in items if p.is_error), items[0])
            color = "red" if errors else "yellow"
            numbers = ((errors, "galat"), (len(items) - errors, "peringatan"))
            counts = ", ".join(f"{n} {word}" for n, word in numbers if n)
            click.echo(click.style(f"{title}{where}", bold=True) + " " + click.style(counts, fg=color)
                       + f": {first.headline()}")
            hidden += len(items) > 1 or bool(first.details())
            continue
        click.echo(click.style(f"{title}{where}", bold=True))
        for p in items:
            color = "red" if p.is_error else "yellow"
            click.echo("  " + click.style(p.severity.value.upper(), fg=color) + f" {p.headline()}")
            for line in p.details():
                click.echo(f"      {line}")
    if hidden:
        click.echo("Rinciannya (dan yang perlu dilakukan): tambahkan --rinci, atau buka STATUS.txt di folder "
                   "permohonan, atau sheet 'Masalah' di REKAP.xlsx.")


def print_to_print(report: Any, rinci: bool) -> None:
    """The end of `run`: this run's new and changed documents, and where the whole list is."""
    print_list(report.to_print, rinci, heading="Perlu dicetak dari putaran ini")
    total = len(report.print_list.items) if report.print_list is not None else 0
    if total > len(report.to_print):
        click.echo(f"Semua yang perlu dicetak sejak daftar dikosongkan: {total} dokumen — REKAP.xlsx, "
                   "sheet 'Perlu dicetak' (atau 'sop-pipeline cetak').")
    if total:
        click.echo("Setelah semuanya dicetak, kosongkan daftarnya: sop-pipeline cetak --selesai")


def print_list(items: list[Any], rinci: bool, heading: str = "Perlu dicetak") -> None:
    if not items:
        click.echo(f"{heading}: tidak ada dokumen baru atau berubah.")
        return
    by_folder: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        by_folder[item.folder].append(item)
    click.echo(click.style(f"{heading} ({len(items)} dokumen baru atau berubah):", bold=True))
    folders = list(by_folder.items())
    shown = folders if rinci or len(folders) <= SHOWN_REQUESTS + 2 else folders[:SHOWN_REQUESTS]
    for folder, docs in shown:
        click.echo(f"  outbox/{folder}/")
        for item in docs:
            click.echo(f"      {item.name} ({item.reason})")
        if any(item.archived for item in docs):
            warn = "Sudah diarsipkan, lalu berubah: jalankan 'sop-pipeline arsip' untuk arsip versi baru."
            click.echo("      " + click.style(warn, fg="red"))
    if len(shown) < len(by_folder):
        rest = len(by_folder) - len(shown)
        click.echo(f"  … dan {rest} permohonan lagi (semuanya: --rinci, atau REKAP.xlsx sheet "
                   "'Perlu dicetak').")


def shown(path: Path, root: Path) -> str:
    """A path as the clerk finds it: relative to the office folder."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


class Progress:
    """Bars on stderr for the library's long phases (process.Progress); nothing when not asked for. A phase
    with few steps gets no bar: it is over before a bar would help."""

    SMALLEST = {"Menulis dokumen": 20}  # below this many requests a run takes a moment

    def __init__(self, show: bool) -> None:
        self.show = show
        self.label = ""
        self.bar: Any = None

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.show:
            return
        if label != self.label:
            self.close()
            self.label = label
            if total >= self.SMALLEST.get(label, 2):
                self.bar = click.progressbar(length=total, label=label, file=sys.stderr)
                self.bar.__enter__()
            elif total and done == 0:
                click.echo(f"{label} …", err=True)
        if self.bar is not None:
            self.bar.update(done - self.bar.pos)
            if done >= total:
                self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def tolerant_output() -> None:
    """Whatever the console's encoding (cp1252 when output goes to a file or a pipe on Windows), print what it
    can and replace the rest, instead of dying halfway through a report on '→'."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream already written to in a way that cannot be changed
                pass
