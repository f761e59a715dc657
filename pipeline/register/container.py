"""The .xlsx container, before and beside the cell values: a private copy of the register, checks
against broken and hostile files, where each sheet lives, and what fast readers hide (merged cells,
formulas without a computed value, error values). All XML here is parsed with defusedxml."""

from __future__ import annotations

import io
import logging
import re
import shutil
import time as _time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from defusedxml.ElementTree import fromstring, iterparse

from pipeline.errors import RegisterError

log = logging.getLogger(__name__)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls are OLE files, not zips
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_MAX_UNZIPPED = 400 * 1024 * 1024
_MAX_RATIO = 200  # a real xlsx compresses ~5-20x; a zip bomb compresses ~1000x
_NEEDS_SCAN = re.compile(rb"<(?:\w+:)?(?:f|mergeCell)[\s>/]|\st=\"e\"")
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def layout(original: Path, copy: Path) -> tuple[dict[str, str], datetime, bool]:
    """Sheet name → zip member, the date epoch (1900 or 1904), and whether the file carries macros."""
    try:
        with zipfile.ZipFile(copy) as zf:
            macros = any(n.lower().endswith("vbaproject.bin") for n in zf.namelist())
            book = fromstring(zf.read("xl/workbook.xml"))
            rels = fromstring(zf.read("xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in \
                zf.namelist() else None
    except Exception as err:  # entities, DTDs, damaged XML
        raise RegisterError(f"{original.name}: struktur workbook tidak dapat dibaca "
                            f"({type(err).__name__})") from err
    targets = {}
    if rels is not None:
        for rel in rels:
            target = rel.get("Target", "")
            targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    parts = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        member = targets.get(sheet.get(f"{_NS_REL}id"))
        if member:
            parts[sheet.get("name", "")] = member
    props = book.find(f"{_NS_MAIN}workbookPr")
    date1904 = props is not None and props.get("date1904", "").lower() in ("1", "true")
    return parts, (datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)), macros


def private_copy(src: Path, dst: Path, max_bytes: int, attempts: int) -> None:
    """Copy with retries: Excel's save deletes and renames, and Windows locks files mid-save."""
    for attempt in range(attempts):
        try:
            size = src.stat().st_size
            if size > max_bytes:
                raise RegisterError(f"{src.name}: ukuran {size / 1e6:.1f} MB melebihi batas "
                                    f"{max_bytes / 1e6:.0f} MB untuk sebuah register")
            shutil.copyfile(src, dst)
            if dst.stat().st_size != size:
                raise OSError("file berubah saat disalin")
            return
        except OSError as err:
            if attempt == attempts - 1:
                raise RegisterError(f"{src.name}: tidak dapat disalin untuk dibaca ({err}); "
                                    "mungkin sedang disimpan atau dikunci") from err
            _time.sleep(0.2 * 2**attempt)


def check_container(original: Path, copy: Path) -> None:
    with copy.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise RegisterError(f"{original.name}: file terenkripsi (berkata sandi) atau format .xls lama; "
                            "simpan ulang sebagai .xlsx tanpa kata sandi")
    if not zipfile.is_zipfile(copy):
        raise RegisterError(f"{original.name}: bukan file .xlsx yang utuh "
                            "(rusak, terpotong, atau bukan Excel)")
    try:
        with zipfile.ZipFile(copy) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
    except zipfile.BadZipFile as err:
        raise RegisterError(f"{original.name}: isi file .xlsx rusak ({err})") from err
    if "xl/workbook.xml" not in names:
        raise RegisterError(f"{original.name}: bukan workbook Excel (xl/workbook.xml tidak ada)")
    if total > _MAX_UNZIPPED or total / packed > _MAX_RATIO:
        raise RegisterError(f"{original.name}: isi file terlalu besar setelah dibuka ({total / 1e6:.0f} MB); "
                            "file ini ditolak demi keamanan (zip bomb)")
    bad = _xml_with_dtd(copy, [n for n in names if n.endswith((".xml", ".rels"))])
    if bad:
        raise RegisterError(f"{original.name}: bagian {bad} berisi deklarasi DTD/entitas XML yang tidak "
                            "pernah ada di file Excel asli; file ini ditolak demi keamanan")


_ROOT_START = re.compile(rb"<[A-Za-z_]")


def _xml_with_dtd(copy: Path, members: list[str]) -> str:
    """The first XML part whose prolog declares a DTD (entity bombs, external entities), or ''.

    Excel never writes one; every reader is protected anyway (defusedxml for openpyxl and our scans,
    calamine does not expand entities), this just refuses such a file with a clear message."""
    with zipfile.ZipFile(copy) as zf:
        for name in members:
            with zf.open(name) as fh:
                head = b""
                while len(head) < 65536:
                    chunk = fh.read(4096)
                    if not chunk:
                        break
                    head += chunk
                    prolog = head[:m.start()] if (m := _ROOT_START.search(head)) else head
                    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                        return name
                    if m:
                        break
                else:
                    return name  # no root element in 64 KB of prolog: not something Excel writes
    return ""


@dataclass
class Structure:
    merged: list[str] = field(default_factory=list)
    uncomputed: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)  # cell → Excel error value ('#REF!')


def scan_structure(copy: Path, member: str) -> Structure:
    """What fast readers hide: merged ranges, formulas without a computed value, error values.

    Parsed with defusedxml, streaming, so a hostile sheet cannot expand entities or hold memory.
    """
    found = Structure()
    if not member:
        return found
    member = member.lstrip("/")
    try:
        with zipfile.ZipFile(copy) as zf:
            data = zf.read(member)
        if not _NEEDS_SCAN.search(data):
            return found  # most sheets have neither: skip the second parse
        formula = False
        value: str | None = None
        for event, elem in iterparse(io.BytesIO(data), events=("start", "end")):
            tag = elem.tag.rpartition("}")[2]
            if event == "start":
                if tag == "c":
                    formula, value = False, None
                continue
            if tag == "f":
                formula = True
            elif tag == "v":
                value = elem.text or None
            elif tag == "c":
                ref = elem.get("r", "")
                if formula and value is None:
                    found.uncomputed.add(ref)
                elif elem.get("t") == "e":
                    found.errors[ref] = value or "#N/A"
                elem.clear()
            elif tag == "mergeCell":
                found.merged.append(elem.get("ref", ""))
            elif tag == "row":
                elem.clear()
    except Exception as err:  # a damaged part: openpyxl reports the file itself
        log.debug("structure scan of %s failed: %s", member, err)
    return found
