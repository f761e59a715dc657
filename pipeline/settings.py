"""The one Settings object, built once from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Settings:
    root: Path  # the office folder holding inbox/, outbox/ and templates_docx/
    today: date = field(default_factory=date.today)
    max_register_bytes: int = 50 * 1024 * 1024
    max_photo_bytes: int = 20 * 1024 * 1024
    workers: int = field(default_factory=_default_workers)
    pdf: bool = False  # also convert documents to PDF with LibreOffice (run and arsip)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def templates(self) -> Path:
        return self.root / "templates_docx"

    @property
    def lampiran(self) -> Path:
        return self.inbox / "lampiran"

    @classmethod
    def build(cls, root: Path | str | None = None, today: date | None = None, **overrides: object) -> Settings:
        """From explicit values, falling back to SOP_PIPELINE_* environment variables, then defaults."""
        env = os.environ
        root_path = Path(root or env.get("SOP_PIPELINE_ROOT") or Path.cwd()).resolve()
        if today is None and env.get("SOP_PIPELINE_TODAY"):
            today = date.fromisoformat(env["SOP_PIPELINE_TODAY"])
        values: dict[str, object] = {"root": root_path, **({"today": today} if today else {})}
        if env.get("SOP_PIPELINE_WORKERS"):
            values["workers"] = int(env["SOP_PIPELINE_WORKERS"])
        if env.get("SOP_PIPELINE_PDF"):
            values["pdf"] = env["SOP_PIPELINE_PDF"].strip().lower() in {"1", "true", "ya", "yes", "on"}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
