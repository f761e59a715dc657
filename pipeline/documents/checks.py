"""Templates read once per run and checked before any document is written: syntax (naming the broken
tag), unknown fields (with "did you mean"), and a trial render with a full sample."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.documents.catalog import DOCUMENTS, DocumentSpec
from pipeline.documents.fields import FIELDS_VERSION
from pipeline.documents.render import LoadedTemplate, render_bytes
from pipeline.outbox.files import atomic_write
from pipeline.problems import Problem, error

if TYPE_CHECKING:
    from jinja2 import nodes

_JINJA_NAMES = {"loop", "range", "true", "false", "none", "True", "False", "None"}


@dataclass
class TemplateSet:
    templates: dict[str, LoadedTemplate]
    problems: list[Problem]

    def get(self, key: str) -> LoadedTemplate | None:
        return self.templates.get(key)


def template_problem(spec: DocumentSpec, message: str, hint: str, value: str = "") -> Problem:
    return error(spec.template, None, "", value, message, hint, place="Templat")


# A long-lived process (watch mode) checks each template version once; other runs use the cache file.
# The checks depend on the fields the pipeline offers, so a new version or new fields check again.
_CHECK_VERSION = f"{__version__}/{FIELDS_VERSION}/catatan-kaki"  # suffix: fields of notes and properties


class CheckedTemplates:
    """The checks a long-lived process (a watcher) has already made, by template key and digest: problems
    found and fields used. Owned by the caller; a changed template has a new digest and is checked again."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str], tuple[list[Problem], set[str]]] = {}


Samples = Mapping[str, Mapping[str, Any]]


def load_templates(folder: Path, sample: Samples | Callable[[], Samples], max_bytes: int = 20 * 1024 * 1024,
                   cache: Path | None = None, checked: CheckedTemplates | None = None) -> TemplateSet:
    """Read and check every template. A broken one is a problem naming it; the others still work.

    ``sample``: the complete sample context per document, or a function that builds it — called only
    when a template is to be checked (building it costs a fifth of a second, which an edit should not pay).
    ``cache``: a JSON file remembering which template versions passed the checks, so an unchanged
    template is not trial-rendered on every run (the file is only a hint: a bad or stale one is ignored).
    ``checked``: the caller's memory of checks already made in this process.
    """
    memory = (checked or CheckedTemplates()).results
    samples: Samples | None = None if callable(sample) else sample
    loaded: dict[str, LoadedTemplate] = {}
    problems: list[Problem] = []
    passed = _read_passed(cache)
    for spec in DOCUMENTS:
        path = folder / spec.template
        try:
            if path.stat().st_size > max_bytes:
                problems.append(template_problem(spec, f"Templat {spec.template} terlalu besar.",
                                                 "Kecilkan gambar di dalam templat."))
                continue
            data = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                unpacked = sum(i.file_size for i in zf.infolist())
            if unpacked > 10 * max_bytes:
                problems.append(template_problem(spec, f"Templat {spec.template} terlalu besar setelah "
                                                 f"dibuka ({unpacked / 1e6:.0f} MB); ditolak demi keamanan.",
                                                 "Simpan ulang templat dari Word."))
                continue
        except zipfile.BadZipFile:
            problems.append(template_problem(spec, f"Templat {spec.template} bukan dokumen Word "
                                             "(.docx) yang utuh.",
                                             "Simpan ulang templat dari Word sebagai .docx."))
            continue
        except OSError:
            problems.append(template_problem(spec, f"Templat {spec.template} tidak ditemukan di "
                                             f"{folder.name}/.",
                                             "Salin templat bawaan dengan 'sop-pipeline init' atau "
                                             "kembalikan file dari _riwayat/cadangan."))
            continue
        tpl = LoadedTemplate(spec, path, data, hashlib.sha256(data).hexdigest())
        key = f"{spec.key}:{tpl.digest}"
        cached = memory.get((spec.key, tpl.digest))
        if cached is None and key in passed:
            cached = memory[(spec.key, tpl.digest)] = ([], set(passed[key]))
        if cached is None:
            if samples is None:
                samples = sample() if callable(sample) else sample
            found = check_template(tpl, samples[spec.key])
            cached = memory[(spec.key, tpl.digest)] = (found, set(tpl.fields))
        found, tpl.fields = cached[0], set(cached[1])
        if found:
            problems += found
            continue
        loaded[spec.key] = tpl
    if cache is not None:
        now = {f"{t.spec.key}:{t.digest}": sorted(t.fields) for t in loaded.values()}
        if now != passed:
            with contextlib.suppress(OSError):
                cache.parent.mkdir(parents=True, exist_ok=True)
                body = {"versi": _CHECK_VERSION, "lolos": now}
                atomic_write(cache, json.dumps(body, sort_keys=True, indent=1).encode())
    return TemplateSet(loaded, problems)


