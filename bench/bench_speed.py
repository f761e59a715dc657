"""End-to-end speed, every row as a ratio measured side by side in one run. Writes only to a temp folder.

    python bench/bench_speed.py [SIZES...]          e.g. python bench/bench_speed.py 1000 5000

For each register size, on the same generated register and templates:
  naive  one process, for every due document DocxTemplate(path) → render(ctx, autoescape=True) → save
         (contexts built beforehand, not timed); above NAIVE_MAX documents a random sample of that many is
         timed and the rate extrapolated (marked *);
  floor  the least any build must do: for every document, its template's bytes written to a temporary
         file in its request folder, flushed (fsync) and renamed into place — no reading, no rendering;
  full   `sop-pipeline run` into an empty outbox;
  no-op  `run` again with nothing changed;
  edit   one cell (Hasil Pemeliharaan of one request) changed, then `run`;
each `run` as a user runs it: a fresh process, wall time of the whole command, the median of REPEAT;
peak MB is the largest process of the full builds (the main process or one render process).
Then the targets of issue #14 as ratios: full ≥ 8× faster than naive, full ≤ 2× the floor, no-op
≤ 0.3 s (0.6 s at 5,000), edit ≤ 0.5 s (1 s at 5,000). Watch latency: bench/bench_watch.py; `check` on
a hostile register: bench/bench_check.py --hostile."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate_register
from pipeline.documents.catalog import due_documents
from pipeline.documents.fields import FieldBuilder
from pipeline.documents.templates import build_templates
from pipeline.outbox.files import atomic_write
from pipeline.outbox.folders import request_folder
from pipeline.register.reader import read_register
from pipeline.sop.staff import Staff
from pipeline.validate import validate_register

TODAY = date(2026, 11, 28)
NAIVE_MAX = 800
REPEAT = {"full": 3, "noop": 7, "edit": 5}
TARGETS = {1000: (0.3, 0.5), 5000: (0.6, 1.0)}  # no-op, edit: whole command, seconds

def command(root: Path, env: dict[str, str]) -> float:
    """Wall time of `sop-pipeline run` in a fresh process, as a user runs it (output discarded)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "run", "-C", str(root), "--today", TODAY.isoformat(),
                    "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - start


def documents(root: Path) -> list[tuple[object, dict, Path]]:
    """(spec, context, folder) of every due document, as a build sees them."""
    register = read_register(root / "inbox" / "register.xlsx")
    validation = validate_register(register, TODAY)
    builder = FieldBuilder(register, Staff.from_records(register.pegawai), TODAY)
    devices: dict[str, list] = {}
    for d in register.perangkat:
        devices.setdefault(d.text("no_agenda"), []).append(d)
    work = []
    for a in validation.assessments:
        folder = request_folder(root / "floor", a)
        if folder is None:
            continue
        for doc in due_documents(a.record):
            work.append((doc, builder.context(doc, a.record, devices.get(a.agenda, [])), folder))
    return work


def naive(root: Path, work: list) -> tuple[float, bool]:
    """Seconds for the plain docxtpl loop over every document, and whether it was extrapolated."""
    from docxtpl import DocxTemplate

    sample = work if len(work) <= NAIVE_MAX else random.Random(1).sample(work, NAIVE_MAX)
    out = root / "naive"
    out.mkdir()
    start = time.perf_counter()
    for i, (doc, context, _folder) in enumerate(sample):
        tpl = DocxTemplate(root / "templates_docx" / doc.template)
        tpl.render(context, autoescape=True)
        tpl.save(out / f"{i}.docx")
    return (time.perf_counter() - start) / len(sample) * len(work), len(sample) < len(work)


def floor(root: Path, work: list) -> float:
    """Seconds to put every document's template bytes in place, flushed: what no build can go below."""
    data = {doc.template: (root / "templates_docx" / doc.template).read_bytes() for doc, _c, _f in work}
    start = time.perf_counter()
    for doc, _context, folder in work:
        atomic_write(folder / doc.filename, data[doc.template])  # temp file, fsync, rename
    return time.perf_counter() - start


def change_one_cell(path: Path, value: str) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Permohonan"]
    head = [c.value for c in ws[1]]
    column, done = head.index("Hasil Pemeliharaan") + 1, head.index("Tgl Pelaksanaan") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=done).value:
            ws.cell(row=row, column=column).value = value
            break
    wb.save(path)


def measure(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "inbox").mkdir()
        build_templates(root / "templates_docx")
        register = generate_register(root / "inbox" / "register.xlsx", n)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(root / "cache")}
        work = documents(root)
        naive_s, sampled = naive(root, work)
        floor_s = floor(root, work)
        fulls = []
        for _ in range(REPEAT["full"]):
            if (root / "outbox").exists():
                shutil.rmtree(root / "outbox")
            fulls.append(command(root, env))
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest process so far, MB
        noops = [command(root, env) for _ in range(REPEAT["noop"])]
        edits = []
        for i in range(REPEAT["edit"]):
            change_one_cell(register, f"Diubah untuk uji kecepatan ({i}).")
            edits.append(command(root, env))
        return {"docs": len(work), "naive": naive_s, "sampled": sampled, "floor": floor_s,
                "full": statistics.median(fulls), "noop": statistics.median(noops),
                "edit": statistics.median(edits), "peak_mb": peak}


def main(sizes: list[int]) -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; today fixed at {TODAY}; "
          f"medians of {REPEAT['full']} full builds, {REPEAT['noop']} no-ops, {REPEAT['edit']} edits")
    results = {n: measure(n) for n in sizes}
    head = (f"{'requests':>8} {'docs':>6} | {'naive':>8} {'floor':>7} {'full':>7} | {'naive/full':>10} "
            f"{'full/floor':>10} | {'no-op':>6} {'edit':>6} | {'peak MB':>7}")
    print(head)
    print("-" * len(head))
    for n, r in results.items():
        print(f"{n:>8} {r['docs']:>6} | {r['naive']:>7.1f}s{'*' if r['sampled'] else ' '}{r['floor']:>6.2f}s "
              f"{r['full']:>6.2f}s | {r['naive'] / r['full']:>9.1f}x {r['full'] / r['floor']:>9.2f}x | "
              f"{r['noop']:>5.2f}s {r['edit']:>5.2f}s | {r['peak_mb']:>7.0f}")
    if any(r["sampled"] for r in results.values()):
        print("* extrapolated from a random sample of", NAIVE_MAX, "documents")
    print("\ntargets (issue #14), as ratios of measured to target:")
    for n, r in results.items():
        noop_target, edit_target = TARGETS.get(n, TARGETS[5000] if n > 1000 else TARGETS[1000])
        rows = [("full build vs naive loop (≥ 8×)", r["naive"] / r["full"], 8.0, True),
                ("full build vs floor (≤ 2×)", r["full"] / r["floor"], 2.0, False),
                (f"no-op, whole command (≤ {noop_target:g} s)", r["noop"], noop_target, False),
                (f"one cell edited, whole command (≤ {edit_target:g} s)", r["edit"], edit_target, False)]
        for label, value, target, higher in rows:
            met = value >= target if higher else value <= target
            print(f"  {n:>6} {label:<44} {value:>7.2f}  → {value / target:>5.2f} of target  "
                  f"{'met' if met else 'NOT met'}")
    print(json.dumps({str(n): r for n, r in results.items()}))


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
