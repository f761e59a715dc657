"""Monitoring dan evaluasi (monev) of the SOP itself: the period, the figures, the charts, the report and
the Kinerja sheet of REKAP.xlsx."""
