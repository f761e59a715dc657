"""Times `check` (read + validate) on generated registers, and the hostile case: a problem on every
Perangkat row, at 1k, 4k and 16k rows, with the growth ratio (linear: ×4 rows costs ≤ ×4 time).
Writes only into a temporary folder.

    python bench/bench_check.py [N ...]            plain registers (default 100 1000)
    python bench/bench_check.py --hostile [N ...]  only the hostile case (default 1000 4000 16000)
"""

from __future__ import annotations

import os
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
from pipeline.register.reader import read_register
from pipeline.validate import validate_register

TODAY = date(2026, 11, 28)
HOSTILE = [1000, 4000, 16000]


def plain(sizes: list[int]) -> None:
    print(f"{'permohonan':>10} {'baca (s)':>9} {'validasi (s)':>13} {'total (s)':>10} {'masalah':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = generate_register(Path(tmp) / f"r{n}.xlsx", n)
            t0 = time.perf_counter()
            register = read_register(path)
            t1 = time.perf_counter()
            validation = validate_register(register, TODAY)
            t2 = time.perf_counter()
            found = len(validation.all_problems())
            print(f"{n:>10} {t1 - t0:>9.2f} {t2 - t1:>13.2f} {t2 - t0:>10.2f} {found:>8}")


def check_command(root: Path) -> float:
    """Wall time of `sop-pipeline check` as a user runs it (a fresh process; exit 3: problems found)."""
    start = time.perf_counter()
    command = [sys.executable, "-m", "pipeline", "check", "-C", str(root), "--today", TODAY.isoformat()]
    done = subprocess.run(command, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    elapsed = time.perf_counter() - start
    if done.returncode != 3:
        raise SystemExit(f"check exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def hostile(sizes: list[int], repeat: int = 3) -> dict[int, float]:
    """Median `check` time per size, every Perangkat row wrong; prints the growth between sizes."""
    print(f"{'baris Perangkat':>15} {'salah':>6} {'validasi (s)':>13} {'check (s, median)':>18} "
          f"{'× waktu':>8}")
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        previous: int | None = None
        for n in sizes:
            root = Path(tmp) / f"h{n}"
            path = generate_register(root / "inbox" / "register.xlsx", n, bad_devices=True)
            register = read_register(path)
            t0 = time.perf_counter()
            validation = validate_register(register, TODAY)
            inside = time.perf_counter() - t0
            wrong = sum(p.sheet == "Perangkat" for p in validation.all_problems())
            times[n] = statistics.median(check_command(root) for _ in range(repeat))
            growth = f"{times[n] / times[previous]:>7.2f}x" if previous else f"{'':>8}"
            print(f"{len(register.perangkat):>15} {wrong:>6} {inside:>13.2f} {times[n]:>18.2f} {growth}")
            previous = n
    if len(sizes) > 1:
        first, last = sizes[-2], sizes[-1]
        print(f"pertumbuhan {first}→{last} baris: {times[last] / times[first]:.2f}× waktu untuk "
              f"{last / first:.0f}× baris (linear: ≤ {last / first:.0f}×)")
    return times


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--hostile":
        hostile([int(a) for a in args[1:]] or HOSTILE)
    else:
        plain([int(a) for a in args] or [100, 1000])