def _read_passed(cache: Path | None) -> dict[str, list[str]]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8")) if cache else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("versi") != _CHECK_VERSION \
            or not isinstance(data.get("lolos"), dict):
        return {}
    return {k: v for k, v in data["lolos"].items()
            if isinstance(v, list) and all(isinstance(f, str) for f in v)}


# What DocxTemplate.render renders besides the body, headers and footers (docxtpl 0.20): footnotes and these
# core properties. A field used only there must be fingerprinted too, or a changed value never reaches the
# document (tests/test_trust.py).
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def _sources(data: bytes) -> Iterator[tuple[str, str, str]]:
    """The Jinja source of every part docxtpl renders, after docxtpl's own tag repair, and the part's XML as
    Word wrote it (the repair joins an unclosed tag with the text up to the next '}}': the raw XML shows
    where it really is)."""
    from docxtpl import DocxTemplate  # docxtpl and Jinja only when a template is really checked
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.init_docx()
    raw = tpl.get_xml()
    yield "isi", tpl.patch_xml(raw), raw
    for uri, where in ((tpl.HEADER_URI, "header"), (tpl.FOOTER_URI, "footer")):
        for _key, part in tpl.get_headers_footers(uri):
            raw = tpl.get_part_xml(part)
            yield where, tpl.patch_xml(raw), raw
    for part in tpl.docx.part.package.parts:
        if part.content_type == _FOOTNOTES:
            blob = part.blob
            raw = blob.decode("utf-8") if isinstance(blob, bytes) else blob
            yield "catatan kaki", tpl.patch_xml(raw), raw
    for name in _PROPERTIES:
        if value := getattr(tpl.docx.core_properties, name):
            yield f"properti dokumen '{name}'", value, value


_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _paragraphs(source: str) -> list[str]:
    """The text of each paragraph of a part's XML, as Word shows it (tags stripped, entities read)."""
    import html
    return [html.unescape(re.sub(r"<[^>]+>", "", part.replace("<w:tab/>", " ")))
            for part in re.split(r"</w:p>", source)]


def _unbalanced(text: str) -> str:
    """The first tag in ``text`` that is opened and not closed ('{{ p.hal'), or a closing without its
    opening; '' when every tag is whole."""
    opened, start = "", 0
    for m in re.finditer(r"\{[{%#]|[}%#]\}", text):
        token = m.group()
        if token in _OPENERS:
            if opened:
                return text[start:m.start()].strip()
            opened, start = token, m.start()
        elif not opened or _OPENERS[opened] != token:
            return text[max(0, m.start() - 30):m.end()].strip()
        else:
            opened = ""
    return text[start:].strip() if opened else ""


def _broken_tag(raw: str, source: str, env: Any, lineno: int | None) -> tuple[str, str, str]:
    """(the broken tag, the text of its paragraph, the closing it lacks) for a syntax error in ``source``
    (``raw``: the same part before docxtpl's repair): a tag left open or closed twice, else a {{ … }} that
    does not parse on its own, else an {% if %}/{% for %} never ended, else the paragraph of Jinja's line."""
    from jinja2 import TemplateSyntaxError
    paragraphs = [p for p in _paragraphs(raw) if p.strip()]
    for text in paragraphs:
        tag = _unbalanced(text)
        if tag:
            closer = _OPENERS.get(tag[:2], "")
            return tag[:80], text, closer if closer and not tag.endswith(closer) else ""
    for text in paragraphs:
        for tag in re.findall(r"\{\{.*?\}\}", text):
            try:
                env.parse(tag)
            except TemplateSyntaxError:
                return tag[:80], text, ""
    blocks: list[tuple[str, str, str]] = []
    for text in paragraphs:
        for m in re.finditer(r"\{%-?\s*(?:p|tr|tc|r)?\s*(\w+)[^%]*%\}", text):
            word = m.group(1)
            if word in ("if", "for", "with", "filter", "macro", "call", "block"):
                blocks.append((m.group(), text, "{% end" + word + " %}"))
            elif word.startswith("end"):
                if not blocks:
                    return m.group(), text, ""
                blocks.pop()
    if blocks:
        return blocks[-1]
    lines = source.splitlines()
    if lineno and lineno <= len(lines):
        text = " ".join(p for p in _paragraphs(lines[lineno - 1]) if p.strip())
        found = re.findall(r"\{[{%#].*?[}%#]\}", text)
        return (found[-1] if found else text.strip())[:80], text, ""
    return "", "", ""


