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
_pdf_option = click.option("--pdf/--no-pdf", "pdf", default=None,
                           help="Buat juga PDF setiap dokumen dengan LibreOffice; arsip mendapat PDF/A "
                                "(bawaan: SOP_PIPELINE_PDF=1).")


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
    from pipeline.office.init import init_folder
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
@_pdf_option
def run(folder: Path | None, today: date | None, progress: bool | None, pdf: bool | None) -> None:
    """Periksa register lalu tulis dokumen setiap permohonan ke outbox/ dan REKAP.xlsx."""
    from pipeline.process import process
    settings = _settings(folder, today, pdf=pdf)
    if not settings.inbox.is_dir():
        _fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    show = sys.stderr.isatty() if progress is None else progress
    bar: Any = None

    def on_progress(done: int, total: int) -> None:
        nonlocal bar
        if not show or total < 20:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Memproses permohonan", file=sys.stderr)
            bar.__enter__()
        bar.update(1)
        if done == total:
            bar.__exit__(None, None, None)

    report = _guard(process, settings, on_progress)
    if report.replay is None and not report.validations and not any(p.source for p in report.problems):
        _fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    _print_problems(report.all_problems())
    if report.recap_error:
        click.echo(report.recap_error, err=True)
    elif report.recap:
        click.echo(f"Rekap: {report.recap}")
    click.echo(report.summary())
    if report.pdf is not None and not report.pdf.missing_soffice:
        click.echo(report.pdf.summary())  # its problems were printed with the others
    sys.exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@_pdf_option
@click.option("--verify", is_flag=True, help="Periksa ulang setiap arsip terhadap SHA256SUMS-nya; tidak membuat "
                                             "arsip. Kode keluar 3 bila ada yang hilang, ditambahkan atau diubah.")
