"""Lays out an office folder for `sop-pipeline init`: inbox/, outbox/, templates_docx/ and a register.
Never overwrites anything that is already there."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pipeline.documents.templates import build_templates
from pipeline.monev.template import TEMPLATE_NAME as MONEV_TEMPLATE
from pipeline.monev.template import template_bytes as monev_template_bytes
from pipeline.office.example import write_example
from pipeline.office.workbook import write_register
from pipeline.outbox.files import atomic_write

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
    with tempfile.TemporaryDirectory() as tmp:
        for built in build_templates(Path(tmp)):
            target = templates / built.name
            if not target.exists():
                atomic_write(target, built.read_bytes())
                created.append(target)
    monev = templates / MONEV_TEMPLATE  # the monev report's template (sop-pipeline monev)
    if not monev.exists():
        atomic_write(monev, monev_template_bytes())
        created.append(monev)
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
