"""The fast render path: docxtpl's own steps with the per-document work done once per template. It gives
the same bytes as the reference path in render.py (tests/test_speed.py compares them on every example)."""

from __future__ import annotations

import copy
import io
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)


_DOCUMENT = "word/document.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TAGGED_PARTS = re.compile(r"^word/(header|footer)\d*\.xml$|^word/(foot|end)notes\.xml$|^docProps/core\.xml$")
_LISTING_CHARS = ("\t", "\a", "\n", "\f")  # what docxtpl's resolve_listing rewrites inside <w:t>
# zipfile's own record layouts (not in its documented API, stable since Python 2).
_CENTRAL = zipfile.structCentralDir  # type: ignore[attr-defined]
_CENTRAL_SIGNATURE = zipfile.stringCentralDir  # type: ignore[attr-defined]
_END, _END_SIGNATURE = zipfile.structEndArchive, zipfile.stringEndArchive  # type: ignore[attr-defined]
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's own paragraph pattern


class FastTemplate:
    """docxtpl's body rendering with its per-document work done once per template and process: the tag
    repair (patch_xml) and the Jinja compilation, the parse of the document element around the body, and
    the deflating of the parts that do not depend on the fields (learnt from the first render). Per
    document: Jinja, one parse of the rendered body, one serialisation, one deflate."""

    def __init__(self, data: bytes) -> None:
        from docxtpl import DocxTemplate
        from lxml import etree

        from pipeline.documents.docxfile import SAFE_XML, StrictTemplate
        from pipeline.documents.sandbox import make_environment

        self._helper = StrictTemplate.__new__(StrictTemplate)  # only its stateless XML helpers are used
        plain = DocxTemplate(io.BytesIO(data))
        plain.init_docx()
        source = self._helper.patch_xml(plain.get_xml())
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)  # as docxtpl's render_xml_part does
        self._env = make_environment()
        self._jinja = self._env.from_string(source)
        # The document element around the body, parsed once; each render copies it (the body emptied,
        # so the copy is small) and puts its own body in.
        self._root = etree.fromstring(etree.tostring(plain.docx._element), SAFE_XML)
        body = self._root.find(f"{_W}body")
        if body is None:
            raise ValueError("no w:body")
        body.clear()
        self.static: dict[str, bytes] | None = None
        self._before: list[_Entry] = []  # the parts zipped before word/document.xml, then after it
        self._after: list[_Entry] = []

    def learn(self, rendered: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
            static = {i.filename: zf.read(i.filename) for i in zf.infolist() if i.filename != _DOCUMENT}
        self._before, self._after = _split(rendered, static)
        self.static = static

    def render(self, context: Mapping[str, Any]) -> bytes:
        assert self.static is not None
        from lxml import etree

        self._env.start()
        xml = self._jinja.render(context)
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # docxtpl's re.sub, undone
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in _LISTING_CHARS):  # without them resolve_listing returns its input
            xml = self._resolve_listing(xml)
        tree = self._parse(xml)
        if "docPr" in xml:
            self._helper.docx_ids_index = 1000
            self._helper.fix_docpr_ids(tree)
        root = copy.deepcopy(self._root)
        root.replace(root.find(f"{_W}body"), tree)
        document = etree.tostring(root, encoding="UTF-8", standalone=True)
        return _zip([*self._before, _Entry.deflated(_DOCUMENT, document), *self._after])

    def _parse(self, xml: str) -> Any:
        """The rendered body parsed once, strictly, and its tables repaired as docxtpl repairs them. docxtpl
        parses twice (our strict check in StrictTemplate.fix_tables, then its own recovering parse); for
        well-formed XML without a DOCTYPE both give the same tree. Anything else goes docxtpl's way."""
        from lxml import etree

        from pipeline.documents.docxfile import SAFE_XML
        if "<!" in xml:  # a DOCTYPE or CDATA: leave it to the reference steps
            return self._helper.fix_tables(xml)
        try:
            tree = etree.fromstring(xml.encode("utf-8"), SAFE_XML)
        except etree.XMLSyntaxError:
            return self._helper.fix_tables(xml)  # raises the reference path's error
        unusual = tree.nsmap.get("w") != _W[1:-1] or any(t.find(f"{_W}tblGrid") is None
                                                          for t in tree.iter(f"{_W}tbl"))
        if unusual:
            return self._helper.fix_tables(xml)  # unusual: docxtpl's own steps (and errors)
        _fix_tables(tree)
        return tree

    def _resolve_listing(self, xml: str) -> str:
        """docxtpl's resolve_listing (tabs, line breaks, page breaks typed in a value), paragraph by
        paragraph and only where there is one: it returns every other paragraph unchanged."""
        def paragraph(m: re.Match[str]) -> str:
            text = m[0]
            return str(self._helper.resolve_listing(text)) if any(c in text for c in _LISTING_CHARS) else text
        return _PARAGRAPH.sub(paragraph, xml)


