"""Fills Word templates safely: a sandboxed Jinja environment with StrictUndefined and autoescape,
templates checked before use, output made byte-identical for identical inputs."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import json
import logging
import re
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from PIL import Image, ImageOps

from pipeline import __version__
from pipeline.documents.catalog import DOCUMENTS, DocumentSpec
from pipeline.documents.fields import FIELDS_VERSION, ImageRef
from pipeline.outbox.files import atomic_write as _atomic_write
from pipeline.problems import Problem, error

log = logging.getLogger(__name__)

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Template parts come from a shared folder: never resolve entities or reach the network while parsing.
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_JINJA_NAMES = {"loop", "range", "true", "false", "none", "True", "False", "None"}


RENDER_SECONDS = 10.0  # a template that loops longer than this is stopped and reported
_MAX_ITEMS = 200_000  # longest string or list a template may build with * or a filter


class _BoundedSandbox(SandboxedEnvironment):
    """The Jinja sandbox, plus limits on time and size: templates live in a shared folder anyone may edit.

    The sandbox already refuses unsafe attributes ('__class__', '__globals__'…) and caps range() at
    100,000; this also stops a template that multiplies strings or nests loops to exhaust memory or time.
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self.deadline = 0.0
        self.globals["range"] = self._range
        self.filters = {name: self._bounded(f) for name, f in self.filters.items()}

    def start(self, seconds: float | None = None) -> None:
        self.deadline = time.monotonic() + (RENDER_SECONDS if seconds is None else seconds)

    def tick(self) -> None:
        if self.deadline and time.monotonic() > self.deadline:
            raise SecurityError(f"templat berjalan lebih dari {RENDER_SECONDS:.0f} detik dan dihentikan")

    def _range(self, *args: int) -> Iterator[int]:
        if len(range(*args)) > 100_000:
            raise SecurityError("range() terlalu besar")
        for i in range(*args):
            self.tick()
            yield i

    def _bounded(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            if any(isinstance(a, int) and not isinstance(a, bool) and abs(a) > _MAX_ITEMS
                   for a in (*args, *kwargs.values())):
                raise SecurityError("angka argumen filter terlalu besar")
            return func(*args, **kwargs)
        for attr in ("jinja_pass_arg",):  # keep Jinja's context/environment passing markers
            if hasattr(func, attr):
                setattr(call, attr, getattr(func, attr))
        return call

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "**" and isinstance(right, int | float) and abs(right) > 100:
            raise SecurityError("pangkat terlalu besar")
        if operator == "*":
            sizes = [len(x) for x in (left, right) if isinstance(x, str | list | tuple)]
            counts = [x for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)]
            if sizes and counts and sizes[0] * abs(counts[0]) > _MAX_ITEMS:
                raise SecurityError("hasil perkalian teks terlalu panjang")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)


def make_environment() -> _BoundedSandbox:
    """A template can read the fields it is given and nothing else, for a limited time."""
    env = _BoundedSandbox()
    env.start()
    return env


class _StrictTemplate(DocxTemplate):
    """docxtpl repairs broken XML by silently dropping content (docs/LIBRARIES.md, 'docxtpl'); refuse instead."""

    def fix_tables(self, xml: str) -> Any:
        try:
            etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, _SAFE_XML)
        except etree.XMLSyntaxError as err:
            raise TemplateError(f"hasil pengisian bukan XML yang sah ({err})") from err
        return super().fix_tables(xml)


@dataclass
class LoadedTemplate:
    spec: DocumentSpec
    path: Path
    data: bytes  # read once per run, so an edit mid-run cannot mix two versions
    digest: str
    fields: set[str] = field(default_factory=set)  # dotted names the template uses


@dataclass
class TemplateSet:
    templates: dict[str, LoadedTemplate]
    problems: list[Problem]

    def get(self, key: str) -> LoadedTemplate | None:
        return self.templates.get(key)


def template_problem(spec: DocumentSpec, message: str, hint: str, value: str = "") -> Problem:
    return error(spec.template, None, "", value, message, hint)


# A long-lived process (watch mode) checks each template version once; other runs use the cache file.
# The checks depend on the fields the pipeline offers, so a new version or new fields check again.
_CHECK_VERSION = f"{__version__}/{FIELDS_VERSION}"
_CHECKED: dict[tuple[str, str], tuple[list[Problem], set[str]]] = {}


