"""The renderer on small templates made here: safety, strictness, determinism, template checks."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import docx
import pytest
from conftest import CLOCKS

from pipeline.documents import render
from pipeline.documents.catalog import DOCUMENTS
from pipeline.documents.checks import check_template
from pipeline.documents.fastdocx import FastTemplates
from pipeline.documents.render import LoadedTemplate, render_bytes, render_bytes_docxtpl
from pipeline.documents.sample import sample_contexts

SPEC = next(d for d in DOCUMENTS if d.key == "berita_acara")
SAMPLE = sample_contexts(date(2026, 7, 21))["berita_acara"]


def template(*paragraphs: str) -> LoadedTemplate:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return LoadedTemplate(SPEC, Path("berita_acara.docx"), buf.getvalue(), "digest")


def texts(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def with_pd(value: str) -> dict:
    return {**SAMPLE, "p": {**SAMPLE["p"], "perangkat_daerah": value}}


def test_special_characters_survive() -> None:
    out = render_bytes(template("PD: {{ p.perangkat_daerah }}", "Statis R&D <x>"),
                       with_pd("PT Telkom & Co <Ltd>"))
    assert texts(out) == ["PD: PT Telkom & Co <Ltd>", "Statis R&D <x>"]


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "{% for x in range(3) %}x{% endfor %}",
                                   "{{ cycler.__init__.__globals__.os.getcwd() }}"])
def test_cell_values_never_become_template_code(value: str) -> None:
    assert texts(render_bytes(template("PD: {{ p.perangkat_daerah }}"), with_pd(value))) == [f"PD: {value}"]


def test_multiline_value_becomes_line_break() -> None:
    out = render_bytes(template("{{ p.perangkat_daerah }}"), with_pd("baris 1\nbaris 2"))
    assert texts(out) == ["baris 1\nbaris 2"]


def test_same_inputs_same_bytes() -> None:
    tpl = template("Nomor {{ doc.nomor }}", "{{ ba.pembukaan }}")
    assert render_bytes(tpl, SAMPLE) == render_bytes(tpl, SAMPLE)


def test_moving_the_clock_changes_a_zip_made_without_fixed_times(clock: Callable[[datetime], None]) -> None:
    """The `clock` fixture reaches zipfile, so the test below can fail."""
    made = []
    for moment in CLOCKS:
        clock(moment)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("word/document.xml", "<w:document/>")
        made.append(out.getvalue())
    assert made[0] != made[1]


def test_same_inputs_same_bytes_whatever_the_clock(clock: Callable[[datetime], None],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """python-docx stamps every zip entry with 'now'; the renderer's output must not carry it, on the
    reference path (docxtpl) nor on the fast path (its first render teaches it, the later ones use it)."""
    fast = FastTemplates()  # this test's own fast-path cache
    tpl = template("Nomor {{ doc.nomor }}", "{{ ba.pembukaan }}")
    plain = {k: v for k, v in SAMPLE.items() if not render._has_images(v)}  # a picture keeps docxtpl's path
    renders = []
    for moment in CLOCKS:
        clock(moment)
        renders += [render_bytes_docxtpl(tpl, plain), render_bytes(tpl, plain, fast),
                    render_bytes(tpl, plain, fast), render_bytes(tpl, SAMPLE, fast)]
    prepared = fast.prepared(tpl.digest)
    assert prepared is not None and prepared.static is not None  # the fast path really ran
    assert len(set(renders)) == 1
    with zipfile.ZipFile(io.BytesIO(renders[0])) as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_sandbox_stops_template_escapes() -> None:
    problems = check_template(template("{{ ''.__class__.__mro__[1].__subclasses__() }}"), SAMPLE)
    assert len(problems) == 1
    assert problems[0].headline().startswith("Templat 'berita_acara.docx': Templat gagal dicoba-isi: ")


def test_syntax_error_names_the_tag() -> None:
    problems = check_template(template("Baik", "{% if p.sifat %}tanpa penutup"), SAMPLE)
    assert len(problems) == 1
    assert problems[0].sheet == "berita_acara.docx"
    assert problems[0].message.startswith(
        "Tag '{% if p.sifat %}' tidak ditutup dengan '{% endif %}' (bagian isi). "
        "Paragrafnya: «{% if p.sifat %}tanpa penutup» (Jinja: ")
    assert problems[0].value == "{% if p.sifat %}"


def test_an_unclosed_tag_is_named_with_its_paragraph_not_a_later_tag() -> None:
    """docxtpl's tag repair joins '{{ p.hal' with the text up to the next '}}'; Jinja's own line number
    points at the whole body. The problem names the tag the editor broke, where it is."""
    problems = check_template(template("{{ kop.logo }}", "Hal\t: {{ p.hal", "Kepada Yth. {{ p.narahubung }}",
                                       "{{ ttd.kadis.nip }}"), SAMPLE)
    assert [(p.value, p.headline()) for p in problems] == [(
        "{{ p.hal", "Templat 'berita_acara.docx': Tag '{{ p.hal' tidak ditutup dengan '}}' (bagian isi). "
        "Paragrafnya: «Hal : {{ p.hal» (Jinja: expected token 'end of print statement', got 'Yth')."
    )]
    assert ".." not in problems[0].message


def test_unknown_field_with_suggestion() -> None:
    problems = check_template(template("{{ p.perangkat_daerh }}", "{{ ttd.kadis.nip }}"), SAMPLE)
    assert [(p.value, p.hint) for p in problems] == [
        ("p.perangkat_daerh", "Apakah maksudnya '{{ p.perangkat_daerah }}'?")]


def test_loop_fields_are_checked() -> None:
    good = check_template(template("{%p for d in perangkat %}", "{{ d.merk_tipe }}", "{%p endfor %}"), SAMPLE)
    bad = check_template(template("{%p for d in perangkat %}", "{{ d.merek }}", "{%p endfor %}"), SAMPLE)
    assert good == []
    assert [p.value for p in bad] == ["perangkat[].merek"]