def _fix_tables(tree: Any) -> None:
    """docxtpl 0.20's DocxTemplate.fix_tables on an already parsed tree, step for step (tables whose rows
    have more cells than the grid has columns get columns, a grid wider than its widest row loses some,
    widths kept in proportion). Rows of nested tables count for the outer table too, as in docxtpl."""
    from lxml import etree

    ns = _W
    for t in tree.iter(ns + "tbl"):
        grid = t.find(ns + "tblGrid")
        columns = grid.findall(ns + "gridCol")
        to_add = 0
        for r in t.iter(ns + "tr"):
            cells = r.findall(ns + "tc")
            if (len(columns) + to_add) < len(cells):
                to_add = len(cells) - len(columns)
        if to_add > 0:
            width = 0.0
            for c in columns:
                if c.get(ns + "w") is not None:
                    width += float(c.get(ns + "w"))
            if width > 0:
                old_average = width / len(columns)
                new_average = width / (len(columns) + to_add)
                for c in columns:
                    c.set(ns + "w", str(int(float(c.get(ns + "w")) * new_average / old_average)))
                for _ in range(to_add):
                    etree.SubElement(grid, ns + "gridCol", {ns + "w": str(int(new_average))})
        columns = grid.findall(ns + "gridCol")
        widest = 0
        for r in t.iter(ns + "tr"):
            total = 0
            for cell in r.findall(ns + "tc"):
                props = cell.find(ns + "tcPr")
                span = None if props is None else props.find(ns + "gridSpan")
                total += int(span.get(ns + "val")) if span is not None else 1
            widest = max(widest, total)
        to_remove = len(columns) - widest
        if to_remove > 0:
            removed = 0.0
            for c in columns[-to_remove:]:
                removed += float(c.get(ns + "w"))
                grid.remove(c)
            left = grid.findall(ns + "gridCol")
            extra = int(removed / len(left)) if left else 0
            for c in left:
                c.set(ns + "w", str(int(float(c.get(ns + "w")) + extra)))


class _Entry:
    """One zip member, already deflated: its header fields and its compressed bytes."""

    __slots__ = ("compressed", "crc", "name", "size")

    def __init__(self, name: str, compressed: bytes, crc: int, size: int) -> None:
        self.name, self.compressed, self.crc, self.size = name, compressed, crc, size

    @classmethod
    def deflated(cls, name: str, data: bytes) -> _Entry:
        # What zipfile.writestr does for ZIP_DEFLATED at the default level.
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        return cls(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def _split(rendered: bytes, static: Mapping[str, bytes]) -> tuple[list[_Entry], list[_Entry]]:
    """The static parts of a rendered document, deflated once, in their order before and after the body."""
    before: list[_Entry] = []
    after: list[_Entry] = []
    seen = False
    with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
        for info in zf.infolist():
            if info.filename == _DOCUMENT:
                seen = True
            else:
                (after if seen else before).append(_Entry.deflated(info.filename, static[info.filename]))
    return before, after


def _zip(entries: list[_Entry]) -> bytes:
    """The same bytes zipfile.ZipFile(out, "w", ZIP_DEFLATED) gives when each entry is written with
    writestr(ZipInfo(name, FIXED_TIME), data) and mode 0o600 — normalise_docx's package — from data
    deflated beforehand (small parts only: no ZIP64)."""
    from pipeline.documents.docxfile import FIXED_TIME

    out = bytearray()
    infos: list[zipfile.ZipInfo] = []
    for entry in entries:
        info = zipfile.ZipInfo(entry.name, date_time=FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        info.flag_bits = 0
        info.CRC, info.compress_size, info.file_size = entry.crc, len(entry.compressed), entry.size
        info.header_offset = len(out)
        out += info.FileHeader(False)
        out += entry.compressed
        infos.append(info)
    start = len(out)
    for info in infos:  # the central directory, as ZipFile._write_end_record writes it
        dt = info.date_time
        dosdate = (dt[0] - 1980) << 9 | dt[1] << 5 | dt[2]
        dostime = dt[3] << 11 | dt[4] << 5 | (dt[5] // 2)
        name = info.filename.encode("ascii") if info.filename.isascii() else info.filename.encode("utf-8")
        flags = info.flag_bits if info.filename.isascii() else info.flag_bits | 0x800
        out += struct.pack(_CENTRAL, _CENTRAL_SIGNATURE, info.create_version, info.create_system,
                           info.extract_version, info.reserved, flags, info.compress_type,
                           dostime, dosdate, info.CRC, info.compress_size, info.file_size, len(name),
                           len(info.extra), len(info.comment), 0, info.internal_attr, info.external_attr,
                           info.header_offset)
        out += name + info.extra + info.comment
    out += struct.pack(_END, _END_SIGNATURE, 0, 0, len(infos), len(infos), len(out) - start, start, 0)
    return bytes(out)


class FastTemplates:
    """The fast renderers a process has prepared, by template digest (None: this template needs the
    reference path). Owned by whoever renders many documents: a run, a watcher, a render worker."""

    def __init__(self) -> None:
        self._by_digest: dict[str, FastTemplate | None] = {}

    def get(self, digest: str, data: bytes) -> FastTemplate | None:
        if digest not in self._by_digest:
            self._by_digest[digest] = _prepare(digest, data)
        return self._by_digest[digest]

    def prepared(self, digest: str) -> FastTemplate | None:
        return self._by_digest.get(digest)


def _prepare(digest: str, data: bytes) -> FastTemplate | None:
    """A fast renderer, or None when the template has tags outside the body (headers, footers, notes,
    properties): those parts are rendered by the reference path only."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            tagged = any(_TAGGED_PARTS.match(i.filename) and re.search(rb"\{[{%]", zf.read(i.filename))
                         for i in zf.infolist())
        return None if tagged else FastTemplate(data)
    except Exception as err:  # anything unusual: the reference path will report it
        log.debug("fast path off for %s: %s", digest[:12], err)
        return None
