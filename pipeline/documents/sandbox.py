"""The Jinja sandbox templates run in: StrictUndefined, autoescape, and limits on time and size, because
templates live in a shared folder anyone in the office may edit."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

RENDER_SECONDS = 10.0  # a template that loops longer than this is stopped and reported


_MAX_ITEMS = 200_000  # longest string or list a template may build with * or a filter


class BoundedSandbox(SandboxedEnvironment):
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


def make_environment() -> BoundedSandbox:
    """A template can read the fields it is given and nothing else, for a limited time."""
    env = BoundedSandbox()
    env.start()
    return env
