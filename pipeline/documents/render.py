"""Fills Word templates safely: a sandboxed Jinja environment with StrictUndefined and autoescape,
templates checked before use, output made byte-identical for identical inputs."""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.documents.catalog import DocumentSpec
from pipeline.documents.photos import ImageRef, prepare_image

if TYPE_CHECKING:  # docxtpl, python-docx and Jinja are imported when a document is really rendered
    from docxtpl import DocxTemplate

    from pipeline.documents.fastdocx import FastTemplates

log = logging.getLogger(__name__)


@dataclass
class LoadedTemplate:
    spec: DocumentSpec
    path: Path
    data: bytes  # read once per run, so an edit mid-run cannot mix two versions
    digest: str
    fields: set[str] = field(default_factory=set)  # dotted names the template uses


def _bind_images(value: Any, tpl: DocxTemplate) -> Any:
    if isinstance(value, ImageRef):
        from docx.shared import Mm
        from docxtpl import InlineImage
        data = prepare_image(value)
        if data is None:
            return "(foto tidak dapat dibaca)"
        return InlineImage(tpl, io.BytesIO(data), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {k: _bind_images(v, tpl) for k, v in value.items()}
    if isinstance(value, list):
        return [_bind_images(v, tpl) for v in value]
    return value


def render_bytes(tpl: LoadedTemplate, context: Mapping[str, Any], fast: FastTemplates | None = None) -> bytes:
    """Render one document; identical inputs give identical bytes.

    With ``fast`` (the caller's prepared renderers) the fast path is used where the template allows it,
    otherwise plain docxtpl; both give the same bytes (tests/test_speed.py compares them part by part).
    """
    renderer = fast.get(tpl.digest, tpl.data) if fast is not None else None
    if renderer is not None and not _has_images(context):
        if renderer.static is not None:
            return renderer.render(context)
        data = render_bytes_docxtpl(tpl, context)
        renderer.learn(data)  # the first render gives the parts that never change
        return data
    return render_bytes_docxtpl(tpl, context)


def render_bytes_docxtpl(tpl: LoadedTemplate, context: Mapping[str, Any]) -> bytes:
    """The reference path: a fresh docxtpl document per render."""
    from pipeline.documents.docxfile import StrictTemplate, normalise_docx
    from pipeline.documents.sandbox import make_environment
    doc = StrictTemplate(io.BytesIO(tpl.data))
    bound = _bind_images(context, doc)
    doc.render(bound, jinja_env=make_environment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return normalise_docx(out.getvalue())


def _has_images(value: Any) -> bool:
    kind = type(value)
    if kind is str or kind is int or value is None:  # nearly every field: no ABC check for them
        return False
    if kind is dict:
        return any(_has_images(v) for v in value.values())
    if kind is list:
        return any(_has_images(v) for v in value)
    if isinstance(value, ImageRef):
        return True
    if isinstance(value, Mapping):
        return any(_has_images(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_images(v) for v in value)
    return False


