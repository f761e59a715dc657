"""Every optimisation must change no document: the fast paths against the reference paths."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.documents import FieldBuilder, sample_contexts
from pipeline.layout import init_folder
from pipeline.procedure import DOCUMENTS
from pipeline.register import read_register
from pipeline.render import _FAST, load_templates, render_bytes, render_bytes_docxtpl
from pipeline.staff import Staff
from pipeline.validate import due_documents, validate_register


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contoh")
    init_folder(root, contoh=True)
    return root


def contexts(root: Path) -> list[tuple[str, dict]]:
    """Every document of every request of the example register, photos left out (they use docxtpl)."""
    register = read_register(root / "inbox" / "register.xlsx")
    validation = validate_register(register, date(2026, 11, 28))
    builder = FieldBuilder(register, Staff.from_records(register.pegawai), date(2026, 11, 28))
    out = []
    for a in validation.assessments:
        devices = [d for d in register.perangkat if d.text("no_agenda") == a.agenda]
        for doc in due_documents(a.record, devices):
            out.append((doc.key, builder.context(doc, a.record, devices)))
    return out


def test_fast_path_gives_identical_documents(example: Path) -> None:
    templates = load_templates(example / "templates_docx", sample_contexts(date(2026, 11, 28)))
    assert templates.problems == []
    _FAST.clear()
    cases = contexts(example)
    assert {key for key, _ in cases} == {d.key for d in DOCUMENTS}
    for key, context in cases:
        tpl = templates.get(key)
        fast, reference = render_bytes(tpl, context), render_bytes_docxtpl(tpl, context)
        assert members(fast).keys() == members(reference).keys()
        for name, body in members(reference).items():
            assert members(fast)[name] == body, (key, name)
        assert fast == reference
    assert all(_FAST[t.digest] is not None and _FAST[t.digest].static is not None
               for t in templates.templates.values())
