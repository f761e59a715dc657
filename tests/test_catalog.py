"""Each document declared once (documents/catalog.py), its fields declared as types (documents/context.py),
and the one sample context that the checks, `sop-pipeline fields` and the tests share."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from pipeline.documents.catalog import DOCUMENTS, Condition, document
from pipeline.documents.checks import flatten_fields
from pipeline.documents.context import field_names
from pipeline.documents.sample import field_list, sample_contexts, sample_fields
from pipeline.documents.templates import TEMPLATE_NAMES, builder
from pipeline.register.values import day_names, format_date, format_day_date, month_names

TODAY = date(2026, 6, 15)


def test_every_document_is_one_entry_with_its_template_builder() -> None:
    assert [d.key for d in DOCUMENTS] == ["lembar_disposisi", "isian_kelengkapan", "pengumuman",
                                          "penarikan_perangkat", "berita_acara", "laporan"]
    assert tuple(f"{d.key}.docx" for d in DOCUMENTS) == TEMPLATE_NAMES
    assert [d.number for d in DOCUMENTS] == [1, 2, 3, 4, 5, 6]
    for doc in DOCUMENTS:
        assert doc.template_title
        assert callable(builder(doc))
        assert document(doc.key) is doc
    with pytest.raises(KeyError, match="surat_tugas"):
        document("surat_tugas")


def test_reading_the_catalog_does_not_import_python_docx() -> None:
    code = "import sys, pipeline.documents.catalog; print('docx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_types_declare_exactly_the_fields_the_sample_has() -> None:
    declared = [name for name, _ in field_names()]
    assert len(declared) == len(set(declared))
    for key, context in sample_contexts(TODAY).items():
        assert set(flatten_fields(context)) == set(declared), key
    meanings = dict(field_names())
    assert meanings["ttd.kabid.nama"] == "Nama dengan gelar"
    assert meanings["p.nomor_surat"] == "Nomor surat permohonan dari Perangkat Daerah."
    assert meanings["tgl.pelaksanaan"].startswith("Langkah 7 (Pelaksanaan): ")


def test_field_list_gives_meaning_and_example_of_each_field() -> None:
    listed = {f.name: f for f in field_list("berita_acara", TODAY)}
    assert listed["doc.nomor"].example == "555/045/VI/2026"
    assert listed["perangkat[].nama"].example == "Server aplikasi"
    assert listed["ada.penarikan"].example is True
    assert all(f.meaning for f in listed.values())


def test_the_laporan_lists_as_lampiran_the_documents_the_catalog_attaches() -> None:
    """In the order the catalog gives (berita acara with its formulir, isian, penarikan), then the photos."""
    assert sample_fields(TODAY)["laporan"].lampiran == [
        "Berita Acara Pekerjaan", "Formulir Pemeliharaan Server", "Formulir Isian Kelengkapan",
        "Formulir Penarikan Perangkat", "Dokumentasi foto (2 foto)"]


def test_conditions_are_declared_with_the_document() -> None:
    assert {d.key: d.only_if for d in DOCUMENTS if d.only_if is not Condition.ALWAYS} == {
        "pengumuman": Condition.HENTI, "penarikan_perangkat": Condition.DIGANTI}


def test_month_and_day_names_have_one_source() -> None:
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember"]
    assert list(month_names()) == months
    assert [format_date(date(2026, m, 1)).split()[1] for m in range(1, 13)] == months
    assert day_names() == ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    assert format_day_date(date(2026, 6, 19)) == "Jumat, 19 Juni 2026"
