"""Sheet 'Kinerja' of REKAP.xlsx: the monev figures of the current year as plain tables a clerk can filter
and reuse, with native Excel charts (openpyxl) drawn from those cells. Written in write-only mode, like the
rest of the recap: rows are appended top to bottom and the charts point at them."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pipeline.monev.figures import CHECKS, Figures, compute_figures
from pipeline.monev.period import year_period
from pipeline.monev.text import step_actors
from pipeline.register.values import format_date
from pipeline.validate import Validation, build_calendar

if TYPE_CHECKING:
    from openpyxl.chart import BarChart
    from openpyxl.styles import Font, PatternFill

SHEET = "Kinerja"
_WIDTHS = (7, 30, 22, 11, 11, 11, 13, 13, 13, 12, 12)
_CHART_COLUMN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(_WIDTHS) + 1]  # the column after the tables and a gap
_GREEN, _BLUE, _ORANGE, _GREY, _TEAL = "2E7D32", "1F5FA8", "EF8F00", "8D8D8D", "00897B"


@functools.cache
def _style(name: str) -> Any:
    """openpyxl is imported when the sheet is written, not when a run only needs the figures' digest."""
    from openpyxl.styles import Alignment, Font, PatternFill
    return {"bold": Font(name="Calibri", size=11, bold=True),
            "title": Font(name="Calibri", size=14, bold=True),
            "head_fill": PatternFill("solid", fgColor="DDEBF7"),
            "wrap": Alignment(wrap_text=True, vertical="top")}[name]


def kinerja_figures(validations: Iterable[Validation], today: date) -> Figures:
    """The figures of the year of ``today`` (requests received from 1 January), as the report computes
    them."""
    return compute_figures(((v, build_calendar(v.register)) for v in validations), year_period(today.year),
                           today)


