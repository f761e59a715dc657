"""Each request folder's _manifest.json: which document was written from which fingerprint, so an
unchanged document is never rewritten, and which PDF was made from which document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.outbox.files import atomic_write, read_regular

MANIFEST = "_manifest.json"
MAX_BYTES = 16 * 1024 * 1024  # a request folder's manifest is a few kilobytes; never a link, device or bomb


@dataclass
class Manifest:
    """What was written in one request folder: per document file, its fingerprint and content hash."""

    path: Path
    entries: dict[str, dict[str, Any]]
    request_key: str = ""  # digest of everything the request's documents were built from
    # Every archive made of this folder ('_arsip/2026/017 - Dinas Kesehatan.zip' → SHA-256 of the zip), so
    # `arsip --verify` notices an archive that was deleted or replaced.
    archives: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        try:
            data = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            entries = data.get("dokumen", {})
            key = data.get("masukan", "")
            archives = data.get("arsip", {})
        except (OSError, ValueError):
            entries, key, archives = {}, "", {}
        entries = entries if isinstance(entries, dict) else {}
        archives = archives if isinstance(archives, dict) else {}
        return cls(path, {k: v for k, v in entries.items() if isinstance(v, dict)}, str(key),
                   {k: v for k, v in archives.items() if isinstance(k, str) and isinstance(v, str)})

    def present(self, filename: str) -> bool:
        return filename in self.entries and (self.path.parent / filename).exists()

    def unchanged(self, filename: str, fingerprint: str) -> bool:
        """True when the document on disk is the one last written for this fingerprint."""
        entry = self.entries.get(filename)
        target = self.path.parent / filename
        return entry is not None and entry.get("sidik") == fingerprint and target.exists()

    def record(self, filename: str, fingerprint: str, content: bytes, extra: Mapping[str, Any]) -> None:
        self.entries[filename] = {"sidik": fingerprint, "sha256": hashlib.sha256(content).hexdigest(),
                                  "ditulis": datetime.now().isoformat(timespec="seconds"), **extra}

    def save(self, fsync: bool = True) -> None:
        """``fsync=False``: the writer flushes the folder once instead (a lost manifest costs a rewrite of
        identical documents, never a wrong one)."""
        content: dict[str, Any] = {"versi": 1, "masukan": self.request_key, "dokumen": self.entries}
        if self.archives:
            content["arsip"] = self.archives
        body = json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True)
        atomic_write(self.path, body.encode("utf-8"), fsync=fsync, root=self.path.parent)
