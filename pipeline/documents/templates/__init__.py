"""Builds the six default Word templates (docxtpl) that the pipeline fills, lean and byte-reproducible.
Which builder makes which template is declared in the catalog (DocumentSpec.builder)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocxDocument

from pipeline.documents.catalog import DOCUMENTS, DocumentSpec
from pipeline.documents.templates.package import new_document, package_bytes
from pipeline.outbox.files import atomic_write

Builder = Callable[[DocxDocument], None]

TEMPLATE_NAMES: tuple[str, ...] = tuple(doc.template for doc in DOCUMENTS)  # in SOP order


def builder(spec: DocumentSpec) -> Builder:
    """The function named by ``spec.builder`` ('module:function' in this package)."""
    module, _, function = spec.builder.partition(":")
    found: Builder = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return found


def template_bytes(name: str) -> bytes:
    """The .docx bytes of one default template (the same bytes on every call)."""
    for spec in DOCUMENTS:
        if spec.template == name:
            document = new_document(spec.template_title)
            builder(spec)(document)
            return package_bytes(document)
    raise KeyError(f"no default template named {name!r}; known: {', '.join(TEMPLATE_NAMES)}")


def build_templates(target: Path) -> list[Path]:
    """Write the six default templates into `target` (created if missing) and return their paths."""
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TEMPLATE_NAMES:
        path = target / name
        atomic_write(path, template_bytes(name))
        written.append(path)
    return written