def _excerpt(text: str, tag: str, width: int = 140) -> str:
    """The paragraph around ``tag``, shortened to about ``width`` characters."""
    text = " ".join(text.split())
    at = max(text.find(" ".join(tag.split())), 0)
    start = max(0, min(at - width // 3, len(text) - width))
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def check_template(tpl: LoadedTemplate, sample: Mapping[str, Any]) -> list[Problem]:
    from jinja2 import TemplateSyntaxError

    from pipeline.documents.sandbox import make_environment
    spec = tpl.spec
    env = make_environment()
    known = set(flatten_fields(sample))
    problems: list[Problem] = []
    try:
        sources = list(_sources(tpl.data))
    except Exception as err:  # not a zip, not a Word document, hostile XML…
        return [template_problem(spec, f"Templat {spec.template} tidak dapat dibuka sebagai dokumen "
                                 f"Word ({err}).",
                                 "Simpan ulang templat dari Word sebagai .docx.")]
    for where, source, raw in sources:
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as err:
            tag, paragraph, closer = _broken_tag(raw, source, env, err.lineno)
            if closer:
                what = f"tag '{tag}' tidak ditutup dengan '{closer}'"
            else:
                what = f"tag '{tag}' salah tulis" if tag else "penulisan tag salah"
            around = f" Paragrafnya: «{_excerpt(paragraph, tag)}»" if paragraph else ""
            problems.append(template_problem(
                spec, f"{_sentence(f'{what} (bagian {where})')}{around} "
                f"(Jinja: {(err.message or '').rstrip('.')}).",
                "Ketik ulang tag itu sekaligus tanpa mengubah format di tengahnya; tulis {{ nama }} lengkap "
                "dengan penutupnya, dan pastikan setiap {% if %}/{% for %} ditutup.", tag))
            continue
        used = _used_fields(ast)
        tpl.fields |= used
        for name in sorted(used - known):
            if any(k.startswith(name + ".") or k.startswith(name + "[]") for k in known):
                continue  # a whole group used at once, e.g. {{ kop }}
            if name.endswith("[]") and name[:-2] in known:
                continue  # an item of a list of texts: {% for l in layanan %}{{ l }}
            near = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            problems.append(template_problem(
                spec, f"Isian '{{{{ {name} }}}}' tidak dikenal.",
                f"Apakah maksudnya '{{{{ {near[0]} }}}}'?" if near else
                "Lihat daftar kolom dengan 'sop-pipeline fields'.", name))
    if problems:
        return problems
    try:
        render_bytes(tpl, sample)
    except Exception as err:
        problems.append(template_problem(spec, _sentence(f"Templat gagal dicoba-isi: {err}"),
                                         "Periksa tag yang disebut; lihat 'sop-pipeline fields'."))
    return problems


def _sentence(text: str) -> str:
    """``text`` as a sentence: capitalised, one full stop at the end (never two)."""
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def _used_fields(ast: nodes.Template) -> set[str]:
    """Dotted field names in a template; loop variables map to their list ('perangkat[].nama')."""
    from jinja2 import nodes
    aliases: dict[str, str] = {}
    for loop in ast.find_all(nodes.For):
        listed = _chain(loop.iter)
        if listed and isinstance(loop.target, nodes.Name):
            aliases[loop.target.name] = aliases.get(listed, listed) + "[]"
    used: set[str] = set()
    inner: set[int] = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        for child in node.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
            inner.add(id(child))
    for node in ast.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if id(node) in inner:
            continue
        if isinstance(node, nodes.Name) and (node.ctx != "load" or node.name in _JINJA_NAMES):
            continue
        chain = _chain(node)
        base: nodes.Node = node
        while not chain and isinstance(base, nodes.Getattr | nodes.Getitem):
            base = base.node  # p[some_name]: count the whole of 'p' as used
            chain = _chain(base)
        if not chain:
            continue
        head, _, rest = chain.partition(".")
        if head in aliases:
            chain = aliases[head] + ("." + rest if rest else "")
        elif head in _JINJA_NAMES:
            continue
        used.add(chain)
    return used


def _chain(node: nodes.Node) -> str:
    from jinja2 import nodes
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _chain(node.node)
        return f"{base}.{node.attr}" if base else ""
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
            and isinstance(node.arg.value, str):
        base = _chain(node.node)
        return f"{base}.{node.arg.value}" if base else ""
    return ""


def flatten_fields(context: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{'kop': {'dinas': 'X'}} → {'kop.dinas': 'X'}; lists of rows → 'perangkat[].nama'."""
    out: dict[str, Any] = {}
    for key, value in context.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out |= flatten_fields(value, name + ".")
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            out[name] = value
            out |= flatten_fields(value[0], name + "[].")
        else:
            out[name] = value
    return out
