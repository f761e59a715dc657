"""End-to-end speed against the naive docxtpl loop, in one run. Prints a table; writes only to a temp folder.

    python bench/bench_speed.py [SIZES...]          e.g. python bench/bench_speed.py 100 1000 5000

For each register size it measures, on the same generated register and templates:
  (a) naive: one process, for every due document DocxTemplate(path) → render(ctx, autoescape=True) → save;
      above NAIVE_MAX documents a sample of that many is timed and the rate extrapolated (said in the table);
  (b) `run` into an empty outbox (full build), (c) `run` again with nothing changed (no-op),
  (d) one cell of one request changed, then `run` (incremental) — each in a fresh process, as a user runs it;
  plus the register read time (calamine and openpyxl) and the peak memory of each run: of the main process,
  and of the largest render worker (each worker is a separate process of that size).
Watch-mode latency (e) is measured by bench/bench_watch.py.
"""

from __future__ import annotations

import json
import os
import random
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
from pipeline.register.reader import read_register
from pipeline.sop.staff import Staff
from pipeline.validate import validate_register

TODAY = date(2026, 11, 28)
NAIVE_MAX = 800

CHILD = r"""
import json, resource, sys, time
from datetime import date
from pathlib import Path
t0 = time.perf_counter()
from pipeline.process import process
from pipeline.settings import Settings
t1 = time.perf_counter()
report = process(Settings.build(root=Path(sys.argv[1]), today=date.fromisoformat(sys.argv[2])))
t2 = time.perf_counter()
try:  # VmHWM: this process's own peak; ru_maxrss would include the bench's size at fork time
    own = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
except (OSError, IndexError):
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"import": t1 - t0, "process": t2 - t1, "written": len(report.written),
                  "unchanged": report.unchanged, "rss_mb": own / 1024, "workers_mb": kids / 1024}))
"""


def child_run(root: Path) -> dict:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(root), TODAY.isoformat()], check=True,
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def naive(root: Path) -> tuple[float, int, bool]:
    """Seconds per document of the plain loop, the number of due documents, and whether it was sampled."""
    from docxtpl import DocxTemplate

    register = read_register(root / "inbox" / "register.xlsx")
    validation = validate_register(register, TODAY)
    builder = FieldBuilder(register, Staff.from_records(register.pegawai), TODAY)
    devices: dict[str, list] = {}
    for d in register.perangkat:
        devices.setdefault(d.text("no_agenda"), []).append(d)
    work = []
    for a in validation.assessments:
        own = devices.get(a.agenda, [])
        for doc in due_documents(a.record):
            work.append((doc, builder.context(doc, a.record, own)))
    sample = work if len(work) <= NAIVE_MAX else random.Random(1).sample(work, NAIVE_MAX)
    out = root / "naive"
    out.mkdir()
    start = time.perf_counter()
    for i, (doc, context) in enumerate(sample):
        tpl = DocxTemplate(root / "templates_docx" / doc.template)
        tpl.render(context, autoescape=True)
        tpl.save(out / f"{i}.docx")
    return (time.perf_counter() - start) / len(sample), len(work), len(sample) < len(work)


def change_one_cell(path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Permohonan"]
    column = [c.value for c in ws[1]].index("Hasil Pemeliharaan") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=[c.value for c in ws[1]].index("Tgl Pelaksanaan") + 1).value:
            ws.cell(row=row, column=column).value = "Diubah untuk uji kecepatan."
            break
    wb.save(path)


def main(sizes: list[int]) -> None:
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; today fixed at {TODAY}")
    head = (f"{'requests':>8} {'docs':>6} | {'read calamine':>13} {'read openpyxl':>13} | {'(a) naive':>10} "
            f"| {'(b) full':>9} {'ratio':>6} | {'(c) no-op':>9} | {'(d) 1 cell':>10} {'written':>7} | {'peak MB':>7}")
    print(head)
    print("-" * len(head))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "inbox").mkdir()
            build_templates(root / "templates_docx")
            register = generate_register(root / "inbox" / "register.xlsx", n)
            t0 = time.perf_counter()
            read_register(register, backend="calamine")
            t1 = time.perf_counter()
            read_register(register, backend="openpyxl")
            t2 = time.perf_counter()
            per_doc, docs, sampled = naive(root)
            naive_total = per_doc * docs
            full = child_run(root)
            noop = child_run(root)
            change_one_cell(register)
            one = child_run(root)
            peak = max(full["rss_mb"], noop["rss_mb"], one["rss_mb"])
            workers = max(full["workers_mb"], noop["workers_mb"], one["workers_mb"])
            print(f"{n:>8} {docs:>6} | {t1 - t0:>12.2f}s {t2 - t1:>12.2f}s | {naive_total:>9.1f}s"
                  f"{'*' if sampled else ' '}| {full['wall']:>8.1f}s {naive_total / full['wall']:>5.1f}x "
                  f"| {noop['wall']:>8.2f}s | {one['wall']:>9.2f}s {one['written']:>7} | {peak:>7.0f} {workers:>9.0f}")
            print(f"{'':>8} {'':>6}   in-process (without interpreter start and imports): full "
                  f"{full['process']:.2f}s, no-op {noop['process']:.2f}s, one cell {one['process']:.2f}s; "
                  f"imports {noop['import']:.2f}s; main process peak MB full/no-op/one cell "
                  f"{full['rss_mb']:.0f}/{noop['rss_mb']:.0f}/{one['rss_mb']:.0f}")
    print("* extrapolated from a random sample of", NAIVE_MAX, "documents")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
