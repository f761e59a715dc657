"""Print-quality charts of the monev figures as PNG bytes, the same bytes for the same figures.

matplotlib's object API on the Agg canvas: no pyplot, no GUI backend, no global figure state. Every run
starts from matplotlib's own defaults (a user's matplotlibrc is ignored), uses the DejaVu Sans font that
ships inside matplotlib (not whatever the machine has), and writes no 'Software' metadata, so the bytes
depend only on the figures and the pinned matplotlib version (README, 'Monitoring dan evaluasi')."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pipeline.monev.figures import Figures
from pipeline.monev.text import number, percent, step_actors
from pipeline.register.values import format_date

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn: REKAP.xlsx never needs it
    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

DPI = 300  # print quality
WIDTH_CM = 16.0  # the text width of an A4 page with the templates' margins
_CM = 1 / 2.54

GREEN, ORANGE, RED, BLUE, TEAL, GREY = "#2e7d32", "#ef8f00", "#c62828", "#1f5fa8", "#00897b", "#8d8d8d"
_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "svg.hashsalt": "sop-pipeline",
}


def _draw(height_cm: float, title: str, paint: Callable[[Axes], None]) -> bytes:
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # restored when the context ends
        matplotlib.rcParams.update(_RC)
        figure = Figure(figsize=(WIDTH_CM * _CM, height_cm * _CM), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        figure.suptitle(title, x=0.01, ha="left", fontsize=9, fontweight="bold")
        paint(figure.add_subplot())
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _empty(ax: Axes, text: str) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=GREY)


def chart_steps(f: Figures) -> bytes:
    """On-time share of each step (bars) against the mutu baku (every step within 1 working day)."""
    steps = [s for s in f.steps if s.step.number > 1]

    def paint(ax: Axes) -> None:
        if not any(s.dinilai for s in steps):
            _empty(ax, "Belum ada langkah yang dapat dinilai pada periode ini.")
            return
        rows = list(range(len(steps)))[::-1]
        shares = [100 * (s.share or 0) for s in steps]
        colours = [GREEN if (s.share or 0) >= 0.9 else ORANGE if (s.share or 0) >= 0.75 else RED
                   for s in steps]
        ax.barh(rows, shares, color=colours, height=0.62, zorder=2)
        ax.axvline(100, color="black", linestyle="--", linewidth=0.9, zorder=3)
        ax.text(99, len(steps) - 0.45, "mutu baku: 100% langkah ≤ 1 hari kerja", ha="right", va="bottom",
                fontsize=6.5)
        for row, s in zip(rows, steps, strict=True):
            if s.dinilai:
                text = f"{s.tepat}/{s.dinilai} ({percent(s.share)})"
                if s.median is not None:
                    text += f" · median {number(s.median)} · terlama {s.terlama} hr"
            else:
                text = "belum dinilai"
            inside = (s.share or 0) >= 0.55
            ax.text(2 if inside else 100 * (s.share or 0) + 1.5, row, text, va="center", fontsize=6.5,
                    color="white" if inside else "black", zorder=4)
        ax.set_yticks(rows, [f"{s.step.number}. {s.step.name} ({step_actors(s.step, short=True)})"
                             for s in steps], fontsize=7)
        ax.set_xlim(0, 104)
        ax.set_xticks(range(0, 101, 20), [f"{x}%" for x in range(0, 101, 20)])
        ax.set_xlabel("langkah yang dilaksanakan dalam 1 hari kerja (yang belum dilaksanakan padahal "
                      "batasnya lewat: tidak tepat)", fontsize=6.5, loc="right")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)

    return _draw(10.5, "Ketepatan waktu setiap langkah terhadap mutu baku (1 hari kerja)", paint)


def chart_turnaround(f: Figures) -> bytes:
    from matplotlib.ticker import MaxNLocator

    """How many working days finished requests took, against the SOP's total for each branch."""
    t = f.turnaround
    without, with_8 = t.baku

    def paint(ax: Axes) -> None:
        if not t.selesai:
            _empty(ax, "Belum ada permohonan yang selesai pada periode ini.")
            return
        days = list(range(min(d for d, _, _ in t.sebaran), max(d for d, _, _ in t.sebaran) + 1))
        days = list(range(min(days[0], without - 1), max(days[-1], with_8 + 1) + 1))
        counts = {d: (a, b) for d, a, b in t.sebaran}
        first = [counts.get(d, (0, 0))[0] for d in days]
        second = [counts.get(d, (0, 0))[1] for d in days]
        ax.bar(days, first, color=BLUE, width=0.8, label="tanpa langkah 8", zorder=2)
        ax.bar(days, second, bottom=first, color=TEAL, width=0.8, label="dengan langkah 8 (penarikan)",
               zorder=2)
        top = max(a + b for a, b in zip(first, second, strict=True))
        for x, text, align in ((without, f"baku {without} hari kerja ", "right"),
                               (with_8, f" baku {with_8} hari kerja (dengan langkah 8)", "left")):
            ax.axvline(x + 0.5, color="black", linestyle="--", linewidth=0.9, zorder=3)
            ax.text(x + 0.5, top * 1.04, text, fontsize=6.5, va="bottom", ha=align)
        ax.set_ylim(0, top * 1.15 + 0.5)
        step = max(1, len(days) // 20)
        ax.set_xticks(days[::step])
        ax.set_xlabel("hari kerja")
        ax.set_ylabel("permohonan")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.figure.legend(loc="outside lower center", ncols=2, fontsize=7)

    return _draw(7.5, "Waktu penyelesaian permohonan yang selesai (hari kerja, surat diterima s.d. selesai)",
                 paint)


def chart_requests(f: Figures) -> bytes:
    """Requests received per month (per week in a short period), by their state today."""
    from matplotlib.ticker import MaxNLocator

    groups = f.per_waktu

    unit = "minggu" if groups and groups[0].label[:1].isdigit() else "bulan"

    def paint(ax: Axes) -> None:
        if not f.counts.diterima:
            _empty(ax, "Tidak ada permohonan yang diterima pada periode ini.")
            return
        xs = list(range(len(groups)))
        layers = (("selesai", GREEN, [g.counts.selesai for g in groups]),
                  ("dalam proses", BLUE, [g.counts.proses - g.counts.lewat_batas for g in groups]),
                  ("lewat batas waktu", ORANGE, [g.counts.lewat_batas for g in groups]),
                  ("ditahan (galat)", GREY, [g.counts.ditahan for g in groups]))
        bottom = [0] * len(groups)
        for label, colour, values in layers:
            ax.bar(xs, values, bottom=bottom, color=colour, width=0.7, label=label, zorder=2)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        for x, total in zip(xs, bottom, strict=True):
            if total:
                ax.text(x, total, str(total), ha="center", va="bottom", fontsize=7)
        many = len(groups) > 12
        labels = [g.label if many or unit == "minggu" else g.label.replace(" ", "\n") for g in groups]
        ax.set_xticks(xs, labels, rotation=45 if many else 0, ha="right" if many else "center")
        ax.set_ylim(0, max(bottom) * 1.18 + 0.5)
        ax.set_ylabel("permohonan")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.figure.legend(loc="outside lower center", ncols=4, fontsize=7)

    return _draw(7.5, f"Permohonan yang diterima per {unit}, menurut keadaannya per {format_date(f.today)}",
                 paint)


CHARTS: dict[str, Callable[[Figures], bytes]] = {
    "langkah": chart_steps,
    "penyelesaian": chart_turnaround,
    "permohonan": chart_requests,
}


def draw_charts(f: Figures) -> dict[str, bytes]:
    """Every chart of the report, by its field name in the template ({{ grafik.langkah }}…)."""
    return {name: draw(f) for name, draw in CHARTS.items()}
