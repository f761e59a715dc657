"""The command line: thin click adapters over the library, each calling one library function; what they show
and how is py (these two are the only modules that talk to the terminal)."""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from pipeline import __version__, clitext
from pipeline.console import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    Progress,
    echo_pdf,
    fail,
    guard,
    os_problem,
    print_list,
    print_problems,
    print_to_print,
    shown,
    tolerant_output,
)
from pipeline.errors import SettingsError
from pipeline.settings import Observer, Settings, check_today

clitext.install()  # click's own texts (Cara pakai, Opsi, Perintah salah…) in Indonesian


class _Command(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        super().__init__(*args, **kwargs)


class _Group(click.Group):
    command_class = _Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPSI]")
        kwargs.setdefault("subcommand_metavar", "PERINTAH [ARGUMEN]...")
        super().__init__(*args, **kwargs)


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' bukan tanggal YYYY-MM-DD") from None
    try:
        return check_today(day)
    except SettingsError as err:
        raise click.BadParameter(str(err)) from None


_folder_option = click.option("--folder", "-C", "folder", type=click.Path(file_okay=False, path_type=Path),
                              default=None, help="Folder kantor berisi inbox/, outbox/, templates_docx/ "
                                                 "(bawaan: folder saat ini).")
_today_option = click.option("--today", callback=_today, default=None, metavar="YYYY-MM-DD",
                             help="Anggap hari ini tanggal ini (agar hasil dapat diulang).")
_pdf_option = click.option("--pdf/--no-pdf", "pdf", default=None,
                           help="Buat juga PDF setiap dokumen dengan LibreOffice; arsip mendapat PDF/A "
                                "(bawaan: SOP_PIPELINE_PDF=1).")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sop-pipeline")
@click.option("-v", "--verbose", is_flag=True, help="Tampilkan log rinci sop-pipeline (untuk teknisi).")
def cli(verbose: bool) -> None:
    """SOP Pemeliharaan Server: periksa register Excel dan isi dokumen Word ke outbox/.

    \b
    Contoh:
      sop-pipeline init --contoh D:\\Latihan     siapkan folder latihan berisi contoh
      sop-pipeline run -C D:\\SOP                perbarui dokumen dan REKAP.xlsx
      sop-pipeline cetak -C D:\\SOP --selesai    kosongkan daftar Perlu dicetak
      sop-pipeline run -h                       bantuan satu perintah
    """
    # The pipeline's own log only: Pillow, matplotlib and others stay at warnings.
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbose:
        logging.getLogger("pipeline").setLevel(logging.DEBUG)


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--contoh", is_flag=True, help="Isi register dengan contoh permohonan (dan foto contoh).")
def init(folder: Path | None, contoh: bool) -> None:
    """Siapkan folder kantor: inbox/, outbox/, templates_docx/, register kosong (atau contoh) dan
    'Perbarui Dokumen.bat'. Tidak pernah menimpa berkas yang sudah ada.

    \b
    Contoh:
      sop-pipeline init D:\\SOP
      sop-pipeline init --contoh D:\\Latihan
    """
    from pipeline.office.init import LOGO_NOTE, init_folder, missing_logo, next_steps
    root = (folder or Path.cwd()).resolve()
    created: list[Path] = guard(init_folder, root, contoh)
    for path in created:
        click.echo(f"dibuat  {path.relative_to(root) if path.is_relative_to(root) else path}")
    if not created:
        click.echo("Semua sudah ada; tidak ada yang ditimpa.")
    if missing_logo(root):
        click.echo(LOGO_NOTE)
    click.echo("")
    for line in next_steps(root, contoh):
        click.echo(line)


@cli.command()
@_folder_option
@_today_option
@click.option("--ketat", is_flag=True, help="Peringatan juga dianggap masalah (kode keluar 3).")
@click.option("--rinci", is_flag=True, help="Tampilkan setiap masalah lengkap dengan yang perlu dilakukan "
                                            "(bawaan: satu baris per permohonan).")
