"""Sample documentation photos for the worked example, drawn by code (one stored turned with an EXIF
orientation tag, as phones do), so the example needs no binary files in the repository."""


from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

_SIZE = (1024, 768)
_ROTATED = 2  # this photo is stored turned and tagged with EXIF orientation 6, as phones do


def write_example_photos(folder: Path, count: int) -> list[Path]:
    """Draw `count` plausible documentation photos as JPEGs; the same call always draws the same pictures."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for number in range(1, count + 1):
        caption, draw = _SCENES[(number - 1) % len(_SCENES)]
        image = draw(random.Random(f"{folder.name}/{number}"))  # str seeds are stable across runs
        exif = Image.Exif()
        exif[0x0110] = "SOP Pipeline Contoh"  # Model
        if number == _ROTATED:
            # Orientation 6: the viewer turns the stored picture 90° clockwise to show it upright.
            image = image.transpose(Image.Transpose.ROTATE_90)
            exif[0x0112] = 6
        path = folder / f"{number:02d} {caption}.jpg"
        image.save(path, "JPEG", quality=80, optimize=True, exif=exif.tobytes())
        written.append(path)
    return written


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, ImportError, OSError):  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def _room(top: str, bottom: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", _SIZE, top)
    draw = ImageDraw.Draw(image)
    w, h = _SIZE
    draw.rectangle((0, int(h * 0.72), w, h), fill=bottom)
    for x in range(0, w, 128):  # raised-floor tiles
        draw.line((x, int(h * 0.72), x - 60, h), fill="#8a8f96", width=2)
    return image, draw


def _rack(rng: random.Random) -> Image.Image:
    image, draw = _room("#2b3138", "#b9bec4")
    draw.rectangle((300, 40, 724, 640), fill="#1b1d20", outline="#4a4f55", width=6)
    draw.text((318, 50), "R2", fill="#e0e0e0", font=_font(28))
    y = 92
    while y + 22 < 628:
        units = rng.choice((1, 1, 2, 2, 4))
        height = min(units * 22, 628 - y) - 3  # the last unit fits inside the cabinet
        draw.rectangle((330, y, 694, y + height), fill=rng.choice(("#3a3f45", "#2f343a", "#454b52")),
                       outline="#60666d")
        for bay in range(350, 560, 26):  # drive bays
            draw.rectangle((bay, y + 4, bay + 20, y + height - 4), fill="#22262a", outline="#70767d")
        for led in range(2 + units):
            colour = rng.choice(("#33dd55", "#33dd55", "#33dd55", "#ffb020", "#3399ff"))
            draw.ellipse((600 + led * 14, y + 7, 608 + led * 14, y + 15), fill=colour)
        y += height + 3
    for x in (250, 760):  # cable trays beside the rack
        draw.rectangle((x, 60, x + 14, 630), fill="#3c4a5c")
    return image


def _workbench(rng: random.Random) -> Image.Image:
    image, draw = _room("#d8d2c4", "#8b5a2b")
    draw.rectangle((0, 420, 1024, 768), fill="#a0693a")
    draw.rectangle((80, 440, 640, 720), fill="#2d6a4f")  # anti-static mat
    draw.rectangle((130, 470, 590, 690), fill="#6c7178", outline="#3d4146", width=5)  # open server chassis
    draw.rectangle((170, 500, 430, 660), fill="#1e6b3a")  # main board
    for slot in range(8):
        draw.rectangle((450 + slot * 15, 500, 460 + slot * 15, 660), fill="#222" if slot % 2 else "#0a5")
    for fan in range(4):
        cx = 200 + fan * 60
        draw.ellipse((cx - 22, 478, cx + 22, 522), fill="#2a2a2a", outline="#888")
    draw.rectangle((700, 520, 860, 600), fill="#303438", outline="#9aa0a6", width=3)  # hard disk
    draw.text((712, 545), "1.8TB SAS", fill="#e8e8e8", font=_font(22))
    draw.line((720, 660, 940, 610), fill="#d62828", width=14)  # screwdriver
    draw.line((940, 610, 990, 598), fill="#c0c0c0", width=5)
    for row in range(3):
        draw.rectangle((120 + row * 140, 120, 240 + row * 140, 330), fill=rng.choice(("#7a8590", "#8895a0")),
                       outline="#55606a", width=3)  # shelf with boxed spares
    return image


def _terminal(rng: random.Random) -> Image.Image:
    image, draw = _room("#3a4048", "#6f5440")
    draw.rectangle((150, 60, 874, 520), fill="#111", outline="#444", width=14)  # monitor
    draw.rectangle((480, 520, 544, 600), fill="#333")
    draw.rectangle((400, 600, 624, 620), fill="#333")
    lines = ("$ ssh tim-teknis@pusat-data", "$ systemctl status nginx", "  Active: active (running)",
             "$ df -h /var", "  /dev/sda3   120G   52G   62G  46% /var", "$ sudo smartctl -H /dev/sda",
             "  SMART overall-health self-assessment: PASSED", "$ uptime",
             f"  09:{rng.randint(10, 59)}  up 0 days,  0:{rng.randint(10, 59)},  load average: 0.21", "$ _")
    font = _font(22)
    for index, line in enumerate(lines):
        draw.text((185, 90 + index * 40), line, fill="#7CFC00", font=font)
    draw.rectangle((300, 640, 724, 700), fill="#222", outline="#555", width=3)  # keyboard
    return image


_SCENES: tuple[tuple[str, Callable[[random.Random], Image.Image]], ...] = (
    ("Pemeriksaan rak server", _rack),
    ("Penggantian komponen di meja kerja", _workbench),
    ("Pemantauan layanan setelah pemeliharaan", _terminal),
    ("Kondisi rak setelah pemeliharaan", _rack),
)
