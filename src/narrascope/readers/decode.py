"""Bytes to text: UTF-8 first, then a declared charset, then Windows-1252/latin-1."""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:.]+)""", re.I)
_CONTROLS = bytes([*range(9), *range(14, 32)])
_XML = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_\-:.]+)""", re.I)


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