def load_templates(folder: Path, sample: Mapping[str, Mapping[str, Any]], max_bytes: int = 20 * 1024 * 1024,
                   cache: Path | None = None) -> TemplateSet:
    """Read and check every template. A broken one is a problem naming it; the others still work.

    ``cache``: a JSON file remembering which template versions passed the checks, so an unchanged
    template is not trial-rendered on every run (the file is only a hint: a bad or stale one is ignored).
    """
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
                problems.append(template_problem(spec, f"Templat {spec.template} terlalu besar setelah dibuka "
                                                 f"({unpacked / 1e6:.0f} MB); ditolak demi keamanan.",
                                                 "Simpan ulang templat dari Word."))
                continue
        except zipfile.BadZipFile:
            problems.append(template_problem(spec, f"Templat {spec.template} bukan dokumen Word (.docx) yang utuh.",
                                             "Simpan ulang templat dari Word sebagai .docx."))
            continue
        except OSError:
            problems.append(template_problem(spec, f"Templat {spec.template} tidak ditemukan di {folder.name}/.",
                                             "Salin templat bawaan dengan 'sop-pipeline init' atau kembalikan "
                                             "file dari _riwayat/cadangan."))
            continue
        tpl = LoadedTemplate(spec, path, data, hashlib.sha256(data).hexdigest())
        key = f"{spec.key}:{tpl.digest}"
        cached = _CHECKED.get((spec.key, tpl.digest))
        if cached is None and key in passed:
            cached = _CHECKED[(spec.key, tpl.digest)] = ([], set(passed[key]))
        if cached is None:
            cached = _CHECKED[(spec.key, tpl.digest)] = (check_template(tpl, sample[spec.key]), set(tpl.fields))
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
                _atomic_write(cache, json.dumps(body, sort_keys=True, indent=1).encode())
    return TemplateSet(loaded, problems)


def _read_passed(cache: Path | None) -> dict[str, list[str]]:
    try:
        data = json.loads(cache.read_text(encoding="utf-8")) if cache else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("versi") != _CHECK_VERSION or not isinstance(data.get("lolos"), dict):
        return {}
    return {k: v for k, v in data["lolos"].items() if isinstance(v, list) and all(isinstance(f, str) for f in v)}


def _sources(data: bytes) -> Iterator[tuple[str, str]]:
    """The Jinja source of every part docxtpl renders, after docxtpl's own tag repair."""
    tpl = DocxTemplate(io.BytesIO(data))
    tpl.init_docx()
    yield "isi", tpl.patch_xml(tpl.get_xml())
    for uri, where in ((tpl.HEADER_URI, "header"), (tpl.FOOTER_URI, "footer")):
        for _key, part in tpl.get_headers_footers(uri):
            yield where, tpl.patch_xml(tpl.get_part_xml(part))


def _tag_near(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return ""
    text = re.sub(r"<[^>]+>", "", "".join(lines[max(lineno - 2, 0):lineno + 1]))
    tags = re.findall(r"\{[{%#].*?[}%#]\}|\{[{%#][^}]*", text)
    return (tags[0] if tags else text.strip())[:120]


def check_template(tpl: LoadedTemplate, sample: Mapping[str, Any]) -> list[Problem]:
    spec = tpl.spec
    env = make_environment()
    known = set(flatten_fields(sample))
    problems: list[Problem] = []
    try:
        sources = list(_sources(tpl.data))
    except Exception as err:  # not a zip, not a Word document, hostile XML…
        return [template_problem(spec, f"Templat {spec.template} tidak dapat dibuka sebagai dokumen Word ({err}).",
                                 "Simpan ulang templat dari Word sebagai .docx.")]
    for where, source in sources:
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as err:
            tag = _tag_near(source, err.lineno)
            problems.append(template_problem(
                spec, f"Templat {spec.template} ({where}): penulisan tag salah — {err.message}.",
                "Ketik ulang tag itu sekaligus tanpa mengubah format di tengahnya; "
                "tulis {{ nama }} dengan spasi, dan pastikan setiap {% if %}/{% for %} ditutup.", tag))
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
                spec, f"Templat {spec.template}: kolom '{{{{ {name} }}}}' tidak dikenal.",
                f"Apakah maksudnya '{{{{ {near[0]} }}}}'?" if near else
                "Lihat daftar kolom dengan 'sop-pipeline fields'.", name))
    if problems:
        return problems
    try:
        render_bytes(tpl, sample)
    except Exception as err:
        problems.append(template_problem(spec, f"Templat {spec.template} gagal dicoba-isi: {err}.",
                                         "Periksa tag yang disebut; lihat 'sop-pipeline fields'."))
    return problems


def _used_fields(ast: nodes.Template) -> set[str]:
    """Dotted field names in a template; loop variables map to their list ('perangkat[].nama')."""
    aliases: dict[str, str] = {}
    for loop in ast.find_all(nodes.For):
        base = _chain(loop.iter)
        if base and isinstance(loop.target, nodes.Name):
            aliases[loop.target.name] = aliases.get(base, base) + "[]"
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
        base = node
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
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _chain(node.node)
        return f"{base}.{node.attr}" if base else ""
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
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


