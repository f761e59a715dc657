"""Regenerates docs/img/rekap-*.png and docs/img/perbarui-dokumen.png: a clerk's day on the example register.

    python docs/make_clerk_pictures.py

Needs LibreOffice (soffice), poppler (pdftoppm), ImageMagick (convert, import), Xvfb, xterm and Carlito,
the font with Calibri's metrics, so REKAP prints here as it does in Excel (Debian: apt-get install xvfb
xterm imagemagick poppler-utils fonts-crosextra-carlito). What it does, as a clerk would:
`init --contoh`, a first run, `arsip`, 'sop-pipeline cetak --selesai' (everything printed); then the
register changes (a step recorded for one request, a value of an archived one) and 'Perbarui Dokumen.sh'
— the .bat's twin, the same steps — runs in a real xterm on a virtual screen, which is captured while it
waits for the R/S/T choice. REKAP.xlsx is then printed by LibreOffice to PDF and its first pages to PNG.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent / "img"
TODAY = "2026-11-28"


def sop(root: Path, *args: str) -> None:
    exe = Path(sys.executable).parent / "sop-pipeline"
    subprocess.run([str(exe), *args], cwd=root, check=True, capture_output=True, timeout=600,
                   env={**os.environ, "SOP_PIPELINE_TODAY": TODAY})


def change_register(root: Path) -> None:
    """A day's edits: step 3 recorded for 2427, and a value of the finished (archived) 1841 corrected."""
    path = root / "inbox" / "register.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["Permohonan"]
    head = [c.value for c in ws[1]]
    petugas = head.index("Petugas")
    team = next(r[petugas].value for r in ws.iter_rows(min_row=2) if r[petugas].value)
    for row in ws.iter_rows(min_row=2):
        agenda = str(row[head.index("No. Agenda")].value)
        if agenda == "2427":
            row[head.index("Tgl Disposisi Kabid")].value = date(2026, 11, 27)
            row[head.index("Tgl Disposisi Kabid")].number_format = "DD/MM/YYYY"
            row[head.index("Isi Disposisi Kabid")].value = "Jadwalkan pemeriksaan."
            row[head.index("Petugas")].value = team
        if agenda == "1841":
            row[head.index("Hasil Pemeliharaan")].value = "Server normal; cadangan harian berjalan."
    wb.save(path)


def window(root: Path) -> None:
    """'Perbarui Dokumen.sh' in an xterm on a virtual screen, captured while it waits for a key."""
    display = ":57"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1100x760x24", "-nolisten", "tcp"])
    try:
        time.sleep(1.5)
        env = {**os.environ, "DISPLAY": display, "SOP_PIPELINE_TODAY": TODAY, "LANG": "C.UTF-8"}
        term = subprocess.Popen(["xterm", "-geometry", "132x46+0+0", "-fa", "DejaVu Sans Mono", "-fs", "9",
                                 "-bg", "black", "-fg", "#dddddd", "-T", "Perbarui Dokumen",
                                 "-e", str(root / "Perbarui Dokumen.sh")], env=env, cwd=root)
        started = time.time()
        listed = root / "outbox" / "_log" / "perlu-dicetak.json"
        for _ in range(120):  # until this run has saved its list: then it prints it and asks R, S or T
            time.sleep(1)
            if listed.stat().st_mtime > started:
                break
        time.sleep(4)
        subprocess.run(["import", "-display", display, "-window", "root", str(OUT / "perbarui-dokumen.png")],
                       check=True, env=env)
        subprocess.run(["convert", str(OUT / "perbarui-dokumen.png"), "-trim", "+repage",
                        str(OUT / "perbarui-dokumen.png")], check=True)
        term.terminate()
        term.wait(timeout=10)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def rekap(root: Path) -> None:
    pdf = root / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(pdf), str(root / "outbox" / "REKAP.xlsx")],
                   check=True, capture_output=True, timeout=300)
    # The whole first page of Rekap; of Perlu dicetak (three rows) its top, without the empty page below.
    for page, name, part in ((1, "rekap-rekap", "100%"), (2, "rekap-perlu-dicetak", "100%x25%")):
        target = OUT / name
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf / "REKAP.pdf"), str(target)], check=True)
        subprocess.run(["convert", f"{target}.png", "-gravity", "North", "-crop", f"{part}+0+0", "+repage",
                        "-trim", "+repage", "-bordercolor", "white", "-border", "12", f"{target}.png"],
                       check=True)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kantor"
        exe = Path(sys.executable).parent / "sop-pipeline"
        subprocess.run([str(exe), "init", "--contoh", str(root)], check=True, capture_output=True)
        sop(root, "run")
        sop(root, "arsip")
        sop(root, "cetak", "--selesai")
        change_register(root)
        window(root)
        rekap(root)
        shutil.rmtree(root / "pdf", ignore_errors=True)
    for name in ("perbarui-dokumen", "rekap-rekap", "rekap-perlu-dicetak"):
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
