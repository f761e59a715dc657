"""Reads a clerks' register from a private copy, never touching the original, into typed records and
reading problems. Headers are matched loosely, values are parsed strictly."""

from __future__ import annotations

import difflib
import hashlib
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.errors import RegisterError
from pipeline.problems import Problem, error, warning
from pipeline.register import columns as C
from pipeline.register.cells import as_typed, column_letter, convert
from pipeline.register.container import (
    DEFAULT_MAX_BYTES,
    Structure,
    check_container,
    layout,
    private_copy,
    scan_structure,
)
from pipeline.register.values import (
    clean_text,
    format_date,
    norm_key,
    parse_date,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Record:
    """One data row: typed values by column key, plus the Excel row number."""

    sheet: str
    row: int
    values: Mapping[str, Any]
    raw: Mapping[str, str]  # the cell text as typed, for messages
    unreadable: frozenset[str] = frozenset()  # keys whose value could not be read (already reported)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Register:
    path: Path
    permohonan: tuple[Record, ...]
    perangkat: tuple[Record, ...]
    pegawai: tuple[Record, ...]
    libur: tuple[Record, ...]
    pengaturan: Mapping[str, str]
    headers: Mapping[str, Mapping[str, str]]  # sheet → column key → header text as found in the file
    problems: tuple[Problem, ...] = ()
    digest: str = ""  # SHA-256 of the bytes actually read (the private copy)
    pemeriksaan: tuple[Record, ...] = ()  # the optional sheet Pemeriksaan (formulir pemeliharaan)

    @property
    def name(self) -> str:
        return self.path.name

    def header(self, sheet: str, key: str) -> str:
        """The column's header as the clerk wrote it (falls back to the declared header)."""
        found = self.headers.get(sheet, {}).get(key)
        if found:
            return found
        for decl in C.DATA_SHEETS:
            if decl.name == sheet:
                return decl.column(key).header
        return key


def is_register_file(path: Path) -> bool:
    """inbox/*.xlsx, not Excel's '~$' owner files nor temp files."""
    name = path.name
    return (path.suffix.lower() == ".xlsx" and not name.startswith(("~$", ".~", "~")) and path.is_file())


def find_registers(inbox: Path) -> list[Path]:
    if not inbox.is_dir():
        return []
    return sorted(p for p in inbox.iterdir() if is_register_file(p))


_OTHER_SHEETS = {".xlsm": "berisi makro (.xlsm)", ".xls": "format Excel lama (.xls)",
                 ".xlsb": "format biner (.xlsb)", ".ods": "format LibreOffice (.ods)", ".csv": "CSV"}


def unreadable_spreadsheets(inbox: Path) -> list[Problem]:
    """Spreadsheets in inbox/ that are not read as registers, so nobody wonders why nothing happens."""
    if not inbox.is_dir():
        return []
    found = []
    for p in sorted(inbox.iterdir()):
        kind = _OTHER_SHEETS.get(p.suffix.lower())
        if kind and p.is_file() and not p.name.startswith("~$"):
            problem = warning("", None, "", p.name, f"{p.name}: {kind} tidak dibaca sebagai register.",
                              "Simpan register sebagai 'Excel Workbook (*.xlsx)' tanpa makro.")
            found.append(replace(problem, source=p.name))
    return found


def read_register(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, attempts: int = 5,
                  backend: str = "auto") -> Register:
    """Read one register from a private copy. Raises RegisterError only when the file is unusable.

    ``backend``: 'calamine' (fast, default when installed) or 'openpyxl' (the reference). Both feed the
    same normaliser; tests/test_speed.py requires identical results from both on every fixture register.
    """
    with tempfile.TemporaryDirectory(prefix="sop-register-") as tmp:
        copy = Path(tmp) / "register.xlsx"
        private_copy(path, copy, max_bytes, attempts)
        digest = hashlib.sha256(copy.read_bytes()).hexdigest()
        check_container(path, copy)
        parts, epoch, macros = layout(path, copy)
        if backend in ("calamine", "auto"):
            register = _read_with_calamine(path, copy, parts, epoch)
        else:
            register = _read_with_openpyxl(path, copy, parts, epoch)
    register = replace(register, digest=digest)
    if macros:
        note = replace(warning("", None, "", path.name, f"{path.name} berisi makro VBA; makro tidak pernah "
                               "dijalankan, hanya nilai sel yang dibaca.", "Simpan register tanpa makro."),
                       source=path.name)
        register = replace(register, problems=(*register.problems, note))
    return register


def _read_with_calamine(original: Path, copy: Path, parts: Mapping[str, str], epoch: datetime) -> Register:
    from python_calamine import CalamineWorkbook  # the fast reader; openpyxl stays the reference
    try:
        book = CalamineWorkbook.from_path(str(copy))
    except Exception as err:  # damaged content
        raise RegisterError(f"{original.name}: tidak dapat dibuka sebagai workbook Excel ({err})") from err
    try:
        def rows(name: str) -> Iterator[Sequence[Any]]:
            # iter_rows() pads rows from row 1 but starts each row at the first used column: put the empty
            # columns back, or a register whose column A is empty would be read one column off.
            sheet = book.get_sheet_by_name(name)
            skipped = sheet.start[1] if sheet.start else 0
            if not skipped:
                return iter(sheet.iter_rows())
            pad = [""] * skipped
            return (pad + row for row in sheet.iter_rows())
        return _read_workbook(original, copy, list(book.sheet_names), rows, parts, epoch)
    except RegisterError:
        raise
    except Exception as err:
        raise RegisterError(f"{original.name}: isi workbook tidak dapat dibaca ({err})") from err
    finally:
        book.close()


def _read_with_openpyxl(original: Path, copy: Path, parts: Mapping[str, str], epoch: datetime) -> Register:
    import openpyxl  # imported only here: a quarter of a second that a run reading with calamine never pays
    try:
        # read_only: streams rows; data_only: Excel's last computed value, not the formula text.
        wb = openpyxl.load_workbook(copy, read_only=True, data_only=True, keep_links=False)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise RegisterError(f"{original.name}: tidak dapat dibuka sebagai workbook Excel ({err})") from err
    try:
        def rows(name: str) -> Iterator[Sequence[Any]]:
            ws = wb[name]
            ws.reset_dimensions()  # some programs write wrong dimensions; read to the real end
            return ws.iter_rows(values_only=True)
        return _read_workbook(original, copy, list(wb.sheetnames), rows, parts, epoch)
    except RegisterError:
        raise
    except Exception as err:
        raise RegisterError(f"{original.name}: isi workbook tidak dapat dibaca ({err})") from err
    finally:
        wb.close()


def _read_workbook(original: Path, copy: Path, sheetnames: list[str],
                   rows_of: Callable[[str], Iterator[Sequence[Any]]], parts: Mapping[str, str],
                   epoch: datetime) -> Register:
    problems: list[Problem] = []
    by_key = {norm_key(name): name for name in sheetnames}
    headers: dict[str, dict[str, str]] = {}
    tables: dict[str, tuple[Record, ...]] = {}
    for decl in C.DATA_SHEETS:
        actual = by_key.get(norm_key(decl.name))
        if actual is None:
            if decl.required:
                near = difflib.get_close_matches(decl.name, sheetnames, n=1, cutoff=0.5)
                hint = f"Apakah maksudnya sheet '{near[0]}'? Ganti namanya menjadi '{decl.name}'." if near \
                    else f"Tambahkan sheet '{decl.name}' (lihat register contoh: sop-pipeline init --contoh)."
                problems.append(error(decl.name, None, "", "", f"Sheet '{decl.name}' tidak ditemukan.", hint))
            tables[decl.name] = ()
            continue
        structure = scan_structure(copy, parts.get(actual, ""))
        records, found, sheet_problems = _read_sheet(decl, rows_of(actual), epoch, structure)
        headers[decl.name] = found
        tables[decl.name] = records
        problems += sheet_problems
    pengaturan: dict[str, str] = {}
    actual = by_key.get(norm_key(C.PENGATURAN))
    if actual is None:
        problems.append(error(C.PENGATURAN, None, "", "", f"Sheet '{C.PENGATURAN}' tidak ditemukan.",
                              "Tambahkan sheet Pengaturan berisi nama pemerintah daerah, dinas, alamat, "
                              "kota."))
    else:
        pengaturan, more = _read_settings(rows_of(actual))
        problems += more
    problems = [p if p.source else _with_source(p, original.name) for p in problems]
    return Register(original, tables["Permohonan"], tables["Perangkat"], tables["Pegawai"],
                    tables["Hari Libur"], pengaturan, headers, tuple(problems),
                    pemeriksaan=tables["Pemeriksaan"])


def _with_source(p: Problem, source: str) -> Problem:
    return replace(p, source=source)


def _match_headers(decl: C.Sheet, header_cells: Iterable[Any]) -> tuple[dict[int, C.Column], dict[str, str],
                                                                       list[Problem], list[str]]:
    keys: dict[str, C.Column] = {}
    for col in decl.columns:
        for k in col.match_keys():
            keys.setdefault(k, col)
    by_index: dict[int, C.Column] = {}
    found: dict[str, str] = {}
    problems: list[Problem] = []
    texts: list[str] = []
    for index, cell in enumerate(header_cells):
        text = clean_text(cell)
        texts.append(text)
        matched = keys.get(norm_key(text)) if text else None
        if matched is None:
            continue
        col = matched
        if col.key in found:
            problems.append(warning(decl.name, 1, text, text,
                                    f"Kolom '{col.header}' muncul dua kali (juga '{found[col.key]}' di "
                                    "depannya); yang dipakai adalah yang pertama.",
                                    "Hapus atau ganti nama salah satunya."))
            continue
        by_index[index] = col
        found[col.key] = text
    return by_index, found, problems, texts


def _nearest(wanted: C.Column, headers: list[str], used: Iterable[str]) -> str | None:
    """The unused header most like the wanted one (a typo, a renamed column), if any."""
    unused = [h for h in headers if h and h not in set(used)]
    near = difflib.get_close_matches(norm_key(wanted.header), [norm_key(h) for h in unused], n=1, cutoff=0.6)
    return next(h for h in unused if norm_key(h) == near[0]) if near else None


def _suggest(wanted: C.Column, headers: list[str], used: Iterable[str]) -> str:
    original = _nearest(wanted, headers, used)
    if original:
        return f"Kolom terdekat yang ada: '{original}'. Ganti judulnya menjadi '{wanted.header}'."
    return f"Tambahkan kolom '{wanted.header}' di baris 1."


def _read_sheet(decl: C.Sheet, rows: Iterator[Sequence[Any]], epoch: datetime, structure: Structure
                ) -> tuple[tuple[Record, ...], dict[str, str], list[Problem]]:
    header = next(rows, None)
    if header is None:
        return (), {}, [error(decl.name, 1, "", "",
                              f"Sheet '{decl.name}' kosong: baris judul (baris 1) tidak ada.",
                              "Salin baris judul dari register contoh.")]
    by_index, found, problems, texts = _match_headers(decl, header)
    for col in decl.columns:
        if col.key in found:
            continue
        hint = _suggest(col, texts, found.values())
        if col.required:
            missing = f"Kolom wajib '{col.header}' tidak ditemukan."
            problems.append(error(decl.name, 1, col.header, "", missing, hint))
        # A column an older register may lack is missed only when a header like it is there (a typo).
        elif decl.name == C.PERMOHONAN.name and (not col.optional or _nearest(col, texts, found.values())):
            problems.append(warning(decl.name, 1, col.header, "",
                                    f"Kolom '{col.header}' tidak ditemukan; isinya dianggap kosong.", hint))
    letters = {i: column_letter(i + 1) for i in by_index}
    for ref in structure.merged:
        from openpyxl.utils.cell import range_boundaries  # openpyxl only for a register with merged cells
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue
        if max_row is not None and max_row >= 1:
            problems.append(error(decl.name, min_row, "", ref,
                                  f"Sel {ref} digabung (merge). Nilai sel gabungan hanya tersimpan di sel "
                                  "pertama, sehingga baris lain terbaca kosong.",
                                  "Pilih sel tersebut lalu 'Unmerge Cells', dan isi setiap sel."))
    records: list[Record] = []
    for row_number, cells in enumerate(rows, start=2):
        if not any(clean_text(v) for v in cells):
            continue
        values: dict[str, Any] = {}
        raw: dict[str, str] = {}
        bad: set[str] = set()
        for index, col in by_index.items():
            cell = cells[index] if index < len(cells) else None
            coordinate = f"{letters[index]}{row_number}"
            raw[col.key] = as_typed(cell)
            if coordinate in structure.uncomputed:
                problems.append(error(decl.name, row_number, found[col.key], "",
                                      f"Sel {coordinate} berisi rumus yang belum dihitung (tidak ada "
                                      "nilainya).",
                                      "Buka register di Excel, tekan F9 atau simpan ulang agar nilainya "
                                      "terhitung, atau ganti rumus dengan nilai."))
                bad.add(col.key)
                values[col.key] = None if col.kind in (C.Kind.DATE, C.Kind.DATETIME) else ""
                continue
            if coordinate in structure.errors:
                shown = structure.errors[coordinate]
                raw[col.key] = shown
                problems.append(error(decl.name, row_number, found[col.key], shown,
                                      f"Sel {coordinate} berisi galat rumus Excel {shown}.",
                                      "Perbaiki rumusnya atau ganti dengan nilai."))
                bad.add(col.key)
                values[col.key] = None if col.kind in (C.Kind.DATE, C.Kind.DATETIME) else ""
                continue
            value, problem = convert(decl, col, cell, raw[col.key], row_number, found[col.key], epoch)
            if problem is not None:
                problems.append(problem)
                bad.add(col.key)
            values[col.key] = value
        records.append(Record(decl.name, row_number, values, raw, frozenset(bad)))
    return tuple(records), found, problems


def _read_settings(rows: Iterator[Sequence[Any]]) -> tuple[dict[str, str], list[Problem]]:
    keys: dict[str, C.Setting] = {}
    for s in C.SETTINGS:
        for name in (s.key, s.label, *s.aliases):
            keys[norm_key(name)] = s
    values: dict[str, str] = {}
    problems: list[Problem] = []
    present: dict[str, int] = {}  # setting key → the row where its Kunci is written
    for row_number, cells in enumerate(rows, start=1):
        if not cells:
            continue
        key = clean_text(cells[0])
        setting = keys.get(norm_key(key)) if key else None
        if setting is None:
            continue
        present.setdefault(setting.key, row_number)
        value = clean_text(cells[1]) if len(cells) > 1 else ""
        if setting.key == "tanggal_sop" and value and len(cells) > 1:
            try:
                value = format_date(parse_date(cells[1]))
            except ValueError:
                pass
        if value:
            values[setting.key] = value
    for s in C.SETTINGS:
        if s.key not in values:
            make = error if s.required else warning
            row = present.get(s.key)
            # The blank register has every row: there the value is what is missing, not the row.
            hint = (f"Isi kolom Nilai di baris {row} ('{s.label}'), mis. '{s.example}'." if row else
                    f"Tambahkan baris '{s.label}' dengan nilainya, mis. '{s.example}'.")
            problems.append(make(C.PENGATURAN, row, "Nilai" if row else s.label, "",
                                 f"Pengaturan '{s.label}' belum diisi"
                                 + ("; kop dokumen tidak dapat dibuat." if s.required else
                                    "; di dokumen dicetak titik-titik."), hint))
    return values, problems
