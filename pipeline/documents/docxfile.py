"""The .docx package around a rendering: refuse XML that docxtpl would silently "repair", and zip with
fixed timestamps so identical inputs give identical bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from lxml import etree

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


# Template parts come from a shared folder: never resolve entities or reach the network while parsing.
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class StrictTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl has no type hints
    """docxtpl repairs broken XML by silently dropping content (docs/LIBRARIES.md, 'docxtpl'); refuse
    instead."""

    def fix_tables(self, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, SAFE_XML)
        except etree.XMLSyntaxError as err:
            raise TemplateError(f"hasil pengisian bukan XML yang sah ({err})") from err
        return super().fix_tables(xml)


def normalise_docx(data: bytes) -> bytes:
    """Re-zip with fixed entry timestamps (python-docx stamps 'now'), checking every XML part parses."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.endswith(".xml") or item.filename.endswith(".rels"):
                # raises on a damaged part: never write a half-valid document
                etree.fromstring(body, SAFE_XML)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, body)
    return out.getvalue()