def _bind_images(value: Any, tpl: DocxTemplate) -> Any:
    if isinstance(value, ImageRef):
        data = prepare_image(value)
        if data is None:
            return "(foto tidak dapat dibaca)"
        return InlineImage(tpl, io.BytesIO(data), width=Mm(value.width_mm))
    if isinstance(value, Mapping):
        return {k: _bind_images(v, tpl) for k, v in value.items()}
    if isinstance(value, list):
        return [_bind_images(v, tpl) for v in value]
    return value


def prepare_image(ref: ImageRef) -> bytes | None:
    """Rotated as the camera meant (EXIF), downscaled, re-encoded without metadata; None when unreadable."""
    try:
        with Image.open(io.BytesIO(ref.data) if ref.data is not None else ref.path) as img:
            img = ImageOps.exif_transpose(img)
            if img.mode in ("RGBA", "LA", "P"):
                img = img.convert("RGBA")
                flat = Image.new("RGB", img.size, "white")
                flat.paste(img, mask=img.getchannel("A"))
                img = flat
            elif img.mode != "RGB":
                img = img.convert("RGB")
            img.thumbnail((ref.max_px, ref.max_px))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue()
    except Exception as err:  # a damaged or hostile picture must not stop the document
        log.warning("foto %s tidak dapat dibaca: %s", ref.path, err)
        return None


def render_bytes(tpl: LoadedTemplate, context: Mapping[str, Any]) -> bytes:
    """Render one document; identical inputs give identical bytes.

    Uses the cached fast path when the template allows it, plain docxtpl otherwise; both give the same
    document (tests/test_speed.py compares them part by part).
    """
    fast = _fast_template(tpl)
    if fast is not None and not _has_images(context):
        if fast.static is not None:
            return fast.render(context)
        data = render_bytes_docxtpl(tpl, context)
        fast.learn(data)  # the first render gives the parts that never change
        return data
    return render_bytes_docxtpl(tpl, context)


def render_bytes_docxtpl(tpl: LoadedTemplate, context: Mapping[str, Any]) -> bytes:
    """The reference path: a fresh docxtpl document per render."""
    doc = _StrictTemplate(io.BytesIO(tpl.data))
    bound = _bind_images(context, doc)
    doc.render(bound, jinja_env=make_environment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return normalise_docx(out.getvalue())


def _has_images(value: Any) -> bool:
    if isinstance(value, ImageRef):
        return True
    if isinstance(value, Mapping):
        return any(_has_images(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_images(v) for v in value)
    return False


_DOCUMENT = "word/document.xml"
_TAGGED_PARTS = re.compile(r"^word/(header|footer)\d*\.xml$|^word/(foot|end)notes\.xml$|^docProps/core\.xml$")


class _FastTemplate:
    """docxtpl's body rendering with its per-document work done once per template and process:
    the tag repair (patch_xml) and the Jinja compilation are cached, the parts that do not depend
    on the fields are copied from the first render, and the result is zipped directly."""

    def __init__(self, data: bytes) -> None:
        self._helper = _StrictTemplate.__new__(_StrictTemplate)  # only its stateless XML helpers are used
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
        root = etree.fromstring(self._root, _SAFE_XML)
        root.replace(root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"), tree)
        document = etree.tostring(root, encoding="UTF-8", standalone=True)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in self._order:
                info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                zout.writestr(info, document if name == _DOCUMENT else self.static[name])
        return out.getvalue()


_FAST: dict[str, _FastTemplate | None] = {}  # per process, by template digest


def _fast_template(tpl: LoadedTemplate) -> _FastTemplate | None:
    """The cached renderer, or None when the template needs plain docxtpl (tags outside the body)."""
    if tpl.digest not in _FAST:
        fast: _FastTemplate | None = None
        try:
            with zipfile.ZipFile(io.BytesIO(tpl.data)) as zf:
                tagged = any(_TAGGED_PARTS.match(i.filename) and re.search(rb"\{[{%]", zf.read(i.filename))
                             for i in zf.infolist())
            if not tagged:
                fast = _FastTemplate(tpl.data)
        except Exception as err:  # anything unusual: the reference path will report it
            log.debug("fast path off for %s: %s", tpl.path, err)
        _FAST[tpl.digest] = fast
    return _FAST[tpl.digest]


def normalise_docx(data: bytes) -> bytes:
    """Re-zip with fixed entry timestamps (python-docx stamps 'now'), checking every XML part parses."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.endswith(".xml") or item.filename.endswith(".rels"):
                etree.fromstring(body, _SAFE_XML)  # raises on a damaged part: never write a half-valid document
            info = zipfile.ZipInfo(item.filename, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, body)
    return out.getvalue()
