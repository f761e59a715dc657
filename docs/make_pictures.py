"""Regenerates docs/img/*.png: page 1 of each document, made from the example register.

    python docs/make_pictures.py        (needs LibreOffice's soffice and poppler's pdftoppm)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.office.init import init_folder  # noqa: E402
from pipeline.process import process  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

OUT = Path(__file__).resolve().parent / "img"
AGENDA = "2016"  # the example request that has all six documents


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        init_folder(root, contoh=True)
        process(Settings.build(root=root, today=date(2026, 11, 28), workers=1))
        folder = next((root / "outbox" / "2026").glob(f"{AGENDA} - *"))
        pdfs = root / "pdf"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(pdfs), *map(str, sorted(folder.glob("*.docx")))],
                       check=True, capture_output=True, timeout=300)
        for pdf in sorted(pdfs.glob("*.pdf")):
            stem = pdf.stem.split(" ", 1)[0]  # '01'
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(OUT / f"dokumen-{stem}")], check=True)
        shutil.rmtree(pdfs)
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()
