"""Bytes to text: UTF-8 first, then a declared charset, then undeclared Cyrillic, then Windows-1252/latin-1.

One rule decides what is text for every reader and for the techniques commands
(:func:`looks_binary`, :func:`decode_text`): data that decodes as UTF-8 (with at most a few
invalid bytes) is binary only when more than 5% of it is control characters; data in another
single-byte encoding is binary when it holds a NUL byte or that many control characters;
UTF-16 is recognised with or without a byte-order mark.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

from narrascope.errors import ReadError

_META = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:.]+)""", re.I)
_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")
_ESCAPED = re.compile("[\udc80-\udcff]")  # an invalid byte under the surrogateescape handler
_WIDE = re.compile("[^\x00-\x7f]")
_XML = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-:.]+)""", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")
_HIGH_WORD = re.compile(rb"[\xc0-\xff]{3,}")  # a word of three letters or more, all above ASCII
_SAMPLE = 8192

Warn = Callable[[str], None]


class NotText(ReadError):
    """A file holds binary data (an image, an archive), not text."""

    def __init__(self, source: str) -> None:
        super().__init__(source, "binary data, not a text file")


def clean_text(value: str) -> str:
    """``value`` with lone surrogates (``"\\ud800"`` in JSON, ``&#xD800;``) replaced by ``?``, one
    character each so offsets hold: such a string cannot be written as UTF-8, stored or tokenized."""
    return _SURROGATE.sub("?", value) if _SURROGATE.search(value) else value


def clean_strings(obj: Any) -> Any:
    """Apply :func:`clean_text` to every string of a dataclass, list or dict, in place where it can."""
    if isinstance(obj, str):
        return clean_text(obj)
    if isinstance(obj, list):
        obj[:] = [clean_strings(v) for v in obj]
    elif isinstance(obj, dict):
        for k, v in obj.items():
            obj[k] = clean_strings(v)
    elif is_dataclass(obj) and not isinstance(obj, type):
        for f in fields(obj):
            setattr(obj, f.name, clean_strings(getattr(obj, f.name)))
    return obj


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` for UTF-16 text without a byte-order mark, else ``None``.

    Such text (mostly Latin script) has a NUL in nearly every other byte and printable ASCII
    in the bytes between; binary data and UTF-8 text do not.
    """
    sample = head[:_SAMPLE]
    sample = sample[:len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    for name, low, high in (("utf-16-le", sample[0::2], sample[1::2]), ("utf-16-be", sample[1::2], sample[0::2])):
        if high.count(0) >= len(high) * 0.7 and low.count(0) <= len(low) * 0.05 and \
                len(low.translate(None, _CONTROL_BYTES)) >= len(low) * 0.95:
            return name
    return None


def _utf8(data: bytes, final: bool = True) -> tuple[str, int] | None:
    """``data`` as UTF-8 and the number of invalid bytes in it, or ``None`` when it is in another
    encoding: fewer valid multi-byte characters than invalid bytes. With ``final=False`` an
    incomplete character at the end (a sample cut short) is left out."""
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    escaped = decoder.decode(data, final=final)
    bad = len(_ESCAPED.findall(escaped))
    if bad and len(_WIDE.findall(escaped)) - bad < bad:
        return None
    return escaped, bad


def _too_many_controls(text: str | bytes) -> bool:
    controls = len(_CONTROLS.findall(text)) if isinstance(text, str) else \
        len(text) - len(text.translate(None, _CONTROL_BYTES))
    return controls > len(text) * 0.05


def looks_binary(head: bytes) -> bool:
    """True for binary data (images, archives, random bytes): see the module docstring for the rule.

    A few control characters, a NUL among them, do not make a UTF-8 page binary.
    """
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(head):
        return False
    sample = head[:_SAMPLE]
    found = _utf8(sample, final=False)
    if found is None:  # another encoding: NUL bytes do not occur in such text
        return b"\x00" in sample or _too_many_controls(sample)
    return _too_many_controls(found[0])


def decode(data: bytes, source: str = "", warn: Warn | None = None) -> str:
    """Decode page bytes; never fails (latin-1 is the last resort and accepts everything).

    UTF-8 with a few invalid bytes (fewer than its valid multi-byte characters) is decoded with
    U+FFFD in their place and ``warn`` is told; otherwise a declared charset, then Windows-1252.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    wide = utf16_without_bom(data)
    if wide:
        return data.decode(wide, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    found = _utf8(data)
    if found is not None:
        if warn:
            warn(f"{source}: {found[1]} byte(s) are not valid UTF-8 and were replaced by U+FFFD")
        return data.decode("utf-8", "replace")
    m = _META.search(data[:_SAMPLE]) or _XML.search(data[:1024])
    if m:
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
            if name != "utf-8":
                return data.decode(name, "replace")
        except (LookupError, UnicodeDecodeError):
            pass
    cyrillic = _undeclared_cyrillic(data[:_SAMPLE])
    if cyrillic:
        return data.decode(cyrillic, "replace")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _undeclared_cyrillic(sample: bytes) -> str | None:
    """``"cp1251"`` or ``"koi8_r"`` for Russian, Belarusian or Ukrainian text in a single-byte encoding
    that nothing declares, else ``None``.

    In both encodings every Cyrillic letter is a byte from 0xC0 up, so words are runs of such bytes;
    Western European text has an accented letter here and there, rarely three in a row. Lower case
    letters, the bulk of any text, are 0xE0-0xFF in Windows-1251 and 0xC0-0xDF in KOI8-R.
    """
    words = _HIGH_WORD.findall(sample)
    if len(words) < 3:
        return None
    letters = b"".join(words)
    upper_half = sum(1 for b in letters if b >= 0xE0)
    return "cp1251" if upper_half * 2 >= len(letters) else "koi8_r"


def decode_text(data: bytes, source: str, warn: Warn | None = None) -> str:
    """Text as the official PTC scorer reads it: UTF-8, ``\\r\\n`` and a BOM kept, so offsets agree.

    Binary data (:func:`looks_binary`) raises :class:`NotText`. Mostly-UTF-8 bytes with a few
    invalid ones are decoded with U+FFFD in their place and ``warn`` is told; other encodings
    are decoded like pages (:func:`decode`).
    """
    if looks_binary(data[:_SAMPLE]):
        raise NotText(source)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(data):
        return decode(data, source)
    found = _utf8(data)
    if found is None:  # another encoding
        return decode(data, source)
    text, bad = found
    if bad:
        text = data.decode("utf-8", "replace")
        if warn:
            warn(f"{source}: {bad} byte(s) are not valid UTF-8 and were replaced by U+FFFD")
    if _too_many_controls(text[:_SAMPLE]):
        raise NotText(source)
    return text
