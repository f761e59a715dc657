"""Cell values made safe and typed: text cleaning, dates, times, NIP, IP, domain, pangkat.

Every parser raises ``ValueError`` with an Indonesian reason; callers turn it into a ``Problem``
naming the cell. Nothing here guesses: a value is either read exactly or refused.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache

# --- text -----------------------------------------------------------------------------------------

# XML 1.0 cannot hold C0 controls other than tab/newline/CR, nor U+FFFE/U+FFFF or lone surrogates;
# docxtpl's recovering parser would silently drop neighbouring text (docs/LIBRARIES.md, 'docxtpl').
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Invisible marks pasted from web pages and chat apps: bidi controls, zero-width characters, BOM.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(value: object) -> str:
    """Text as the clerk meant it: trimmed, one kind of line break, nothing XML cannot hold."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isprintable() and "  " not in value \
            and value == value.strip():
        return value  # the common case, nothing to clean (printable ASCII has no controls or odd spaces)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", _XML_ILLEGAL.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


_KEY_SYNONYMS = {"tanggal": "tgl", "nomor": "no", "nomer": "no", "kepaladinas": "kadis",
                 "kepalabidang": "kabid"}


@lru_cache(maxsize=8192)  # called for every choice of every choice cell: a few dozen distinct texts
def norm_key(text: str) -> str:
    """Compare headers and list values ignoring case, spacing and punctuation
    ('No. Agenda' = 'nomor agenda')."""
    words = re.findall(r"[0-9a-z]+", unicodedata.normalize("NFKD", text).lower())
    joined = " ".join(_KEY_SYNONYMS.get(w, w) for w in words)
    for long, short in (("kepala dinas", "kadis"), ("kepala bidang", "kabid")):
        joined = joined.replace(long, short)
    return joined.replace(" ", "")


def split_list(text: str) -> list[str]:
    """Items separated by ';' or new lines (Petugas, Layanan Terdampak)."""
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


# --- dates and times --------------------------------------------------------------------------------

# The one source of Indonesian month and day names: Babel's 'id' locale (as format_date prints them), loaded
# when first needed (a run with nothing to do never imports Babel).
@cache
def month_names() -> tuple[str, ...]:
    from babel.dates import get_month_names
    return tuple(str(get_month_names("wide", locale="id")[m]) for m in range(1, 13))


@cache
def day_names() -> tuple[str, ...]:
    """Monday first, as date.weekday() counts."""
    from babel.dates import get_day_names
    return tuple(str(get_day_names("wide", locale="id")[d]) for d in range(7))


@cache
def _month_numbers() -> dict[str, int]:
    months = month_names()
    return {
        **{m.lower(): i for i, m in enumerate(months, 1)},
        **{m[:3].lower(): i for i, m in enumerate(months, 1)},
        "agt": 8, "ags": 8, "agu": 8, "sept": 9, "nop": 11, "nopember": 11, "pebruari": 2,
        # English names, for workbooks that went through an English-locale Excel
        "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
        "october": 10, "december": 12, "aug": 8, "oct": 10, "dec": 12,
    }


@cache
def _day_prefix() -> re.Pattern[str]:
    """Day names before a date are skipped; older spellings (Jum'at, Ahad) are accepted too."""
    return re.compile(r"^(" + "|".join([*(d.lower() for d in day_names()), "jum'at", "ahad"]) + r")\s*,?\s*",
                      re.IGNORECASE)


_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})(?:[.:](\d{2}))?$")

# Excel serial numbers we accept in a date column: 1 Jan 1990 .. 31 Dec 2099.
_SERIAL_MIN, _SERIAL_MAX = 32874, 73050
_EPOCH_1900 = datetime(1899, 12, 30)
# Every date a register may hold. '31/12/9999' ("no end date") or a mistyped year is a problem on its cell:
# outside this window the working-day calendar would count millennia (or overflow) for one bad cell.
DATE_RANGE = (date(2000, 1, 1), date(2100, 12, 31))


def _in_range(day: date) -> date:
    low, high = DATE_RANGE
    if not low <= day <= high:
        raise ValueError(f"tahun {day.year} di luar rentang {low.year}–{high.year}")
    return day


def _date_from_parts(year: int, month: int, day: int, typed: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"tanggal '{typed}' tidak ada di kalender") from None


