"""outbox/PEMANTAU.txt: how a clerk sees that the watcher is alive. Rewritten after every cycle — at least
every rescan interval (5 minutes by default), since the periodic rescan is a cycle — and when it stops.
REKAP.xlsx's 'Diperbarui' line is the time of the last change, so it cannot say this by itself."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from pathlib import Path

from pipeline.outbox import cetak
from pipeline.outbox.files import atomic_write
from pipeline.register.values import format_date

log = logging.getLogger(__name__)

HEARTBEAT_NAME = "PEMANTAU.txt"


class Heartbeat:
    def __init__(self, outbox: Path, rescan_interval: float) -> None:
        self.path = outbox / HEARTBEAT_NAME
        self.rescan = rescan_interval
        self.computer = cetak.computer_name()
        self.started = datetime.now()

    def beat(self, now: datetime | None = None) -> None:
        self._write(self.text(now or datetime.now()))

    def stopped(self, now: datetime | None = None) -> None:
        moment = now or datetime.now()
        self._write(f"Pemantau sop-pipeline BERHENTI pada {_when(moment)} (komputer {self.computer}).\r\n"
                    "Dokumen tidak diperbarui sampai pemantau berjalan lagi. Sementara itu klik ganda "
                    "'Perbarui Dokumen.bat' di folder kantor, atau hubungi teknisi.\r\n")

    def text(self, now: datetime) -> str:
        if self.rescan:
            every = f"paling lambat setiap {self.rescan / 60:g} menit"
            stale = f"Bila waktu di atas sudah lebih dari {2 * self.rescan / 60:g} menit yang lalu, "
        else:
            every = "setiap kali ada perubahan"
            stale = "Bila register disimpan tetapi waktu di atas tidak berubah, "
        return (f"Pemantau sop-pipeline berjalan di komputer {self.computer} sejak {_when(self.started)}.\r\n"
                f"Pemeriksaan terakhir: {_when(now)}.\r\n"
                f"Pemantau memeriksa register {every}. {stale}pemantau berhenti atau macet: hubungi teknisi; "
                "sementara itu klik ganda 'Perbarui Dokumen.bat' di folder kantor.\r\n")

    def _write(self, text: str) -> None:
        with contextlib.suppress(OSError):  # the documents matter more than the heartbeat
            atomic_write(self.path, text.encode("utf-8"))


def _when(moment: datetime) -> str:
    return f"{format_date(moment.date())} pukul {moment:%H.%M}"