def arsip(folder: Path | None, today: date | None, pdf: bool | None, verify: bool) -> None:
    """Arsipkan setiap permohonan yang selesai (langkah 12) tanpa galat ke outbox/_arsip/<tahun>/."""
    from pipeline.outbox import archive
    settings = _settings(folder, today, pdf=pdf)
    if verify:
        checked = _guard(archive.verify_archives, settings.outbox)
        for fault in checked.faults:
            click.echo(click.style("RUSAK", fg="red") + f" {fault.describe()}")
        click.echo(checked.summary())
        sys.exit(EXIT_PROBLEMS if checked.faults else EXIT_OK)
    from pipeline.process import archive as archive_office
    if not settings.inbox.is_dir():
        _fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    report, result = _guard(archive_office, settings)
    if not report.validations and not any(p.source for p in report.problems):
        _fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    click.echo(report.summary())
    if result.pdf:
        _echo_pdf(result.pdf)
    for path in result.created:
        click.echo(f"diarsipkan  {path.relative_to(settings.outbox) if path.is_relative_to(settings.outbox) else path}")
    for agenda, why in result.skipped:
        click.echo(f"belum diarsipkan  No. Agenda {agenda}: {why}")
    for p in result.problems:
        click.echo(p.describe(), err=True)
    click.echo(result.summary())
    sys.exit(EXIT_PROBLEMS if report.has_errors or any(p.is_error for p in result.problems) else EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@click.option("--observer", type=click.Choice(["auto", "native", "polling"]), default=None,
              help="Cara memantau: auto (bawaan; polling bila di folder jaringan atau bila pemantau sistem "
                   "gagal), native, atau polling (wajib untuk SMB/CIFS/NFS).")
@click.option("--interval", type=click.FloatRange(min=0.1), default=None, metavar="DETIK",
              help="Selang polling (bawaan 1).")
@click.option("--debounce", type=click.FloatRange(min=0), default=None, metavar="DETIK",
              help="Tunggu folder tenang selama ini sebelum memproses (bawaan 0.3).")
@click.option("--rescan", type=click.FloatRange(min=0), default=None, metavar="DETIK",
              help="Proses ulang penuh secara berkala walau tanpa perubahan (bawaan 300; 0 = mati).")
@_pdf_option
def watch(folder: Path | None, today: date | None, observer: str | None, interval: float | None,
          debounce: float | None, rescan: float | None, pdf: bool | None) -> None:
    """Pantau inbox/ dan templates_docx/; jalankan 'run' setiap kali ada perubahan. Berhenti: Ctrl-C.

    Opsi juga dapat ditulis di inbox/sop-pipeline.toml, tabel [watch]; opsi baris perintah menang."""
    from pipeline import watch as watching
    settings = _settings(folder, today, pdf=pdf, observer=observer, polling_interval=interval, debounce=debounce,
                         rescan_interval=rescan)
    if not settings.inbox.is_dir():
        _fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    if logging.getLogger("pipeline.watch").getEffectiveLevel() > logging.INFO:
        logging.getLogger("pipeline.watch").setLevel(logging.INFO)  # one line per cycle on the console
    watching.log_to_file(settings.outbox)
    watching.watch(settings)
    sys.exit(EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@click.option("--periode", metavar="PERIODE", help="2026-07 (bulan), 2026-Q3 (triwulan), 2026-S1 (semester) atau "
                                                    "2026 (tahun); bawaan: triwulan hari ini.")
@click.option("--dari", callback=_today, default=None, metavar="YYYY-MM-DD", help="Awal rentang (dengan --sampai).")
@click.option("--sampai", callback=_today, default=None, metavar="YYYY-MM-DD", help="Akhir rentang (dengan --dari).")
def monev(folder: Path | None, today: date | None, periode: str | None, dari: date | None,
          sampai: date | None) -> None:
    """Buat Laporan Monitoring dan Evaluasi penerapan SOP satu periode ke outbox/monev/."""
    from pipeline.monev.period import choose_period
    from pipeline.monev.report import make_report, summary
    settings = _settings(folder, today)
    try:
        period = choose_period(periode, dari, sampai, settings.today)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    result = _guard(make_report, settings, period)
    for line in summary(result, settings.root):
        click.echo(line)
    sys.exit(EXIT_PROBLEMS if result.problems or result.figures.counts.ditahan else EXIT_OK)


@cli.command()
@click.argument("template", required=False)
@_today_option
def fields(template: str | None, today: date | None) -> None:
    """Daftar kolom yang dapat dipakai di templat, dengan contoh nilainya."""
    from pipeline.documents.catalog import DOCUMENTS
    from pipeline.documents.checks import flatten_fields
    from pipeline.documents.sample import sample_contexts
    samples = sample_contexts(today or date.today())
    from pipeline.monev.report import SPEC as MONEV  # laporan_monev.docx, the monev report
    from pipeline.monev.report import sample_context as monev_sample
    samples[MONEV.key] = monev_sample(today or date.today())
    keys = [d.key for d in DOCUMENTS] + [MONEV.key]
    if template:
        stem = Path(template).stem
        if stem not in samples:
            raise click.UsageError(f"Templat '{template}' tidak dikenal. Pilihan: {', '.join(keys)}")
        keys = [stem]
    for key in keys:
        spec = next(d for d in (*DOCUMENTS, MONEV) if d.key == key)
        click.echo(f"# {spec.template} — {spec.title}")
        for name, value in flatten_fields(samples[key]).items():
            if name == "kop.logo":
                shown = "(gambar templates_docx/logo.png; kosong bila file itu tidak ada)"
            elif name.startswith("grafik."):
                shown = "(grafik PNG dari angka laporan, lebar 160 mm)"
            elif name.endswith(".gambar"):
                shown = "(foto dari inbox/lampiran/<No. Agenda>/, lebar 75 mm)"
            elif isinstance(value, list):
                shown = "(daftar; pakai {%tr for x in " + name + " %} atau {%p for … %})"
            else:
                shown = str(value).replace("\n", "⏎")
            if "[]." in name:  # a field of each row of a list
                base, _, rest = name.rpartition("[].")
                tag = f"{{{{ x.{rest} }}}} di dalam {{% for x in {base.replace('[].', '.')} %}}"
            else:
                tag = f"{{{{ {name} }}}}"
            click.echo(f"  {tag}  →  {shown}")
        click.echo("")


def _settings(folder: Path | None, today: date | None, **overrides: Any) -> Settings:
    settings: Settings = _guard(lambda: Settings.build(root=folder, today=today, **overrides))
    return settings


def _echo_pdf(result: Any) -> None:
    for p in result.problems:
        click.echo(p.describe(), err=True)
    if not result.missing_soffice:
        click.echo(result.summary())


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
            click.echo("  " + click.style(p.severity.value.upper(), fg=color) + f" {p.headline()}")
            for line in p.details():
                click.echo(f"      {line}")


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
