"""The command line: thin adapters over the library; the only module that talks to the terminal."""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.problems import Problem
from pipeline.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PROBLEMS = 0, 1, 2, 3


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' bukan tanggal YYYY-MM-DD") from None


_folder_option = click.option("--folder", "-C", "folder", type=click.Path(file_okay=False, path_type=Path),
                              default=None, help="Folder kantor berisi inbox/, outbox/, templates_docx/ "
                                                 "(bawaan: folder saat ini).")
_today_option = click.option("--today", callback=_today, default=None, metavar="YYYY-MM-DD",
                             help="Anggap hari ini tanggal ini (agar hasil dapat diulang).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sop-pipeline")
@click.option("-v", "--verbose", is_flag=True, help="Tampilkan log rinci.")
def cli(verbose: bool) -> None:
    """SOP Pemeliharaan Server: periksa register Excel dan isi dokumen Word ke outbox/."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--contoh", is_flag=True, help="Isi register dengan contoh permohonan (dan foto contoh).")
def init(folder: Path | None, contoh: bool) -> None:
    """Siapkan folder kantor: inbox/, outbox/, templates_docx/ dan register kosong (atau contoh)."""
    from pipeline.layout import init_folder
    root = (folder or Path.cwd()).resolve()
    created = init_folder(root, contoh=contoh)
    for path in created:
        click.echo(f"dibuat  {path.relative_to(root) if path.is_relative_to(root) else path}")
    if not created:
        click.echo("Semua sudah ada; tidak ada yang ditimpa.")


@cli.command()
@_folder_option
@_today_option
@click.option("--ketat", is_flag=True, help="Peringatan juga dianggap masalah (kode keluar 3).")
def check(folder: Path | None, today: date | None, ketat: bool) -> None:
    """Periksa setiap register di inbox/ tanpa menulis apa pun."""
    from pipeline.process import check as run_check
    settings = _settings(folder, today)
    report = _guard(run_check, settings)
    if not report.validations and not report.problems:
        _fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    _print_problems(report.all_problems())
    n = report.requests
    errors = sum(p.is_error for p in report.all_problems())
    warnings = len(report.all_problems()) - errors
    click.echo(f"{n} permohonan diperiksa: {errors} galat, {warnings} peringatan.")
    sys.exit(EXIT_PROBLEMS if errors or (ketat and warnings) else EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@click.option("--progress/--no-progress", default=None, help="Tampilkan bilah kemajuan (bawaan: bila di terminal).")
def run(folder: Path | None, today: date | None, progress: bool | None) -> None:
    """Periksa register lalu tulis dokumen setiap permohonan ke outbox/ dan REKAP.xlsx."""
    from pipeline.process import process
    settings = _settings(folder, today)
    if not settings.inbox.is_dir():
        _fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    show = sys.stderr.isatty() if progress is None else progress
    bar: Any = None

    def on_progress(done: int, total: int) -> None:
        nonlocal bar
        if not show or total < 20:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Menulis dokumen", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    report = _guard(process, settings, on_progress)
    if not report.validations and not any(p.source for p in report.problems):
        _fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    _print_problems(report.all_problems())
    if report.recap_error:
        click.echo(report.recap_error, err=True)
    elif report.recap:
        click.echo(f"Rekap: {report.recap}")
    click.echo(report.summary())
    sys.exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


@cli.command()
@click.argument("template", required=False)
@_today_option
def fields(template: str | None, today: date | None) -> None:
    """Daftar kolom yang dapat dipakai di templat, dengan contoh nilainya."""
    from pipeline.documents import sample_contexts
    from pipeline.procedure import DOCUMENTS
    from pipeline.render import flatten_fields
    samples = sample_contexts(today or date.today())
    keys = [d.key for d in DOCUMENTS]
    if template:
        stem = Path(template).stem
        if stem not in samples:
            raise click.UsageError(f"Templat '{template}' tidak dikenal. Pilihan: {', '.join(keys)}")
        keys = [stem]
    for key in keys:
        spec = next(d for d in DOCUMENTS if d.key == key)
        click.echo(f"# {spec.template} — {spec.title}")
        for name, value in flatten_fields(samples[key]).items():
            if isinstance(value, list):
                shown = "(daftar; pakai {%tr for x in " + name + " %} atau {%p for … %})"
            else:
                shown = str(value).replace("\n", "⏎")
            click.echo(f"  {{{{ {name} }}}}  →  {shown}")
        click.echo("")


def _settings(folder: Path | None, today: date | None) -> Settings:
    return Settings.build(root=folder, today=today)


def _guard(func: Any, *args: Any) -> Any:
    try:
        return func(*args)
    except PipelineError as err:
        _fail(str(err))
    except KeyboardInterrupt:
        click.echo("Dihentikan.", err=True)
        sys.exit(EXIT_FAILED)


def _fail(message: str) -> None:
    click.echo(f"Tidak dapat berjalan: {message}", err=True)
    sys.exit(EXIT_FAILED)


def _print_problems(problems: list[Problem]) -> None:
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.source, p.agenda)].append(p)
    for (source, agenda), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "", kv[0][1])):
        title = f"No. Agenda {agenda}" if agenda else "Register dan templat"
        click.echo(click.style(f"{title}" + (f" ({source})" if source else ""), bold=True))
        for p in items:
            color = "red" if p.is_error else "yellow"
            click.echo("  " + click.style(p.severity.value.upper(), fg=color) + f" {p.location()}: {p.message}")
            if p.value and p.value not in p.message:
                click.echo(f"      nilai: {p.value}")
            if p.hint:
                click.echo(f"      → {p.hint}")


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("Dibatalkan.", err=True)
        sys.exit(EXIT_FAILED)