def parse_date(value: object, epoch: datetime = _EPOCH_1900) -> date:
    """A date from an Excel date, a serial number, or text in one of the accepted forms, within DATE_RANGE."""
    return _in_range(_parse_date(value, epoch))


def _parse_date(value: object, epoch: datetime) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("bukan tanggal")
    if isinstance(value, int | float):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return (epoch + timedelta(days=int(value))).date()
        raise ValueError(f"angka {clean_text(value)} bukan tanggal")
    if isinstance(value, time):
        raise ValueError("berisi jam saja, tanpa tanggal")
    text = clean_text(value)
    if not text:
        raise ValueError("kosong")
    return _parse_date_text(text)


def _parse_date_text(text: str) -> date:
    bare = _day_prefix().sub("", text.strip())
    if m := _NUMERIC_DATE.match(bare):
        # Indonesian order is always day/month/year, so 03/04/2026 is 3 April: a convention, not a guess.
        return _date_from_parts(int(m[4]), int(m[3]), int(m[1]), text)
    if m := _ISO_DATE.match(bare):
        return _date_from_parts(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _WORD_DATE.match(bare):
        month = _month_numbers().get(m[2].lower())
        if month is None:
            raise ValueError(f"nama bulan '{m[2]}' tidak dikenal")
        return _date_from_parts(int(m[3]), month, int(m[1]), text)
    raise ValueError(f"'{text}' bukan tanggal yang dapat dibaca")


def parse_time(value: object) -> time:
    """A time from an Excel time, or text '08.00' / '08:00'."""
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600, seconds % 3600 // 60)
    text = clean_text(value).upper().removesuffix("WIB").strip()
    if m := _TIME.match(text):
        hour, minute = int(m[1]), int(m[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"'{clean_text(value)}' bukan jam yang dapat dibaca")


def parse_datetime(value: object, epoch: datetime = _EPOCH_1900) -> datetime:
    """A date with a time: an Excel date-time, a serial with a fraction, or text '15/06/2026 08.00'."""
    moment = _parse_datetime(value, epoch)
    _in_range(moment.date())
    return moment


def _parse_datetime(value: object, epoch: datetime) -> datetime:
    if isinstance(value, datetime):
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0))
    if isinstance(value, int | float) and not isinstance(value, bool):
        day = parse_date(value, epoch)
        return datetime.combine(day, parse_time(float(value) % 1))
    text = clean_text(value)
    if not text:
        raise ValueError("kosong")
    m = re.match(r"^(.*?)[\s,]+(?:pukul\s+|jam\s+)?(\d{1,2}[.:]\d{2}(?:[.:]\d{2})?)(?:\s*WIB)?$", text,
                 re.IGNORECASE)
    if not m:
        try:
            _parse_date_text(text)
        except ValueError:
            raise ValueError(f"'{text}' bukan tanggal dan jam yang dapat dibaca") from None
        raise ValueError(f"'{text}' tidak berisi jam")
    return datetime.combine(_parse_date_text(m[1]), parse_time(m[2]))


@lru_cache(maxsize=8192)
def _date_text(d: date, pattern: str) -> str:
    from babel.dates import format_date as babel_date  # Babel only when a date is written
    return str(babel_date(d, pattern, locale="id"))


def format_date(d: date) -> str:
    """'15 Juni 2026'."""
    return _date_text(d if type(d) is date else date(d.year, d.month, d.day), "d MMMM y")


def format_day_date(d: date) -> str:
    """'Senin, 15 Juni 2026'."""
    return _date_text(d if type(d) is date else date(d.year, d.month, d.day), "EEEE, d MMMM y")


def format_time(t: time) -> str:
    """'08.00' — Indonesian writes a period between hours and minutes."""
    return f"{t.hour:02d}.{t.minute:02d}"


def terbilang(number: int) -> str:
    """Number in Indonesian words, lower case: 2026 → 'dua ribu dua puluh enam'."""
    from num2words import num2words  # only for words in a document
    return str(num2words(number, lang="id"))


def date_in_words(d: date) -> str:
    """The berita acara opening:
    'hari ini Senin tanggal Lima Belas bulan Juni tahun Dua Ribu Dua Puluh Enam (15-06-2026)'."""
    return (f"hari ini {day_names()[d.weekday()]} tanggal {terbilang(d.day).title()} "
            f"bulan {month_names()[d.month - 1]} tahun {terbilang(d.year).title()} ({d:%d-%m-%Y})")


