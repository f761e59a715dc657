"""The Jinja sandbox templates run in: StrictUndefined, autoescape, and limits on time and size, because
templates live in a shared folder anyone in the office may edit."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

RENDER_SECONDS = 10.0  # a template that loops longer than this is stopped and reported

# Every value a template makes — by an operator, a filter, a method call, a {% set %} — is bounded before it
# is made where its size can be foreseen, and checked after: one expression must not take gigabytes or hang
# the process in a single C call ((9**99)**100**100…, 'x'*60000|replace('x', 'y'*60000)).
MAX_ITEMS = 200_000  # characters of a string, items of a list or mapping
MAX_INT_BITS = 4_096  # about 1,200 decimal digits
MAX_OUTPUT = 50_000_000  # characters one render may produce in all (a document part's XML, {% set %} blocks)
MAX_MADE = 200_000_000  # characters all intermediate values of one render may add up to
_RANGE = 100_000
_BIG_WIDTH = re.compile(r"\d{7,}|\*")  # a width in a format spec ('%*s', '{:>99999999}'): refused
_TICK = "_sop_batas_waktu"  # the filter every loop runs through


class BoundedSandbox(SandboxedEnvironment):
    """The Jinja sandbox, plus limits on time and size: templates live in a shared folder anyone may edit.

    The sandbox already refuses unsafe attributes ('__class__', '__globals__'…); this also stops a template
    that builds huge values or loops to exhaust memory or time. The limits apply to every render made with it
    — trial renders of `check` included — and start again with ``start()``."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True, finalize=self._finalize)
        self.deadline = 0.0
        self.made = 0
        self.globals["range"] = self._range
        self.globals["namespace"] = _BoundedNamespace.bind(self)
        self.globals.pop("lipsum", None)  # generates any amount of text on request; no template needs it
        self.filters = {name: self._bounded(name, f) for name, f in self.filters.items()}
        self.filters[_TICK] = self._ticking  # every {% for %} goes through it (see _generate)

    def start(self, seconds: float | None = None) -> None:
        self.deadline = time.monotonic() + (RENDER_SECONDS if seconds is None else seconds)
        self.made = 0

    def tick(self) -> None:
        if self.deadline and time.monotonic() > self.deadline:
            raise SecurityError(f"templat berjalan lebih dari {RENDER_SECONDS:.0f} detik dan dihentikan")

    # --- sizes --------------------------------------------------------------------------------------------
    def check(self, value: Any) -> Any:
        """``value`` when within the limits (and counted against the render's total); else SecurityError."""
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            if value.bit_length() > MAX_INT_BITS:
                raise SecurityError(f"angka terlalu besar (lebih dari {MAX_INT_BITS} bit)")
            return value
        size = _size(value)
        if size > MAX_ITEMS:
            raise SecurityError(f"nilai terlalu panjang ({size:,} karakter/butir; batas {MAX_ITEMS:,})")
        self.made += size
        if self.made > MAX_MADE:
            raise SecurityError("templat membuat terlalu banyak teks dan dihentikan")
        return value

    def _finalize(self, value: Any) -> Any:
        return self.check(value)  # every {{ … }} the template prints

    def concat(self, chunks: Iterable[str]) -> str:
        """The render's output (and every {% set %}…{% endset %} block, macro): bounded as it is built."""
        parts: list[str] = []
        total = 0
        for n, chunk in enumerate(chunks):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise SecurityError(f"hasil templat lebih dari {MAX_OUTPUT:,} karakter dan dihentikan")
            if n % 1024 == 0:
                self.tick()
            parts.append(chunk)
        return "".join(parts)

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        """Before compiling: every {% for %} iterates through a filter that checks the deadline, so nested
        loops over long lists stop in time too (range() alone would not be enough). Templates cannot
        define filters, so none can shadow it."""
        for loop in source.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _TICK, [], [], None, None, lineno=loop.lineno)
        return super()._generate(source, name, filename, defer_init)

    def _ticking(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield item

    # --- operators, filters, calls ------------------------------------------------------------------------
    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        _foresee_binop(operator, left, right)
        return self.check(super().call_binop(context, operator, left, right))

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        self.tick()
        return self.check(super().call_unop(context, operator, arg))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.tick()
        receiver = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        _foresee_call(name, receiver, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(receiver, list | dict | set):  # l.extend(l) in a loop grows l without returning it
            __self.check(receiver)
        return __self.check(result)

    def _range(self, *args: int) -> Iterator[int]:
        if len(range(*args)) > _RANGE:
            raise SecurityError("range() terlalu besar")
        for i in range(*args):
            self.tick()
            yield i

    def _bounded(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.tick()
            values = [a for a in (*args, *kwargs.values()) if not _is_jinja_internal(a)]
            _foresee_call(name, values[0] if values else None, tuple(values[1:]), {})
            return self.check(func(*args, **kwargs))
        for attr in ("jinja_pass_arg",):  # keep Jinja's context/environment passing markers
            if hasattr(func, attr):
                setattr(call, attr, getattr(func, attr))
        return call

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """'{:>999999999}'.format(…) is sized before it runs, like every other call."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _foresee_spec(value.__self__)
        return wrapped

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)


class _BoundedNamespace(Namespace):
    """namespace(): {% set ns.s = ns.s ~ ns.s %} in a loop doubles a value no operator sees."""

    env: BoundedSandbox

    @classmethod
    def bind(cls, env: BoundedSandbox) -> type[_BoundedNamespace]:
        return type("namespace", (cls,), {"env": env})

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, type(self).env.check(value))


def _size(value: Any) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, list | tuple | dict | set | frozenset):
        return len(value)
    return 0


def _bits(value: Any) -> int:
    return value.bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _is_jinja_internal(value: Any) -> bool:
    return type(value).__module__.startswith("jinja2")  # the context or environment a filter is passed


def _foresee_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big, before Python computes it."""
    if operator == "**" and isinstance(left, int) and isinstance(right, int) and not isinstance(right, bool) \
            and right > 0 and abs(left) > 1 and max(_bits(left), 1) * right > MAX_INT_BITS:
        raise SecurityError("pangkat terlalu besar")
    if operator == "**" and isinstance(right, float) and abs(right) > 1_000:
        raise SecurityError("pangkat terlalu besar")
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int) and _bits(left) + _bits(right) > MAX_INT_BITS:
            raise SecurityError("hasil perkalian angka terlalu besar")
        sizes = [_size(x) for x in (left, right) if isinstance(x, str | list | tuple)]
        counts = [abs(x) for x in (left, right) if isinstance(x, int) and not isinstance(x, bool)]
        if sizes and counts and sizes[0] * counts[0] > MAX_ITEMS:
            raise SecurityError("hasil perkalian teks terlalu panjang")
    if operator == "%" and isinstance(left, str):
        _foresee_format(left, right)
    if operator == "+" and _size(left) + _size(right) > MAX_ITEMS:
        raise SecurityError("hasil penggabungan terlalu panjang")


def _foresee_format(spec: str, _args: Any) -> None:
    """'%-1000000000s' % x: a width in a %-spec is the size of the result."""
    if _BIG_WIDTH.search(" ".join(re.findall(r"%[^a-zA-Z%]*", spec))):
        raise SecurityError("lebar format terlalu besar")


def _foresee_spec(spec: str) -> None:
    """'{:>999999999}' or a width given as a nested field ('{:>{w}}'): refused before formatting."""
    if re.search(r"\{[^{}]*\{", spec) or _BIG_WIDTH.search(" ".join(re.findall(r"\{[^{}]*\}", spec))):
        raise SecurityError("lebar format terlalu besar")


def _foresee_call(name: str, receiver: Any, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    """The calls whose result can be far bigger than what goes in, sized before they run: numbers used as
    widths or counts, join (items × separator), replace (occurrences × new text), format specs."""
    values = (*args, *kwargs.values())
    if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_ITEMS for v in values):
        raise SecurityError(f"angka argumen '{name.lstrip('_')}' terlalu besar")
    if name == "join":
        items = receiver if isinstance(receiver, list | tuple | set | frozenset) else \
            values[0] if values and isinstance(values[0], list | tuple | set | frozenset) else None
        separator = receiver if isinstance(receiver, str) else \
            next((v for v in values if isinstance(v, str)), "")
        if items is not None:
            total = sum(len(str(x)) if isinstance(x, str | int | float) else 1 for x in items)
            if total + len(separator) * len(items) > MAX_ITEMS:
                raise SecurityError("hasil 'join' terlalu panjang")
    elif name == "replace" and isinstance(receiver, str) and len(values) >= 2:
        old, new = (str(v) for v in values[:2])
        count = receiver.count(old) if old else len(receiver) + 1
        if len(receiver) + count * max(0, len(new) - len(old)) > MAX_ITEMS:
            raise SecurityError("hasil 'replace' terlalu panjang")
    elif name == "indent" and isinstance(receiver, str):
        width = next((v for v in values if isinstance(v, int) and not isinstance(v, bool)), 4)
        prefix = next((v for v in values if isinstance(v, str)), "")
        if len(receiver) + (receiver.count("\n") + 1) * max(width, len(prefix)) > MAX_ITEMS:
            raise SecurityError("hasil 'indent' terlalu panjang")
    elif name in ("format", "format_map") and isinstance(receiver, str):  # the 'format' filter: '%s' specs
        _foresee_format(receiver, values)
    elif name == "expandtabs" and isinstance(receiver, str):
        tab = next((v for v in values if isinstance(v, int)), 8)
        if len(receiver) + receiver.count("\t") * tab > MAX_ITEMS:
            raise SecurityError("hasil 'expandtabs' terlalu panjang")


def make_environment() -> BoundedSandbox:
    """A template can read the fields it is given and nothing else, for a limited time and size."""
    env = BoundedSandbox()
    env.start()
    return env
