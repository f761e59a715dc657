"""'Perbarui Dokumen.bat' (and its .sh/.command twin): what a clerk double-clicks in the office folder to
run `sop-pipeline run` there, read the summary and the 'Perlu dicetak' list, then open REKAP.xlsx or
clear the list. Written by `sop-pipeline init`; plain ASCII, so every Windows code page reads it alike."""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

BAT_NAME = "Perbarui Dokumen.bat"
DEFAULT_WINDOWS_EXE = PureWindowsPath(r"C:\sop-pipeline\.venv\Scripts\sop-pipeline.exe")  # docs/WINDOWS.md


def installed_exe() -> Path:
    """The sop-pipeline command of the environment running now (beside its Python)."""
    scripts = Path(sys.executable).parent
    return scripts / ("sop-pipeline.exe" if sys.platform == "win32" else "sop-pipeline")


def twin_name(platform: str = sys.platform) -> str:
    """The double-click twin on this system: '.command' opens in Terminal on macOS, '.sh' elsewhere."""
    return "Perbarui Dokumen.command" if platform == "darwin" else "Perbarui Dokumen.sh"


def bat_text(exe: PureWindowsPath | None = None) -> str:
    """The .bat, CRLF line endings. ``exe``: where sop-pipeline is installed on the clerks' PCs; the
    technician's standard place (docs/WINDOWS.md) is tried next, then PATH."""
    candidates = [c for c in dict.fromkeys([exe, DEFAULT_WINDOWS_EXE]) if c is not None]
    lines = [
        "@echo off",
        "rem Dibuat oleh 'sop-pipeline init'. Klik ganda untuk memperbarui dokumen di folder kantor ini:",
        "rem menjalankan 'sop-pipeline run' untuk folder tempat berkas ini berada (juga di jalur jaringan",
        "rem \\\\server\\folder: -C \"%~dp0.\" dipakai karena cmd tidak dapat pindah ke jalur UNC).",
        "setlocal",
        "chcp 65001 >nul",
        "set PYTHONUTF8=1",
        "title Perbarui Dokumen - sop-pipeline",
        'set "SOP="',
        *(f'if not defined SOP if exist "{c}" set "SOP={c}"' for c in candidates),
        'if not defined SOP for %%I in (sop-pipeline.exe) do set "SOP=%%~$PATH:I"',
        "if not defined SOP goto tidakada",
        '"%SOP%" run -C "%~dp0."',
        "set KODE=%ERRORLEVEL%",
        "echo.",
        "if %KODE%==3 echo Ada GALAT: buka STATUS.txt di folder permohonan itu, atau sheet Masalah di "
        "outbox\\REKAP.xlsx.",
        "if %KODE%==1 echo sop-pipeline tidak dapat berjalan (lihat pesan di atas). Hubungi teknisi.",
        "echo.",
        "echo   R = buka REKAP.xlsx",
        "echo   S = semua dokumen sudah dicetak: kosongkan daftar Perlu dicetak",
        "echo   T = tutup jendela ini",
        'choice /C RST /N /M "Pilih R, S atau T: "',
        "if errorlevel 3 goto :eof",
        "if errorlevel 2 goto selesai",
        'start "" "%~dp0outbox\\REKAP.xlsx"',
        "goto :eof",
        ":selesai",
        '"%SOP%" cetak -C "%~dp0." --selesai',
        "echo.",
        "pause",
        "goto :eof",
        ":tidakada",
        "echo sop-pipeline tidak ditemukan di komputer ini. Dicari di:",
        *(f"echo   {c}" for c in candidates),
        "echo   dan di PATH. Minta teknisi memasangnya (docs\\WINDOWS.md, bagian 3).",
        "pause",
    ]
    return "\r\n".join(lines) + "\r\n"


def sh_text(exe: Path | None = None) -> str:
    """The twin for Linux (.sh) and macOS (.command): the same steps in POSIX sh."""
    path = str(exe) if exe is not None else ""
    quoted = "'" + path.replace("'", "'\\''") + "'"
    return f"""#!/bin/sh
# Dibuat oleh 'sop-pipeline init'. Klik ganda (atau jalankan) untuk memperbarui dokumen di folder kantor
# ini: menjalankan 'sop-pipeline run' untuk folder tempat berkas ini berada.
export PYTHONUTF8=1
cd "$(dirname "$0")" || exit 1
SOP={quoted}
[ -x "$SOP" ] || SOP=sop-pipeline
if ! command -v "$SOP" >/dev/null 2>&1; then
    echo "sop-pipeline tidak ditemukan di komputer ini. Minta teknisi memasangnya."
    printf 'Tekan Enter untuk menutup. '; read -r _; exit 1
fi
"$SOP" run -C .
kode=$?
echo
[ "$kode" -eq 3 ] && echo "Ada GALAT: buka STATUS.txt di folder permohonan itu," \
    "atau sheet Masalah di outbox/REKAP.xlsx."
[ "$kode" -eq 1 ] && echo "sop-pipeline tidak dapat berjalan (lihat pesan di atas). Hubungi teknisi."
echo
echo "  R = buka REKAP.xlsx"
echo "  S = semua dokumen sudah dicetak: kosongkan daftar Perlu dicetak"
echo "  T = tutup jendela ini"
printf 'Pilih R, S atau T, lalu Enter: '
read -r pilih
case "$pilih" in
    [Rr]*) if command -v xdg-open >/dev/null 2>&1; then xdg-open outbox/REKAP.xlsx
           else open outbox/REKAP.xlsx; fi ;;
    [Ss]*) "$SOP" cetak -C . --selesai; printf 'Tekan Enter untuk menutup. '; read -r _ ;;
esac
"""
