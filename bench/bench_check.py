"""Times `check` (read + validate) on a generated register. Writes only into a temporary folder.

    python bench/bench_check.py [N ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate_register  # noqa: E402
from pipeline.register.reader import read_register  # noqa: E402
from pipeline.validate import validate_register  # noqa: E402


def main(sizes: list[int]) -> None:
    print(f"{'permohonan':>10} {'baca (s)':>9} {'validasi (s)':>13} {'total (s)':>10} {'masalah':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = generate_register(Path(tmp) / f"r{n}.xlsx", n)
            t0 = time.perf_counter()
            register = read_register(path)
            t1 = time.perf_counter()
            validation = validate_register(register, date(2026, 11, 28))
            t2 = time.perf_counter()
            print(f"{n:>10} {t1 - t0:>9.2f} {t2 - t1:>13.2f} {t2 - t0:>10.2f} {len(validation.all_problems()):>8}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
