"""Bytes to text: UTF-8 first, then a declared charset, then Windows-1252/latin-1."""

from __future__ import annotations

import codecs
import re
from dataclasses import fields, is_dataclass
from typing import Any

_META = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:.]+)""", re.I)
_CONTROLS = bytes([*range(9), *range(14, 32)])
_XML = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-:.]+)""", re.I)
_SURROGATE = re.compile("[\ud800-\udfff]")


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


def looks_binary(head: bytes) -> bool:
    """True for data with NUL bytes or many control characters (images, archives)."""
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with BOM
    sample = head[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    return controls > len(sample) * 0.05


def decode(data: bytes) -> str:
    """Decode page bytes; never fails (latin-1 is the last resort and accepts everything)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META.search(data[:8192]) or _XML.search(data[:1024])
    if m:
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
            if name != "utf-8":
                return data.decode(name, "replace")
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
