"""Regenerates docs/img/dokumen-*.png: page 1 of each document, and the pages that show how a document ends
(the berita acara's formulir pemeliharaan, the laporan's signature with its paraf table and lampiran), made
from the example register.

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

from pipeline.office.init import init_folder
from pipeline.process import process
from pipeline.settings import Settings

OUT = Path(__file__).resolve().parent / "img"
AGENDA = "2016"  # the example request that has all six documents
MORE_PAGES = {"05": 3, "06": 2}  # document number → a later page also shown: 'dokumen-05-3.png'


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        init_folder(root, contoh=True)
        process(Settings.build(root=root, today=date(2026, 11, 28), workers=1))
        folder = next((root / "outbox" / "2026").glob(f"{AGENDA} - *"))
        pdfs = root / "pdf"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(pdfs),
                        *map(str, sorted(folder.glob("*.docx")))],
                       check=True, capture_output=True, timeout=300)
        for pdf in sorted(pdfs.glob("*.pdf")):
            stem = pdf.stem.split(" ", 1)[0]  # '01'
            pages = [(1, f"dokumen-{stem}")]
            if stem in MORE_PAGES:
                pages.append((MORE_PAGES[stem], f"dokumen-{stem}-{MORE_PAGES[stem]}"))
            for page, name in pages:
                subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page),
                                "-singlefile", str(pdf), str(OUT / name)], check=True)
        shutil.rmtree(pdfs)
    for png in sorted(OUT.glob("dokumen-*.png")):
        print(png.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()