# --- NIP, pangkat/golongan ------------------------------------------------------------------------


def nip_digits(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text)


def format_nip(text: str) -> str:
    """'196301071990031004' → '19630107 199003 1 004' (groups 8-6-1-3); anything else unchanged."""
    digits = nip_digits(text)
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return text


def check_nip(text: str, today: date) -> str | None:
    """Why this does not look like an 18-digit NIP PNS (docs/NASKAH-DINAS.md, 'NIP'), or None when it does."""
    digits = nip_digits(text)
    if len(digits) != 18 or not digits.isdigit():
        return f"NIP harus 18 angka, tertulis {len(digits)} karakter"
    born = nip_birth_date(digits)
    if born is None:
        return f"8 angka pertama NIP ({digits[:8]}) bukan tanggal lahir yang ada"
    year, month = int(digits[8:12]), int(digits[12:14])
    pppk = digits[12:14] == "21"  # an NI PPPK: year of appointment, then 21 where a NIP has the month
    if pppk:
        month = 1
    if not 1 <= month <= 12:
        return f"angka ke-13 dan ke-14 NIP ({digits[12:14]}) bukan bulan TMT CPNS"
    if born.year < 1940 or born.year > today.year - 17:
        return f"tahun lahir pada NIP ({born.year}) tidak masuk akal"
    if year < born.year + 17 or (year, month) > (today.year, today.month):
        return f"TMT CPNS pada NIP ({month:02d}/{year}) tidak cocok dengan tanggal lahir atau hari ini"
    if digits[14] not in "12":
        return f"angka ke-15 NIP (jenis kelamin) harus 1 atau 2, tertulis {digits[14]}"
    if digits[15:] == "000":
        return "nomor urut pada NIP (3 angka terakhir) tidak boleh 000"
    return None


def nip_birth_date(text: str) -> date | None:
    """The birth date a NIP (or NI PPPK) begins with, or None."""
    digits = nip_digits(text)
    if len(digits) != 18 or not digits.isdigit():
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


PANGKAT = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur", "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata", "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
_GOLONGAN = re.compile(r"\b(IV|III|II|I)\s*[/.\-]?\s*([a-eA-E])\b")


def pangkat_golongan(text: str) -> str | None:
    """'IV/c', 'Pembina Utama Muda', 'Pembina Utama Muda / IV.c' → 'Pembina Utama Muda (IV/c)'; None if
    unknown."""
    if not text:
        return None
    found = _GOLONGAN.search(text)
    golongan = f"{found[1]}/{found[2].lower()}" if found else None
    rest = norm_key(_GOLONGAN.sub("", text).replace("Tk.", "Tingkat").replace("Tk ", "Tingkat "))
    by_name = [g for g, p in PANGKAT.items() if norm_key(p) == rest] if rest else []
    if golongan and golongan in PANGKAT and (not rest or by_name == [golongan]):
        return f"{PANGKAT[golongan]} ({golongan})"
    if not golongan and len(by_name) == 1:
        return f"{PANGKAT[by_name[0]]} ({by_name[0]})"
    return None


# --- network names --------------------------------------------------------------------------------

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def check_ip(text: str) -> str | None:
    """Why this is not a list of IP addresses, or None."""
    for part in re.split(r"[;,\n]", text):
        part = part.strip()
        if not part:
            continue
        try:
            ipaddress.ip_address(part)
        except ValueError:
            return f"'{part}' bukan alamat IP (contoh yang benar: 10.20.1.15)"
    return None


def check_domain(text: str) -> str | None:
    """Why this is not a list of domain names, or None."""
    for part in re.split(r"[;,\n]", text):
        name = part.strip().lower().rstrip(".")
        if not name:
            continue
        if "://" in name or "/" in name:
            return (f"'{part.strip()}' berisi alamat web; tulis nama domainnya saja "
                    "(contoh: sipd.karanganyarkab.go.id)")
        labels = name.split(".")
        if len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels) \
                or not labels[-1].isalpha():
            return f"'{part.strip()}' bukan nama domain (contoh yang benar: sipd.karanganyarkab.go.id)"
    return None
