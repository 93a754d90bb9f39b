"""Text cut at annotation offsets into segments that templates escape one by one.

No HTML is built here: a segment is plain text plus the spans covering it, and the
template wraps it in ``<mark>`` with Jinja2's autoescaping, so corpus text can never
become markup. A technique keeps one colour class everywhere (``t0`` ... ``t15``).
"""

from __future__ import annotations

import zlib
from typing import Any

from narrascope.techniques import TECHNIQUES

COLOURS = 16


def colour(label: str) -> str:
    """The CSS class of a technique (the 14 of PTC in order, others by a stable hash)."""
    if label in TECHNIQUES:
        return f"t{TECHNIQUES.index(label)}"
    return f"t{zlib.crc32(label.encode()) % COLOURS}"


def segments(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``text`` as consecutive segments; each lists the spans (``start_char``, ``end_char``) covering it."""
    size = len(text)
    cuts = {0, size}
    for s in spans:
        start, end = max(0, min(s["start_char"], size)), max(0, min(s["end_char"], size))
        if start < end:
            cuts |= {start, end}
    bounds = sorted(cuts)
    out = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        covering = [s for s in spans if s["start_char"] <= start < end <= s["end_char"]]
        covering.sort(key=lambda s: -(s.get("score") or 0))
        coloured = [s for s in covering if s.get("layer") != "claims"]  # a claim is underlined, not coloured
        top = coloured[0] if coloured else None
        out.append({"text": text[start:end], "spans": covering,
                    "colour": colour(top["label"]) if top else "",
                    "claim": len(coloured) < len(covering),
                    "title": "; ".join(f"{'check-worthy claim' if s.get('layer') == 'claims' else s['label']} "
                                       f"{s.get('score') or 0:.2f}" for s in covering)})
    return out


def marked(snippet: str, start: str, end: str) -> list[tuple[str, bool]]:
    """A search snippet with ``start``/``end`` markers as (text, is_match) pieces."""
    out: list[tuple[str, bool]] = []
    rest, inside = snippet, False
    while rest:
        cut = rest.find(end if inside else start)
        piece, rest = (rest, "") if cut < 0 else (rest[:cut], rest[cut + 1:])
        if piece:
            out.append((piece, inside))
        if cut >= 0:
            inside = not inside
    return out
