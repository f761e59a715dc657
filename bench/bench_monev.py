"""Time and memory of `sop-pipeline monev` on generated years. Prints a table; writes only to a temp folder.

    python bench/bench_monev.py [SIZES...]          e.g. python bench/bench_monev.py 500 1000 5000

For each size, bench/generate_year.py writes a register of that many requests (with photos), then, each in
a fresh process as a user runs it: the yearly report (`make_report`, period 2026) — its total and its parts
(read + validate, figures, charts, render) —, and the Kinerja figures that every `run` now computes for
REKAP.xlsx. Peak memory is the process's own high-water mark (VmHWM).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate_year import TODAY, generate_year

CHILD = r"""
import json, sys, time
from datetime import date
from pathlib import Path
t0 = time.perf_counter()
import pipeline.monev.charts, pipeline.monev.report as r, pipeline.process as p, matplotlib.figure
from pipeline.monev import figures as fg
from pipeline.monev.kinerja import kinerja_figures
from pipeline.monev.period import parse_period
from pipeline.settings import Settings
from pipeline.validate import build_calendar
t1 = time.perf_counter()
settings = Settings.build(root=Path(sys.argv[1]), today=date.fromisoformat(sys.argv[2]))
period = parse_period("2026")
parts = {}
check, figures, charts, render = p.check, fg.compute_figures, r.draw_charts, r.render_report
def timed(name, func):
    def run(*a, **k):  # the first call: the template check calls some of them again on sample data
        start = time.perf_counter(); out = func(*a, **k); parts.setdefault(name, time.perf_counter() - start); return out
    return run
p.check, r.compute_figures, r.draw_charts, r.render_report = (timed("read", check), timed("figures", figures),
                                                              timed("charts", charts), timed("render", render))
result = r.make_report(settings, period)
t2 = time.perf_counter()
run = check(settings)
t3 = time.perf_counter()
kinerja_figures(run.validations, settings.today)
t4 = time.perf_counter()
own = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
print(json.dumps({"import": t1 - t0, "report": t2 - t1, **parts, "kinerja": t4 - t3, "rss_mb": own / 1024,
                  "requests": result.figures.counts.diterima, "bytes": result.path.stat().st_size}))
"""  # noqa: E501 -- the child script is a string: wrapping its lines would change it


def main(sizes: list[int]) -> None:
    print(f"{'requests':>8} {'report s':>9} {'read+validate':>14} {'figures':>8} {'charts':>7} {'render':>7} "
          f"{'Kinerja':>8} {'peak MB':>8} {'docx KB':>8}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            root = Path(tmp) / f"y{n}"
            generate_year(root, n)
            (root / "outbox").mkdir()
            out = subprocess.run([sys.executable, "-c", CHILD, str(root), TODAY.isoformat()], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
            m = json.loads(out)
            rows.append((n, m))
            print(f"{n:>8} {m['report']:>9.2f} {m['read']:>14.2f} {m['figures']:>8.3f} {m['charts']:>7.2f} "
                  f"{m['render']:>7.2f} {m['kinerja']:>8.3f} {m['rss_mb']:>8.0f} {m['bytes'] / 1024:>8.0f}")
    if len(rows) > 1:
        (n0, a), (n1, b) = rows[0], rows[-1]
        print(f"\n{n1 / n0:.0f}× the requests: report {b['report'] / a['report']:.2f}× the time, "
              f"figures {b['figures'] / a['figures']:.1f}×, peak memory {b['rss_mb'] / a['rss_mb']:.2f}×.")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [500, 1000, 5000])
