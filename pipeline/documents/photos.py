"""Documentation photos: which folder of inbox/lampiran/ holds each request's photos (exactly one request
per folder), each photo checked — decoded once, memoised — and prepared for a document (rotated as the camera
meant, downscaled, re-encoded without metadata)."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import os
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.outbox.files import safe_name
from pipeline.problems import Problem, error, warning

log = logging.getLogger(__name__)


PHOTO_TYPES = {".jpg", ".jpeg", ".png"}

# Limits against pictures that would take minutes or gigabytes to decode (a 60 MP photo, an 88 MP logo.png of
# 280 KB): per picture, and for all the photos of one request together.
MAX_PIXELS = 50_000_000  # a 50 MP phone camera's full resolution
MAX_REQUEST_PIXELS = 400_000_000  # e.g. 33 photos of 12 MP
_YEAR = re.compile(r"(?:20\d\d|2100)")  # inbox/lampiran/<tahun>/: the years a register may hold


@dataclass(frozen=True)
class ImageRef:
    """A picture to place in a document; ``digest`` identifies its content for fingerprints."""

    path: Path
    digest: str
    width_mm: float
    max_px: int = 1600
    data: bytes | None = None  # in-memory picture (samples, charts); otherwise read from ``path``
    as_is: bool = False  # placed as the bytes it holds (a chart's PNG stays sharp), not re-encoded as JPEG

    def __str__(self) -> str:  # what a fingerprint sees
        return f"image:{self.digest}:{self.width_mm}"


def image_ref(path: Path, width_mm: float) -> ImageRef:
    # Name, size and modification time identify a picture well enough, without reading every photo each run.
    stat = path.stat()
    digest = hashlib.sha256(f"{path.name}\x00{stat.st_size}\x00{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return ImageRef(path, digest, width_mm)


# --- checking a picture ---------------------------------------------------------------------------------

class PhotoChecks:
    """Verdicts on pictures already decoded ('' = usable, else why not), by path, size and modification time:
    decoding every photo of every request on every run would take minutes. A watcher keeps one between
    cycles; `run` also keeps them in outbox/_log/foto-diperiksa.json (a hint: a stale entry is never used)."""

    def __init__(self, verdicts: Mapping[str, str] | None = None) -> None:
        self.verdicts: dict[str, str] = dict(verdicts or {})
        self.used: set[str] = set()

    @classmethod
    def load(cls, path: Path) -> PhotoChecks:
        try:
            data = json.loads(path.read_bytes()[:16 * 1024 * 1024])
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        return cls({k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)})

    def dump(self) -> bytes:
        """The verdicts on the pictures looked at since loading (deleted photos drop out)."""
        return json.dumps({k: self.verdicts[k] for k in sorted(self.used)}, ensure_ascii=False,
                          indent=0).encode("utf-8")

    def problem(self, path: Path, max_bytes: int, max_pixels: int = MAX_PIXELS) -> str | None:
        """Why ``path`` cannot be placed in a document, or None; decoded at most once per version of it."""
        try:
            st = path.stat()
        except OSError as err:
            return f"tidak dapat dibaca ({err.strerror or err})"
        key = f"{path}\x00{st.st_size}\x00{st.st_mtime_ns}\x00{max_bytes}\x00{max_pixels}"
        self.used.add(key)
        if key not in self.verdicts:
            self.verdicts[key] = photo_problem(path, max_bytes, max_pixels) or ""
        return self.verdicts[key] or None


def photo_problem(path: Path, max_bytes: int, max_pixels: int = MAX_PIXELS) -> str | None:
    """Why the picture at ``path`` cannot be placed in a document, or None. It is decoded (at 1/8 scale for
    a JPEG): a truncated or damaged picture is found now, not replaced by a note in the printed laporan."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"ukurannya {size / 1e6:.1f} MB melebihi batas {max_bytes / 1e6:.0f} MB"
        from PIL import Image  # imported only when a photo is really looked at
        with Image.open(path) as img:
            if img.format not in ("JPEG", "PNG"):
                return f"bukan JPEG/PNG ({img.format})"
            if img.width * img.height > max_pixels:
                return (f"gambarnya terlalu besar ({img.width}×{img.height} piksel; batas "
                        f"{max_pixels / 1e6:.0f} megapiksel)")
            if img.format == "JPEG":
                img.draft("RGB", (max(1, img.width // 8), max(1, img.height // 8)))
            img.load()
    except Exception as err:  # unreadable, truncated, or a decompression bomb
        reason = "terpotong atau rusak" if isinstance(err, OSError) and "truncated" in str(err) else \
            f"tidak dapat dibaca sebagai gambar ({type(err).__name__})"
        return reason
    return None


def check_logo(templates: Path, checks: PhotoChecks | None = None, max_bytes: int = 20 * 1024 * 1024
               ) -> tuple[Path | None, Problem | None]:
    """templates_docx/logo.png, checked like a photo: (the logo to use or None, a warning or None)."""
    path = templates / "logo.png"
    if not path.is_file():
        return None, None
    reason = (checks or _LOGO_CHECKS).problem(path, max_bytes)
    if reason is None:
        return path, None
    return None, warning(templates.name, None, "", path.name,
                         f"Logo '{templates.name}/logo.png' tidak dipakai: {reason}.",
                         "Ganti dengan PNG/JPEG biasa, mis. 600×600 piksel; kop dicetak tanpa logo.",
                         place="Folder")


_LOGO_CHECKS = PhotoChecks()  # the logo of one process's templates: checked once per version of the file


# --- which folder holds the photos of which request -----------------------------------------------------

@dataclass(frozen=True)
class PhotoRequest:
    """One request as the photo folders see it: agenda numbers restart every January, so the year of
    Tanggal Diterima is part of its key, as in outbox/<tahun>/."""

    year: int | None
    agenda: str
    where: str  # 'register.xlsx baris 7', for messages

    def label(self) -> str:
        year = f" tahun {self.year}" if self.year else ""
        return f"No. Agenda '{self.agenda}'{year} ({self.where})"


@dataclass
class PhotoFolders:
    """What locate_photos found: the photos of each request (by its index) and the problems."""

    photos: dict[int, tuple[ImageRef, ...]] = field(default_factory=dict)
    problems: dict[int, list[Problem]] = field(default_factory=lambda: defaultdict(list))
    unmatched: list[Problem] = field(default_factory=list)  # folders that belong to no request

    def of(self, index: int) -> tuple[tuple[ImageRef, ...], list[Problem]]:
        return self.photos.get(index, ()), self.problems.get(index, [])


def photo_folder_names(year: int | None, agenda: str) -> tuple[str, ...]:
    """Where a request's photos may be, first choice first: 'lampiran/2026/017', then 'lampiran/017' (the
    older layout, used only while no other request claims the same folder)."""
    name = safe_name(agenda)
    return (f"{year}/{name}", name) if year else (name,)


def locate_photos(lampiran: Path, requests: Sequence[PhotoRequest], max_bytes: int, checks: PhotoChecks,
                  complete: bool = True) -> PhotoFolders:
    """The photos of every request, found in one listing of ``lampiran``. A folder matching two requests is
    an error on both, naming both; a folder matching none is a warning (unless ``complete`` is False: some
    register could not be read, so its requests are unknown). Links to outside inbox/ are refused."""
    result = PhotoFolders()
    folders = _listing(lampiran)
    claims: dict[str, list[int]] = defaultdict(list)  # folder (casefolded) → the requests it holds photos of
    chosen: dict[int, str] = {}
    for index, request in enumerate(requests):
        if not request.agenda:
            continue
        for name in photo_folder_names(request.year, request.agenda):
            if name.casefold() in folders:
                chosen[index] = name.casefold()
                claims[name.casefold()].append(index)
                break
    for key, owners in claims.items():
        if len(owners) > 1:
            shown = " dan ".join(requests[i].label() for i in owners)
            for i in owners:
                result.problems[i].append(error(
                    f"lampiran/{folders[key][0]}", None, "", folders[key][0],
                    f"Folder foto 'lampiran/{folders[key][0]}' cocok untuk lebih dari satu permohonan: "
                    f"{shown}; fotonya tidak dipakai di laporan mana pun.",
                    "Letakkan foto di lampiran/<tahun>/<No. Agenda>/ (mis. lampiran/2026/017), atau bedakan "
                    "No. Agenda yang bentrok.", agenda=requests[i].agenda, place="Folder"))
            continue
        index = owners[0]
        variants = folders[key]
        if len(variants) > 1:  # 'lampiran/7a' and 'lampiran/7A': one folder on Windows, two on Linux
            result.problems[index].append(error(
                f"lampiran/{variants[0]}", None, "", ", ".join(variants),
                f"Ada {len(variants)} folder foto untuk {requests[index].label()}: "
                f"{', '.join('lampiran/' + v for v in variants)} (hanya beda huruf besar/kecil).",
                "Gabungkan fotonya ke satu folder.", agenda=requests[index].agenda, place="Folder"))
            continue
        photos, problems = photos_in(lampiran / variants[0], lampiran.parent, requests[index].agenda,
                                     max_bytes, checks)
        result.photos[index] = tuple(photos)
        result.problems[index] += problems
    if complete:
        used = set(chosen.values())
        for key in sorted(set(folders) - used):
            shown = folders[key][0]
            if not _holds_photos(lampiran / shown):
                continue
            result.unmatched.append(warning(
                f"lampiran/{shown}", None, "", shown,
                f"Folder foto 'lampiran/{shown}' tidak cocok dengan permohonan mana pun; "
                "fotonya tidak dipakai.",
                "Nama folder harus sama dengan No. Agenda, di dalam folder tahun Tanggal Diterima (mis. "
                "lampiran/2026/017). Bila No. Agenda di register kehilangan nol di depannya, format kolom "
                "No. Agenda sebagai Teks lalu ketik ulang.", place="Folder"))
    return result


def _listing(lampiran: Path) -> dict[str, list[str]]:
    """Every candidate photo folder under ``lampiran``, by casefolded name relative to it: 'agenda' and
    'tahun/agenda' (a four-digit year folder holds the newer layout; it may also be an agenda of its own)."""
    found: dict[str, list[str]] = defaultdict(list)
    for name in _subfolders(lampiran):
        found[name.casefold()].append(name)
        if _YEAR.fullmatch(name):
            for inner in _subfolders(lampiran / name):
                found[f"{name}/{inner}".casefold()].append(f"{name}/{inner}")
    return found


def _subfolders(folder: Path) -> list[str]:
    try:
        with os.scandir(folder) as listing:
            return sorted(e.name for e in listing if e.is_dir() and not e.name.startswith((".", "~$")))
    except OSError:
        return []


def _holds_photos(folder: Path) -> bool:
    try:
        with os.scandir(folder) as listing:
            return any(Path(e.name).suffix.lower() in PHOTO_TYPES and not e.name.startswith(("~$", "."))
                       for e in listing)
    except OSError:
        return False


def photos_in(folder: Path, inbox: Path, agenda: str, max_bytes: int, checks: PhotoChecks
              ) -> tuple[list[ImageRef], list[Problem]]:
    """The usable photos in one folder, sorted by name; a picture that cannot be used is a warning naming it,
    and so is a link (the folder or a photo) pointing outside inbox/."""
    where = f"lampiran/{folder.relative_to(inbox / 'lampiran').as_posix()}"
    if _leaves(folder, inbox):
        return [], [warning(where, None, "", folder.name, f"Folder foto '{where}' adalah tautan (symlink) ke "
                            "luar inbox/; fotonya tidak dibaca.",
                            "Salin fotonya ke folder biasa di inbox/lampiran/.", agenda=agenda,
                            place="Folder")]
    found: list[ImageRef] = []
    problems: list[Problem] = []
    pixels = 0
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in PHOTO_TYPES or path.name.startswith(("~$", ".")) or not path.is_file():
            continue
        if _leaves(path, inbox):
            reason: str | None = "tautan (symlink) ke luar inbox/"
        else:
            reason = checks.problem(path, max_bytes)
        if reason is None:
            pixels += _pixels(path)
            if pixels > MAX_REQUEST_PIXELS:
                reason = (f"jumlah piksel semua foto permohonan ini melebihi batas "
                          f"{MAX_REQUEST_PIXELS / 1e6:.0f} megapiksel")
        if reason:
            problems.append(warning(where, None, "", path.name, f"Foto '{path.name}' dilewati: {reason}.",
                                    "Ganti dengan foto JPEG/PNG biasa yang lebih kecil.", agenda=agenda,
                                    place="Folder"))
            continue
        found.append(image_ref(path, 75))
    return found, problems


def _leaves(path: Path, inbox: Path) -> bool:
    """A link (or a folder through one) that ends outside inbox/."""
    try:
        return not path.resolve().is_relative_to(inbox.resolve())
    except OSError:
        return True


def _pixels(path: Path) -> int:
    from PIL import Image
    try:
        with Image.open(path) as img:
            return int(img.width * img.height)
    except Exception:
        return 0


# --- preparing a picture for a document --------------------------------------------------------------------

def prepare_image(ref: ImageRef) -> bytes | None:
    """Rotated as the camera meant (EXIF), downscaled, re-encoded without metadata (unless ``as_is``); None
    when unreadable or larger than MAX_PIXELS. A picture on disk is prepared once per process (the logo is
    in every document)."""
    if ref.data is not None:
        return ref.data if ref.as_is else _prepare(None, ref.data, ref.max_px)
    try:
        st = ref.path.stat()
    except OSError as err:
        log.warning("foto %s tidak dapat dibaca: %s", ref.path, err)
        return None
    return _prepared(ref.path, st.st_size, st.st_mtime_ns, ref.max_px)


@functools.lru_cache(maxsize=32)
def _prepared(path: Path, _size: int, _mtime_ns: int, max_px: int) -> bytes | None:
    return _prepare(path, None, max_px)


def _prepare(path: Path | None, data: bytes | None, max_px: int) -> bytes | None:
    from PIL import Image, ImageOps
    try:
        with Image.open(io.BytesIO(data) if data is not None else path) as opened:  # type: ignore[arg-type]
            if opened.width * opened.height > MAX_PIXELS:
                raise ValueError(f"{opened.width}×{opened.height} piksel")
            if opened.format == "JPEG":  # decoded at the smallest scale that still gives max_px
                scale = min(1.0, max_px / max(opened.width, opened.height))
                opened.draft("RGB", (max(1, int(opened.width * scale)), max(1, int(opened.height * scale))))
            img: Image.Image = ImageOps.exif_transpose(opened)
            if img.mode in ("RGBA", "LA", "P"):
                img = img.convert("RGBA")
                flat = Image.new("RGB", img.size, "white")
                flat.paste(img, mask=img.getchannel("A"))
                img = flat
            elif img.mode != "RGB":
                img = img.convert("RGB")
            img.thumbnail((max_px, max_px))
            out = io.BytesIO()
            img.save(out, "JPEG", quality=85, optimize=True)
            return out.getvalue()
    except Exception as err:  # a damaged or hostile picture must not stop the document
        log.warning("foto %s tidak dapat dibaca: %s", path or "(dalam memori)", err)
        return None
