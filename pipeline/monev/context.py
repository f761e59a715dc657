"""The fields of the monev report, built from the figures: every number as printed, the sentences of
the summary, the SOP AP monitoring form filled in, the signers on the report's date."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.documents.context import TITIK, template_dict
from pipeline.documents.fields import Office, official
from pipeline.documents.photos import ImageRef
from pipeline.monev.figures import CHECKS, Figures, Gap, StepFigures
from pipeline.monev.text import DASH, number, percent, share, step_actors
from pipeline.register.values import format_date
from pipeline.sop.staff import Staff
from pipeline.sop.steps import Actor

GOOD_SHARE = 0.9  # a step 'berjalan dengan baik' when at least this share is on time and its record complete
CHART_WIDTH_MM = 160.0
_KINDS = (("dokumen", "isian/nomor dokumen kosong"), ("foto", "tanpa foto dokumentasi"),
          ("perangkat", "tanpa data perangkat"), ("keputusan", "keputusan langkah 8 belum dicatat"))


def chart_refs(charts: Mapping[str, bytes]) -> dict[str, ImageRef]:
    """Each chart placed as the PNG it is (photos are re-encoded as JPEG; charts must stay sharp)."""
    return {name: ImageRef(Path(f"grafik-{name}.png"), hashlib.sha256(data).hexdigest()[:16], CHART_WIDTH_MM,
                           data=data, as_is=True) for name, data in charts.items()}


def report_context(f: Figures, office: Office, staff: Staff, charts: Mapping[str, ImageRef],
                   registers: Sequence[str], logo: ImageRef | None = None) -> dict[str, Any]:
    """Everything the template laporan_monev.docx may print."""
    kadis = staff.holder(Actor.KADIS, f.today)
    kabid = staff.holder(Actor.KABID, f.today)
    c = f.counts
    gaps = {g.step.number: g for g in f.gaps}
    monitoring = [_form_row(s, gaps.get(s.step.number), f) for s in f.steps]
    weak = [row["no"].rstrip(".") for row in monitoring if row["tidak"] == "☑"]
    summary = _summary_sentence(f)
    timing = _timing_sentence(f)
    finishing = _turnaround_sentence(f)
    complete = _completeness_sentence(f)
    verdict = (f"Langkah yang belum berjalan dengan baik: {', '.join(weak)}." if weak else
               "Semua langkah yang dapat dinilai berjalan dengan baik." if c.diterima else "")
    return {
        "kop": template_dict(office.kop(logo)),
        "kantor": template_dict(office.kantor()),
        "sop": {"nomor": office.get("nomor_sop") or TITIK, "tanggal": office.get("tanggal_sop") or TITIK},
        "laporan": {"judul": f.period.title, "periode": f.period.title, "rentang": f.period.span,
                    "keadaan": format_date(f.today), "tanggal": format_date(f.today), "nomor": TITIK,
                    "register": ", ".join(registers) or TITIK, "ambang": percent(GOOD_SHARE),
                    "catatan": _scope_note(f)},
        "ringkas": {"diterima": str(c.diterima), "selesai": str(c.selesai), "proses": str(c.proses),
                    "lewat_batas": str(c.lewat_batas), "ditahan": str(c.ditahan), "kalimat": summary,
                    "waktu": timing},
        "pd": [{"no": f"{i}.", "nama": g.label, "diterima": str(g.counts.diterima),
                "selesai": str(g.counts.selesai), "proses": str(g.counts.proses),
                "lewat_batas": str(g.counts.lewat_batas), "ditahan": str(g.counts.ditahan),
                "dalam_baku": str(g.dalam_baku)} for i, g in enumerate(f.per_pd, 1)]
        or [{"no": "", "nama": "Tidak ada permohonan pada periode ini.", "diterima": "", "selesai": "",
             "proses": "", "lewat_batas": "", "ditahan": "", "dalam_baku": ""}],
        "langkah": [_step_row(s) for s in f.steps],
        "penyelesaian": {"kalimat": finishing, "selesai": str(f.turnaround.selesai),
                         "dalam_baku": str(f.turnaround.dalam_baku), "median": number(f.turnaround.median),
                         "terlama": number(f.turnaround.terlama)},
        "lengkap": {"kalimat": complete, "tidak_lengkap": str(f.tidak_lengkap)},
        "kelengkapan": [_gap_row(g) for g in f.gaps],
        "monitoring": monitoring,
        "simpulan": [s for s in (summary, timing, finishing, complete, verdict) if s],
        "grafik": dict(charts),
        "ttd": {"kabid": template_dict(official(kabid, Actor.KABID, office)),  # as every document signs
                "kadis": template_dict(official(kadis, Actor.KADIS, office))},
    }


def _step_row(s: StepFigures) -> dict[str, str]:
    timed = s.step.number > 1
    return {"no": f"{s.step.number}.", "nama": s.step.name, "pelaksana": step_actors(s.step, short=True),
            "dinilai": str(s.dinilai) if timed else DASH, "tepat": str(s.tepat) if timed else DASH,
            "terlambat": str(s.terlambat) if timed else DASH,
            "tertunggak": str(s.tertunggak) if timed else DASH,
            "persen": percent(s.share), "median": number(s.median), "terlama": number(s.terlama)}


def _gap_row(g: Gap) -> dict[str, str]:
    def cell(kind: str) -> str:
        return str(getattr(g, kind)) if (g.step.number, kind) in CHECKS else DASH

    more = ", …" if g.contoh and sum(getattr(g, k) for k, _ in _KINDS) > len(g.contoh) else ""
    return {"no": f"{g.step.number}.", "nama": g.step.name, **{kind: cell(kind) for kind, _ in _KINDS},
            "contoh": ", ".join(g.contoh) + more if g.contoh else DASH}


def _gap_text(g: Gap | None) -> str:
    if g is None or not g.total:
        return ""
    parts = [f"{getattr(g, kind)} {label}" for kind, label in _KINDS if getattr(g, kind)]
    return f" Kelengkapan: {', '.join(parts)}."


def _form_row(s: StepFigures, g: Gap | None, f: Figures) -> dict[str, str]:
    """One row of the SOP AP monitoring form: berjalan dengan baik or not, and what the figures show."""
    base = {"no": f"{s.step.number}.", "prosedur": s.step.description,
            "pelaksana": step_actors(s.step, short=True), "baik": "☐", "tidak": "☐"}
    gap_total = g.total if g else 0
    if s.step.number == 1:
        if not f.counts.diterima:
            return base | {"catatan": "Tidak ada permohonan yang diterima pada periode ini."}
        note = f"{f.counts.diterima} surat permohonan diterima dan diagendakan.{_gap_text(g)}"
        return base | {"catatan": note, "baik" if not gap_total else "tidak": "☑"}
    if not s.dinilai and not gap_total:
        return base | {"catatan": "Belum dapat dinilai: belum ada permohonan yang melaksanakan langkah ini "
                                  "atau yang batas waktunya sudah lewat."}
    parts = []
    if s.dinilai:
        parts.append(f"Tepat waktu {s.tepat} dari {s.dinilai} ({percent(s.share)})"
                     + (f"; median {number(s.median)} hari kerja." if s.median is not None else "."))
    if s.terlambat:
        parts.append(f"{s.terlambat} terlambat, terlama {s.terlama} hari kerja.")
    if s.tertunggak:
        parts.append(f"{s.tertunggak} belum dilaksanakan padahal batas waktunya lewat (terlama menunggu "
                     f"{s.tertunggak_terlama} hari kerja).")
    good = (s.share is None or s.share >= GOOD_SHARE) and not gap_total
    return base | {"catatan": " ".join(parts) + _gap_text(g), "baik" if good else "tidak": "☑"}


def _scope_note(f: Figures) -> str:
    notes = []
    if f.counts.ditahan:
        notes.append(f"{f.counts.ditahan} permohonan yang barisnya di register memuat galat dihitung sebagai "
                     "ditahan dan tidak dipakai untuk menghitung waktu, tetapi tetap diperiksa "
                     "kelengkapannya.")
    if f.tanpa_tanggal:
        notes.append(f"{f.tanpa_tanggal} baris tanpa Tanggal Diterima yang terbaca tidak masuk periode "
                     "mana pun.")
    return " ".join(notes)


def _summary_sentence(f: Figures) -> str:
    c = f.counts
    if not c.diterima:
        return f"Pada {f.period.title} tidak ada permohonan pemeliharaan server yang diterima."
    return (f"Pada {f.period.title} diterima {c.diterima} permohonan pemeliharaan server: {c.selesai} "
            f"selesai, {c.proses} masih dalam proses ({c.lewat_batas} di antaranya melewati batas waktu "
            f"langkah berikutnya) dan {c.ditahan} ditahan karena barisnya di register memuat galat.")


def _timing_sentence(f: Figures) -> str:
    timed = [s for s in f.steps if s.step.number > 1 and s.dinilai]
    if not timed:
        return "Belum ada langkah yang dapat dinilai ketepatan waktunya."
    tepat = sum(s.tepat for s in timed)
    total = sum(s.dinilai for s in timed)
    text = (f"Dari {total} langkah yang dinilai, {tepat} ({percent(share(tepat, total))}) dilaksanakan dalam "
            "mutu baku.")
    worst = min(timed, key=lambda s: (s.share or 0, -(s.terlambat + s.tertunggak), s.step.number))
    if (worst.share or 0) >= 1:
        return text + " Semua langkah yang dinilai tepat waktu."
    who = f"; pelaksana {step_actors(worst.step)}" if worst.step.actors else ""
    text += (f" Ketepatan terendah pada langkah {worst.step.number} ({worst.step.name}{who}): "
             f"{percent(worst.share)} tepat waktu, median {number(worst.median)} hari kerja.")
    by_actor: Counter[str] = Counter()
    for s in timed:
        if s.step.actors:
            by_actor[step_actors(s.step, short=True)] += s.terlambat + s.tertunggak
    shares = [f"{actor} {n}" for actor, n in sorted(by_actor.items(), key=lambda kv: (-kv[1], kv[0])) if n]
    return text + (f" Langkah terlambat atau belum dilaksanakan lewat batas, menurut pelaksana: "
                   f"{'; '.join(shares)}." if shares else "")


def _turnaround_sentence(f: Figures) -> str:
    t = f.turnaround
    without, with_8 = t.baku
    if not t.selesai:
        return "Belum ada permohonan yang selesai pada periode ini."
    return (f"Dari {t.selesai} permohonan yang selesai, {t.dalam_baku} "
            f"({percent(share(t.dalam_baku, t.selesai))}) selesai dalam baku waktu SOP, yaitu {without} hari "
            f"kerja sejak surat diterima ({with_8} hari kerja bila ada penarikan perangkat pada langkah 8); "
            f"median {number(t.median)} hari kerja, terlama {number(t.terlama)} hari kerja.")


def _completeness_sentence(f: Figures) -> str:
    if not f.counts.diterima:
        return ""
    if not f.tidak_lengkap:
        return "Pencatatan dan dokumentasi semua permohonan lengkap."
    return (f"Pencatatan atau dokumentasi {f.tidak_lengkap} dari {f.counts.diterima} permohonan "
            f"({percent(share(f.tidak_lengkap, f.counts.diterima))}) belum lengkap; rinciannya menurut "
            "langkah ada pada tabel berikut.")