class _Sheet:
    """Appends rows and remembers where they went, so charts can point at them."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.row = 0

    def cell(self, value: Any, font: Font | None = None, fill: PatternFill | None = None,
             number_format: str | None = None) -> Any:
        from openpyxl.cell import WriteOnlyCell
        cell: Any = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text that starts with '=' stays text, never a formula
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if number_format:
            cell.number_format = number_format
        return cell

    def append(self, values: Sequence[object], font: Font | None = None, fill: PatternFill | None = None,
               formats: dict[int, str] | None = None) -> int:
        self.ws.append([self.cell(v, font, fill, (formats or {}).get(i)) if v is not None else None
                        for i, v in enumerate(values)])
        self.row += 1
        return self.row

    def heading(self, text: str) -> None:
        self.append([])
        self.append([text], _style("bold"))

    def header(self, values: Sequence[str]) -> int:
        cells = []
        for value in values:
            cell = self.cell(value, _style("bold"), _style("head_fill"))
            cell.alignment = _style("wrap")
            cells.append(cell)
        self.ws.append(cells)
        self.row += 1
        return self.row


def write_kinerja(wb: Any, f: Figures) -> None:
    """Add sheet Kinerja to a write-only workbook."""
    from openpyxl.utils import get_column_letter
    ws = wb.create_sheet(SHEET)
    for index, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # printed: tables and charts one page wide
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    sheet = _Sheet(ws)
    sheet.append([f"Kinerja SOP Pemeliharaan Server {f.period.title}"], _style("title"))
    note = (f"Permohonan yang diterima {f.period.span}, menurut keadaannya per {format_date(f.today)}. "
            "Ditulis ulang setiap kali pipeline berjalan; laporan bertanda tangan dibuat dengan "
            "'sop-pipeline monev'.")
    sheet.append([note])
    _summary(sheet, f)
    charts: list[tuple[int, BarChart]] = []
    first, last = _steps(sheet, f)
    charts.append((first - 2, _steps_chart(ws, first, last)))
    first, last = _months(sheet, f)
    charts.append((first - 2, _months_chart(ws, first, last)))
    spread = _turnaround(sheet, f)
    if spread is not None:
        charts.append((spread[0] - 2, _turnaround_chart(ws, *spread)))
    free = 1
    for row, chart in charts:  # beside its table, below the previous chart (a row is about 0.5 cm)
        row = max(row, free)
        ws.add_chart(chart, f"{_CHART_COLUMN}{row}")
        free = row + int(chart.height / 0.5) + 2
    _per_pd(sheet, f)
    _gaps(sheet, f)


def _summary(sheet: _Sheet, f: Figures) -> None:
    c, t = f.counts, f.turnaround
    sheet.heading("Ringkasan")
    sheet.header(["Diterima", "Selesai", "Dalam proses", "Lewat batas", "Ditahan (galat)",
                  "Selesai dalam baku waktu SOP", "Median penyelesaian (hari kerja)", "Terlama (hari kerja)",
                  "Permohonan tidak lengkap", "Tanpa Tanggal Diterima"])
    sheet.append([c.diterima, c.selesai, c.proses, c.lewat_batas, c.ditahan, t.dalam_baku, t.median,
                  t.terlama, f.tidak_lengkap, f.tanpa_tanggal])


def _steps(sheet: _Sheet, f: Figures) -> tuple[int, int]:
    sheet.heading("Ketepatan waktu setiap langkah (mutu baku: 1 hari kerja setelah langkah sebelumnya)")
    sheet.header(["No", "Langkah", "Pelaksana", "Dinilai", "Tepat", "Terlambat", "Belum, lewat batas",
                  "Tepat waktu", "Mutu baku", "Median (hari kerja)", "Terlama (hari kerja)"])
    first = 0
    for s in f.steps:
        timed = s.step.number > 1
        row = sheet.append([s.step.number, f"{s.step.number}. {s.step.name}", step_actors(s.step, short=True),
                            s.dinilai if timed else None, s.tepat if timed else None,
                            s.terlambat if timed else None, s.tertunggak if timed else None, s.share,
                            1 if timed else None, s.median, s.terlama], formats={7: "0.0%", 8: "0%"})
        if s.step.number == 2:
            first = row
    return first, sheet.row


def _steps_chart(ws: Any, first: int, last: int) -> BarChart:
    """Columns: the share of each step done on time; a dashed line: the mutu baku (100%)."""
    from openpyxl.chart import BarChart, LineChart, Reference
    bar = BarChart()
    bar.type = "col"
    bar.title = "Ketepatan waktu setiap langkah terhadap mutu baku"
    bar.add_data(Reference(ws, min_col=8, min_row=first, max_row=last), titles_from_data=False)
    bar.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    bar.series[0].graphicalProperties.solidFill = _GREEN
    line = LineChart()
    line.add_data(Reference(ws, min_col=9, min_row=first, max_row=last), titles_from_data=False)
    line.series[0].graphicalProperties.line.solidFill = "000000"
    line.series[0].graphicalProperties.line.dashStyle = "dash"
    line.series[0].smooth = False
    bar.y_axis.scaling.min, bar.y_axis.scaling.max = 0, 1.05
    bar.y_axis.number_format = "0%"
    bar.y_axis.title = "tepat waktu"
    bar.x_axis.title = "langkah"
    bar.y_axis.delete = False
    bar.x_axis.delete = False
    bar.legend = None
    bar += line
    bar.width, bar.height = 18, 9
    return bar


def _months(sheet: _Sheet, f: Figures) -> tuple[int, int]:
    sheet.heading("Permohonan yang diterima per bulan, menurut keadaannya")
    sheet.header(["Bulan", "Diterima", "Selesai", "Dalam proses (dalam batas)", "Lewat batas",
                  "Ditahan (galat)", "Selesai dalam baku waktu"])
    first = sheet.row + 1
    for g in f.per_waktu:
        c = g.counts
        sheet.append([g.label, c.diterima, c.selesai, c.proses - c.lewat_batas, c.lewat_batas, c.ditahan,
                      g.dalam_baku])
    return first, sheet.row


def _months_chart(ws: Any, first: int, last: int) -> BarChart:
    return _stacked_columns(ws, "Permohonan per bulan", first, last, (3, 6), (_GREEN, _BLUE, _ORANGE, _GREY))

def _turnaround(sheet: _Sheet, f: Figures) -> tuple[int, int] | None:
    t = f.turnaround
    without, with_8 = t.baku
    sheet.heading(f"Waktu penyelesaian permohonan yang selesai (hari kerja sejak surat diterima); baku waktu "
                  f"SOP {without} hari kerja, {with_8} bila ada penarikan perangkat (langkah 8)")
    sheet.header(["Hari kerja", "Tanpa langkah 8", "Dengan langkah 8"])
    if not t.sebaran:
        sheet.append(["Belum ada permohonan yang selesai."])
        return None
    first = sheet.row + 1
    counts = {days: (a, b) for days, a, b in t.sebaran}
    for days in range(min(counts), max(counts) + 1):
        a, b = counts.get(days, (0, 0))
        sheet.append([days, a, b])
    return first, sheet.row


def _turnaround_chart(ws: Any, first: int, last: int) -> BarChart:
    chart = _stacked_columns(ws, "Sebaran waktu penyelesaian (hari kerja)", first, last, (2, 3),
                             (_BLUE, _TEAL))
    chart.x_axis.title = "hari kerja"
    return chart


def _stacked_columns(ws: Any, title: str, first: int, last: int, columns: tuple[int, int],
                     colours: tuple[str, ...]) -> BarChart:
    """Stacked columns of rows ``first``–``last``: the categories in column A, one series per column of
    ``columns`` (their titles from the header row above ``first``), coloured in order."""
    from openpyxl.chart import BarChart, Reference
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = title
    chart.add_data(Reference(ws, min_col=columns[0], max_col=columns[1], min_row=first - 1, max_row=last),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    for series, colour in zip(chart.series, colours, strict=True):
        series.graphicalProperties.solidFill = colour
    chart.y_axis.title = "permohonan"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.width, chart.height = 18, 8
    return chart

def _per_pd(sheet: _Sheet, f: Figures) -> None:
    sheet.heading("Menurut Perangkat Daerah")
    sheet.header(["No", "Perangkat Daerah", "Diterima", "Selesai", "Dalam proses", "Lewat batas",
                  "Ditahan (galat)", "Selesai dalam baku waktu"])
    for i, g in enumerate(f.per_pd, 1):
        c = g.counts
        sheet.append([i, g.label, c.diterima, c.selesai, c.proses, c.lewat_batas, c.ditahan, g.dalam_baku])


def _gaps(sheet: _Sheet, f: Figures) -> None:
    sheet.heading("Kelengkapan pencatatan menurut langkah (permohonan yang kurang)")
    kinds = ("dokumen", "foto", "perangkat", "keputusan")
    sheet.header(["No", "Langkah", "Isian/nomor dokumen", "Foto dokumentasi", "Data perangkat",
                  "Keputusan langkah 8", "Contoh No. Agenda"])
    for g in f.gaps:
        values = [getattr(g, k) if (g.step.number, k) in CHECKS else None for k in kinds]
        sheet.append([g.step.number, f"{g.step.number}. {g.step.name}", *values, ", ".join(g.contoh)])
