"""Documentation photos: found in inbox/lampiran/<No. Agenda>/, checked, and prepared for a document
(rotated as the camera meant, downscaled, re-encoded without metadata)."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.outbox.files import safe_name
from pipeline.problems import Problem, warning

log = logging.getLogger(__name__)


PHOTO_TYPES = {".jpg", ".jpeg", ".png"}


_MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class ImageRef:
    """A picture to place in a document; ``digest`` identifies its content for fingerprints."""

    path: Path
    digest: str
    width_mm: float
    max_px: int = 1600
    data: bytes | None = None  # in-memory picture (samples); otherwise read from ``path``

    def __str__(self) -> str:  # what a fingerprint sees
        return f"image:{self.digest}:{self.width_mm}"


def photo_problem(path: Path, max_bytes: int) -> str | None:
    try:
        from PIL import Image  # imported only when a photo is really looked at
        size = path.stat().st_size
        if size > max_bytes:
            return f"ukurannya {size / 1e6:.1f} MB melebihi batas {max_bytes / 1e6:.0f} MB"
        with Image.open(path) as img:
            if img.format not in ("JPEG", "PNG"):
                return f"bukan JPEG/PNG ({img.format})"
            if img.width * img.height > _MAX_PIXELS:
                return f"gambarnya terlalu besar ({img.width}×{img.height} piksel)"
    except Exception as err:  # unreadable, truncated, or a decompression bomb
        return f"tidak dapat dibaca sebagai gambar ({type(err).__name__})"
    return None


def image_ref(path: Path, width_mm: float) -> ImageRef:
    # Name, size and modification time identify a picture well enough, without reading every photo each run.
    stat = path.stat()
    digest = hashlib.sha256(f"{path.name}\x00{stat.st_size}\x00{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return ImageRef(path, digest, width_mm)


def find_photos(lampiran: Path, agenda: str, max_bytes: int) -> tuple[list[ImageRef], list[Problem]]:
    """The photos in lampiran/<No. Agenda>/, sorted by name; pictures that cannot be used are warnings."""
    folder = lampiran / safe_name(agenda)
    if not folder.is_dir():
        return [], []
    found: list[ImageRef] = []
    problems: list[Problem] = []
    where = f"lampiran/{folder.name}"
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in PHOTO_TYPES or path.name.startswith(("~$", ".")) or not path.is_file():
            continue
        reason = photo_problem(path, max_bytes)
        if reason:
            problems.append(warning(where, None, "", path.name, f"Foto '{path.name}' dilewati: {reason}.",
                                    "Ganti dengan foto JPEG/PNG biasa yang lebih kecil.", agenda=agenda))
            continue
        found.append(image_ref(path, 75))
    return found, problems


def prepare_image(ref: ImageRef) -> bytes | None:
    """Rotated as the camera meant (EXIF), downscaled, re-encoded without metadata; None when unreadable."""
    from PIL import Image, ImageOps
    try:
        with Image.open(io.BytesIO(ref.data) if ref.data is not None else ref.path) as opened:
            img: Image.Image = ImageOps.exif_transpose(opened)
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
