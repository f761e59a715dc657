"""Lays out an office folder for `sop-pipeline init`: inbox/, outbox/, templates_docx/, a register and
'Perbarui Dokumen.bat' for the clerks. Never overwrites anything that is already there."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path, PureWindowsPath

from pipeline.documents.templates import TEMPLATE_NAMES, template_bytes
from pipeline.monev.template import TEMPLATE_NAME as MONEV_TEMPLATE
from pipeline.monev.template import template_bytes as monev_template_bytes
from pipeline.office import launcher
from pipeline.office.example import write_example
from pipeline.office.workbook import write_register
from pipeline.outbox.files import atomic_write, current_umask

REGISTER_NAME = "register.xlsx"
LOGO_NOTE = ("Tambahkan lambang daerah sebagai templates_docx/logo.png (PNG); tanpa file itu kop dokumen "
             "dicetak tanpa lambang.")


def missing_logo(root: Path) -> bool:
    """The kop's lambang daerah (templates_docx/logo.png) is not there yet."""
    return not (root / "templates_docx" / "logo.png").is_file()


def init_folder(root: Path, contoh: bool = False) -> list[Path]:
    """Create what is missing and return what was created."""
    created: list[Path] = []
    for name in ("inbox", "outbox", "templates_docx"):
        folder = root / name
        if not folder.is_dir():
            folder.mkdir(parents=True)
            created.append(folder)
    templates = root / "templates_docx"
    # The six documents' templates and the monev report's (sop-pipeline monev); an office's own edited
    # template is never replaced, and only a missing one is built.
    defaults: dict[str, Callable[[], bytes]] = {n: partial(template_bytes, n) for n in TEMPLATE_NAMES}
    defaults[MONEV_TEMPLATE] = monev_template_bytes
    for name, build in defaults.items():
        target = templates / name
        if not target.exists():
            atomic_write(target, build())
            created.append(target)
    created += _write_launchers(root)
    created += _write_daftar_isian(templates)
    register = root / "inbox" / REGISTER_NAME
    if not register.exists():
        with tempfile.TemporaryDirectory() as tmp:
            staging = Path(tmp) / "inbox"
            staging.mkdir()
            if contoh:
                write_example(staging)
            else:
                write_register(staging / REGISTER_NAME)
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    target = root / "inbox" / path.relative_to(staging)
                    if not target.exists():
                        atomic_write(target, path.read_bytes())
                        created.append(target)
    return created


def _write_launchers(root: Path) -> list[Path]:
    """'Perbarui Dokumen.bat' always (the clerks' PCs run Windows, wherever init ran), and on Linux or
    macOS its .sh/.command twin. The .bat names this installation's sop-pipeline when init runs on Windows."""
    made: list[Path] = []
    exe = launcher.installed_exe()
    windows_exe = PureWindowsPath(exe) if sys.platform == "win32" else None
    files = [(launcher.BAT_NAME, launcher.bat_text(windows_exe).encode("ascii"), 0)]
    if sys.platform != "win32":  # executable for whoever may read it
        files.append((launcher.twin_name(), launcher.sh_text(exe).encode("utf-8"), 0o777 & ~current_umask()))
    for name, data, mode in files:
        target = root / name
        if not target.exists():
            atomic_write(target, data)
            if mode:
                target.chmod(mode)
            made.append(target)
    return made


def _write_daftar_isian(templates: Path) -> list[Path]:
    from pipeline.documents.daftar_isian import DAFTAR_NAME, all_samples, write_daftar_isian
    target = templates / DAFTAR_NAME
    if target.exists():
        return []
    samples = all_samples(date.today())
    return [write_daftar_isian(target, samples, list(samples))]


def next_steps(root: Path, contoh: bool = False) -> list[str]:
    """What to do after `init`, in Indonesian: the three next steps."""
    bat = f"'{launcher.BAT_NAME}'"
    if sys.platform != "win32":
        bat += f" (Windows) atau '{launcher.twin_name()}'"
    if contoh:
        first = "1. Buka inbox/register.xlsx di Excel: lihat contoh permohonannya dan sheet Petunjuk."
    else:
        first = ("1. Buka inbox/register.xlsx di Excel dan isi sheet Pengaturan (kop surat, nama dinas, "
                 "kota) dan sheet Pegawai (Kepala Dinas, Kepala Bidang, Tim Teknis); taruh logo daerah di "
                 "templates_docx/logo.png.")
    return [
        f"Folder kantor siap: {root}",
        "Langkah berikutnya:",
        first,
        "2. Catat setiap permohonan di sheet Permohonan (satu baris per surat, satu tanggal per langkah "
        "SOP), lalu simpan.",
        f"3. Klik ganda {bat} di folder ini (atau jalankan: sop-pipeline run -C \"{root}\"). Dokumen "
        "muncul di outbox/; yang perlu dicetak tercantum di outbox/REKAP.xlsx, sheet 'Perlu dicetak'.",
    ]