def check(folder: Path | None, today: date | None, ketat: bool, rinci: bool) -> None:
    """Periksa setiap register di inbox/ tanpa menulis apa pun.

    \b
    Contoh:
      sop-pipeline check -C D:\\SOP
      sop-pipeline check -C D:\\SOP --rinci --ketat
    """
    from pipeline.process import check as run_check
    settings = _settings(folder, today)
    report = guard(run_check, settings)
    print_problems(report.all_problems(), rinci)  # with no register too: a .xlsm left in inbox/, say
    if report.no_register:
        fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    n = report.requests
    errors = sum(p.is_error for p in report.all_problems())
    warnings = len(report.all_problems()) - errors
    click.echo(f"{n} permohonan diperiksa: {errors} galat, {warnings} peringatan.")
    sys.exit(EXIT_PROBLEMS if errors or (ketat and warnings) else EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@click.option("--progress/--no-progress", default=None,
              help="Tampilkan bilah kemajuan (bawaan: bila di terminal).")
@_pdf_option
@click.option("--rinci", is_flag=True, help="Tampilkan setiap masalah dan setiap dokumen yang perlu dicetak "
                                            "(bawaan: ringkas, satu baris per permohonan).")
def run(folder: Path | None, today: date | None, progress: bool | None, pdf: bool | None,
        rinci: bool) -> None:
    """Periksa register lalu tulis dokumen setiap permohonan ke outbox/ dan REKAP.xlsx; akhirnya tampilkan
    dokumen yang perlu dicetak. Dengan --pdf juga satu PDF gabungan di outbox/cetak/.

    \b
    Contoh:
      sop-pipeline run -C D:\\SOP
      sop-pipeline run -C \\\\fileserver\\sop --pdf
    """
    from pipeline.process import process
    settings = _settings(folder, today, pdf=pdf)
    if not settings.inbox.is_dir():
        fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    bars = Progress(sys.stderr.isatty() if progress is None else progress)
    try:
        report = guard(process, settings, bars)
    finally:
        bars.close()
    print_problems(report.all_problems(), rinci)  # with no register too: a .xlsm left in inbox/, say
    if report.no_register:
        fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    if report.recap_error:
        click.echo(report.recap_error, err=True)
    elif report.recap:
        click.echo(f"Rekap: {shown(report.recap, settings.root)}")
    click.echo(report.summary())
    if report.pdf is not None and not report.pdf.missing_soffice:
        click.echo(report.pdf.summary())  # its problems were printed with the others
    if report.combined is not None and report.combined.path is not None:
        click.echo(f"PDF gabungan untuk dicetak: {shown(report.combined.path, settings.root)} "
                   f"({report.combined.documents} dokumen, {report.combined.pages} halaman).")
    print_to_print(report, rinci)
    sys.exit(EXIT_PROBLEMS if report.has_errors else EXIT_OK)


@cli.command()
@_folder_option
@click.option("--selesai", is_flag=True,
              help="Semua sudah dicetak: kosongkan daftar, lalu perbarui REKAP.xlsx.")
@click.option("--pdf", is_flag=True, help="Gabungkan semua dokumen dalam daftar menjadi satu PDF di "
                                          "outbox/cetak/ (perlu LibreOffice).")
def cetak(folder: Path | None, selesai: bool, pdf: bool) -> None:
    """Daftar 'Perlu dicetak': dokumen baru atau berubah sejak daftar terakhir dikosongkan (juga di
    REKAP.xlsx, sheet 'Perlu dicetak').

    \b
    Contoh:
      sop-pipeline cetak -C D:\\SOP              tampilkan daftarnya
      sop-pipeline cetak -C D:\\SOP --pdf        satu PDF untuk dicetak sekaligus
      sop-pipeline cetak -C D:\\SOP --selesai    semua sudah dicetak: kosongkan daftar
    """
    from pipeline.outbox import cetak as printing
    from pipeline.process import clear_print_list, print_list_pdf
    settings = _settings(folder, None)
    if selesai:
        count, report = guard(clear_print_list, settings)
        click.echo(f"Daftar Perlu dicetak dikosongkan ({count} dokumen).")
        if report.recap_error:
            click.echo(report.recap_error, err=True)
        print_to_print(report, rinci=False)
        return
    current = printing.load_list(settings.outbox)
    print_list(current.items, rinci=True)
    if current.cleared:
        click.echo(f"(sejak daftar dikosongkan {printing.describe_when(current.cleared)} oleh "
                   f"{current.cleared_by})")
    if pdf and current.items:
        bars = Progress(sys.stderr.isatty())
        try:
            combined, result = guard(print_list_pdf, settings, current, bars)
        finally:
            bars.close()
        echo_pdf(result)
        if combined.path is None:
            fail("PDF gabungan tidak dapat dibuat (lihat pesan di atas).")
        click.echo(f"PDF gabungan untuk dicetak: {shown(combined.path, settings.root)} "
                   f"({combined.documents} dokumen, {combined.pages} halaman).")
    if current.items:
        click.echo("Setelah semuanya dicetak: sop-pipeline cetak --selesai")


@cli.command()
@_folder_option
@_today_option
@_pdf_option
@click.option("--verify", is_flag=True,
              help="Periksa ulang setiap arsip terhadap SHA256SUMS-nya; tidak membuat arsip. Kode keluar 3 "
                   "bila ada yang hilang, ditambahkan atau diubah.")
def arsip(folder: Path | None, today: date | None, pdf: bool | None, verify: bool) -> None:
    """Arsipkan setiap permohonan yang selesai (langkah 12) tanpa galat ke outbox/_arsip/<tahun>/.

    \b
    Contoh:
      sop-pipeline arsip -C D:\\SOP --pdf
      sop-pipeline arsip -C D:\\SOP --verify
    """
    from pipeline.outbox.verify import verify_archives
    settings = _settings(folder, today, pdf=pdf)
    if verify:
        if not settings.outbox.is_dir():
            fail(f"Folder {settings.outbox} tidak ada; periksa jalur -C.")
        checked = guard(verify_archives, settings.outbox)
        for fault in checked.faults:
            click.echo(click.style("RUSAK", fg="red") + f" {fault.describe()}")
        click.echo(checked.summary())
        sys.exit(EXIT_PROBLEMS if checked.faults else EXIT_OK)
    from pipeline.process import archive as archive_office
    if not settings.inbox.is_dir():
        fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    bars = Progress(sys.stderr.isatty())
    try:
        report, result = guard(archive_office, settings, None, bars)
    finally:
        bars.close()
    if report.no_register:
        print_problems(report.all_problems())
        fail(f"Tidak ada register .xlsx di {settings.inbox}.")
    click.echo(report.summary())
    if result.pdf:
        echo_pdf(result.pdf)
    for path in result.created:
        click.echo(f"diarsipkan  {shown(path, settings.outbox)}")
    for agenda, why in result.skipped:
        click.echo(f"belum diarsipkan  No. Agenda {agenda}: {why}")
    for p in result.problems:
        click.echo(p.describe(), err=True)
    click.echo(result.summary())
    sys.exit(EXIT_PROBLEMS if report.has_errors or any(p.is_error for p in result.problems) else EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@click.option("--observer", type=click.Choice([o.value for o in Observer]), default=None,
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

    Opsi juga dapat ditulis di inbox/sop-pipeline.toml, tabel [watch]; opsi baris perintah menang. Selama
    berjalan, outbox/PEMANTAU.txt menyebut kapan pemantau terakhir memeriksa.

    \b
    Contoh:
      sop-pipeline watch -C D:\\SOP
      sop-pipeline watch -C \\\\fileserver\\sop --observer polling --interval 2
    """
    from pipeline import watch as watching
    settings = _settings(folder, today, pdf=pdf, observer=observer, polling_interval=interval,
                         debounce=debounce, rescan_interval=rescan)
    if not settings.inbox.is_dir():
        fail(f"Folder {settings.inbox} tidak ada. Jalankan 'sop-pipeline init' dulu.")
    if logging.getLogger("pipeline.watch").getEffectiveLevel() > logging.INFO:
        logging.getLogger("pipeline.watch").setLevel(logging.INFO)  # one line per cycle on the console
    watching.log_to_file(settings.outbox)
    watching.watch(settings)
    sys.exit(EXIT_OK)


@cli.command()
@_folder_option
@_today_option
@click.option("--periode", metavar="PERIODE",
              help="2026-07 (bulan), 2026-Q3 (triwulan), 2026-S1 (semester) atau 2026 (tahun); bawaan: "
                   "triwulan hari ini.")
@click.option("--dari", callback=_today, default=None, metavar="YYYY-MM-DD",
              help="Awal rentang (dengan --sampai).")
@click.option("--sampai", callback=_today, default=None, metavar="YYYY-MM-DD",
              help="Akhir rentang (dengan --dari).")
def monev(folder: Path | None, today: date | None, periode: str | None, dari: date | None,
          sampai: date | None) -> None:
    """Buat Laporan Monitoring dan Evaluasi penerapan SOP satu periode ke outbox/monev/.

    \b
    Contoh:
      sop-pipeline monev -C D:\\SOP --periode 2026-Q3
      sop-pipeline monev -C D:\\SOP --dari 2026-07-01 --sampai 2026-08-15
    """
    from pipeline.monev.period import choose_period
    from pipeline.monev.report import make_report, summary
    settings = _settings(folder, today)
    try:
        period = choose_period(periode, dari, sampai, settings.today)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    result = guard(make_report, settings, period)
    for line in summary(result, settings.root):
        click.echo(line)
    sys.exit(EXIT_PROBLEMS if result.problems or result.figures.counts.ditahan else EXIT_OK)


@cli.command()
@click.argument("template", required=False, metavar="[TEMPLAT]")
@_folder_option
@_today_option
@click.option("--tanpa-berkas", "no_file", is_flag=True,
              help="Jangan tulis templates_docx/DAFTAR ISIAN.docx; hanya tampilkan daftarnya.")
def fields(template: str | None, folder: Path | None, today: date | None, no_file: bool) -> None:
    """Daftar isian (kolom) yang dapat dipakai di templat, dengan artinya dan contoh nilainya; juga ditulis
    ke templates_docx/DAFTAR ISIAN.docx agar tag dapat disalin dari Word ke Word.

    \b
    Contoh:
      sop-pipeline fields -C D:\\SOP
      sop-pipeline fields berita_acara
    """
    from pipeline.documents.daftar_isian import DAFTAR_NAME, all_samples, field_listing, write_daftar_isian
    samples = all_samples(today or date.today())
    keys = list(samples)
    if template:
        stem = Path(template).stem
        if stem not in samples:
            raise click.UsageError(f"Templat '{template}' tidak dikenal. Pilihan: {', '.join(keys)}")
        keys = [stem]
    lines = field_listing(samples, keys)
    settings = _settings(folder, today)
    if not no_file and settings.templates.is_dir():
        target = guard(write_daftar_isian, settings.templates / DAFTAR_NAME, samples, keys)
        lines.append(f"Ditulis: {shown(target, settings.root)} (buka di Word, salin tag dari kolom 'Tag').")
    click.echo_via_pager("\n".join(lines) + "\n")


def _settings(folder: Path | None, today: date | None, **overrides: Any) -> Settings:
    settings: Settings = guard(lambda: Settings.build(root=folder, today=today, **overrides))
    return settings


def main() -> None:
    tolerant_output()
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
    except OSError as err:
        fail(os_problem(err))
    except Exception as err:  # a bug: one line for the clerk, the traceback with -v
        logging.getLogger(__name__).debug("galat tak terduga", exc_info=True)
        fail(f"galat tak terduga ({type(err).__name__}: {err}). Jalankan lagi dengan 'sop-pipeline -v …' "
              "untuk rinciannya, dan laporkan kepada pengelola aplikasi.")
