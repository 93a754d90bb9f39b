"""Corpus text cut for display: quotes at word boundaries, first words as a title, toxic words masked.

Everything here returns plain strings (or pieces of them) that templates escape.
"""

from __future__ import annotations

import re
from typing import Any

_SPACE = re.compile(r"\s+")
MASK = "•"


def quote(text: str | None, limit: int = 240) -> str:
    """``text`` with its whitespace folded, cut at the last word boundary before ``limit`` with an ellipsis."""
    flat = _SPACE.sub(" ", text or "").strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:  # a very long "word" (a URL, a run of letters) is cut where it must be
        cut = cut[:space]
    return cut.rstrip(" ,;:.–-") + "…"


def first_words(text: str | None, limit: int = 70) -> str:
    """The title of an untitled text: its first ``limit`` characters and the rest of the word they end in,
    with an ellipsis when the text goes on (the rule of the tables' SQL, ``tables.FIRST_WORDS``)."""
    head = _SPACE.sub(" ", (text or "")[:400]).strip()
    found = re.match(rf"^(.{{1,{limit}}}\S*)", head)
    if found is None:
        return "(empty document)"
    words = found.group(1)
    return words + "…" if len((text or "").strip()) > len(words) + 1 else words


def title_of(doc: dict[str, Any]) -> str:
    """A document's title, else its first words (never its id)."""
    return (doc.get("title") or "").strip() or first_words(doc.get("body") or doc.get("head"))


def mask_word(word: str) -> str:
    """A toxic word shown masked: its first letter kept so an analyst can tell words apart (``i•••••``)."""
    letters = [i for i, ch in enumerate(word) if ch.isalnum()]
    if not letters:
        return word
    keep = letters[0]
    return "".join(ch if i <= keep or not ch.isalnum() else MASK for i, ch in enumerate(word))


def masked(text: str, spans: list[Any]) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_masked) pieces, the characters of ``spans`` (``(start, end)`` or annotations)
    masked word by word."""
    size = len(text)
    pairs = [(s["start_char"], s["end_char"]) if isinstance(s, dict) else s for s in spans]
    ranges = sorted((max(0, s), min(size, e)) for s, e in pairs if min(size, e) > max(0, s))
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in ranges:
        start = max(start, at)
        if start >= end:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((" ".join(mask_word(w) for w in text[start:end].split(" ")), True))
        at = end
    if at < size:
        out.append((text[at:], False))
    return out
