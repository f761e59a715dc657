"""click's own texts — "Usage:", "Options", "Error: No such option", "Show this message and exit" — in
Indonesian. click looks each one up through gettext, bound in each of its modules as ``_`` and
``ngettext``; `install()` rebinds those names to this table (a text not in it stays as click wrote it,
and tests/test_clerk.py fails on any English left in the help of every command)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

TEXTS: dict[str, str] = {
    "Usage:": "Cara pakai:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "%(prog)s, version %(version)s": "%(prog)s, versi %(version)s",
    "Error: {message}": "Perintah salah: {message}",
    "Try '{command} {option}' for help.": "Bantuan: '{command} {option}'.",
    "No such option {name!r}.": "Opsi {name!r} tidak ada.",
    "No such command {name!r}.": "Perintah {name!r} tidak ada.",
    "Missing command.": "Nama perintah belum ditulis.",
    "Missing argument": "Argumen belum ditulis",
    "Missing option": "Opsi belum ditulis",
    "Missing parameter": "Parameter belum ditulis",
    "Missing {param_type}": "{param_type} belum ditulis",
    "Missing parameter: {param_name}": "Parameter belum ditulis: {param_name}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Invalid value for {param_hint}: {message}": "Nilai {param_hint} tidak sah: {message}",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak memakai nilai.",
    "Argument {name!r} takes {nargs} values.": "Argumen {name!r} memerlukan {nargs} nilai.",
    "Aborted!": "Dibatalkan.",
    "default: {default}": "bawaan: {default}",
    "env var: {var}": "variabel lingkungan: {var}",
    "required": "wajib",
    "(dynamic)": "(dinamis)",
    "deprecated": "usang",
    "unknown error": "galat tak dikenal",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    "Press any key to continue...": "Tekan sembarang tombol untuk melanjutkan...",
    "Do you want to continue?": "Lanjutkan?",
    "Error: invalid input": "Masukan tidak sah",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "Choose from:\n\t{choices}": "Pilih salah satu:\n\t{choices}",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} bukan ya/tidak yang sah. Yang dikenal: {states}",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder, bukan berkas.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulisi.",
}

# ngettext: the singular text names the pair.
PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": ("Argumen berlebih: {args}", "Argumen berlebih: {args}"),
    "Did you mean {possibility}?": ("Maksudnya {possibility}?",
                                    "(Maksudnya salah satu dari: {possibilities}?)"),
    "Option {name!r} requires an argument.": ("Opsi {name!r} memerlukan nilai.",
                                              "Opsi {name!r} memerlukan {nargs} nilai."),
    "{value!r} is not {choice}.": ("{value!r} bukan {choice}.", "{value!r} bukan salah satu dari {choices}."),
    "Takes {nargs} values but 1 was given.": ("Memerlukan {nargs} nilai, diberi 1.",
                                              "Memerlukan {nargs} nilai, diberi {len}."),
}

_MODULES = ("core", "exceptions", "formatting", "decorators", "parser", "types", "termui", "utils")


def translate(message: str) -> str:
    return TEXTS.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    pair = PLURALS.get(singular)
    if pair is None:
        return singular if n == 1 else plural
    return pair[0] if n == 1 else pair[1]


def install() -> None:
    """Make click speak Indonesian. Call before the commands are declared: some texts (the help of
    --version) are looked up when the decorator runs."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        replacements: dict[str, Callable[..., str]] = {"_": translate, "ngettext": translate_plural}
        for attr, func in replacements.items():
            if hasattr(module, attr):
                setattr(module, attr, func)
