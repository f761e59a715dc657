"""The fast render path: docxtpl's own steps with the per-document work done once per template. It gives
the same bytes as the reference path in render.py (tests/test_speed.py compares them on every example)."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from docxtpl import DocxTemplate
from lxml import etree

from pipeline.documents.docxfile import FIXED_TIME, SAFE_XML, StrictTemplate
from pipeline.documents.sandbox import make_environment

log = logging.getLogger(__name__)


_DOCUMENT = "word/document.xml"


_TAGGED_PARTS = re.compile(r"^word/(header|footer)\d*\.xml$|^word/(foot|end)notes\.xml$|^docProps/core\.xml$")


class FastTemplate:
    """docxtpl's body rendering with its per-document work done once per template and process:
    the tag repair (patch_xml) and the Jinja compilation are cached, the parts that do not depend
    on the fields are copied from the first render, and the result is zipped directly."""

    def __init__(self, data: bytes) -> None:
        self._helper = StrictTemplate.__new__(StrictTemplate)  # only its stateless XML helpers are used
        plain = DocxTemplate(io.BytesIO(data))
        plain.init_docx()
        source = self._helper.patch_xml(plain.get_xml())
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)  # as docxtpl's render_xml_part does
        self._env = make_environment()
        self._jinja = self._env.from_string(source)
        self._root = etree.tostring(plain.docx._element)  # the document element around the body
        self.static: dict[str, bytes] | None = None
        self._order: list[str] = []

    def learn(self, rendered: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(rendered)) as zf:
            self._order = [i.filename for i in zf.infolist()]
            self.static = {name: zf.read(name) for name in self._order if name != _DOCUMENT}

    def render(self, context: Mapping[str, Any]) -> bytes:
        assert self.static is not None
        self._env.start()
        xml = self._jinja.render(context)
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        xml = self._helper.resolve_listing(xml)
        tree = self._helper.fix_tables(xml)
        self._helper.docx_ids_index = 1000
        self._helper.fix_docpr_ids(tree)
        root = etree.fromstring(self._root, SAFE_XML)
        root.replace(root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"), tree)
        document = etree.tostring(root, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in self._order:
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                zout.writestr(info, document if name == _DOCUMENT else self.static[name])
        return out.getvalue()


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
