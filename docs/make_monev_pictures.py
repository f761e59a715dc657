"""Regenerates docs/img/monev-*.png: the monev charts of a generated year (bench/generate_year.py, 500
requests) and every page of the monev report of that year, made as a user makes it.

    python docs/make_monev_pictures.py        (needs LibreOffice's soffice and poppler's pdftoppm)
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_year import TODAY, generate_year
from pipeline.documents.templates import build_templates
from pipeline.monev.charts import draw_charts
from pipeline.monev.period import parse_period
from pipeline.monev.report import make_report
from pipeline.settings import Settings

OUT = Path(__file__).resolve().parent / "img"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("monev-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate_year(root, 500)
        build_templates(root / "templates_docx")
        result = make_report(Settings.build(root=root, today=TODAY), parse_period("2026"))
        for name, png in draw_charts(result.figures).items():
            image = Image.open(io.BytesIO(png))
            image.thumbnail((1100, 1100))  # the README needs less than print resolution
            image.save(OUT / f"monev-grafik-{name}.png", optimize=True)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(root), str(result.path)], check=True,
                       capture_output=True, timeout=300)
        pdf = root / (result.path.stem + ".pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(OUT / "monev-halaman")], check=True)
    for png in sorted(OUT.glob("monev-*.png")):
        print(png.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()
