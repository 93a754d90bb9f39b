"""Search hits as an analyst reads them: titled (never an id), with a safe snippet around the words found.

The snippet is cut from the stored text around the first word the search matched (in any of its
spellings, see :mod:`narrascope.web.variants`), the matched words marked and the words of toxic
spans masked, so a comment's hit can be read without its slurs being shown.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from narrascope.toxicity.masking import DEFAULT_THRESHOLD, masked
from narrascope.web.text import first_words, mask_word
from narrascope.web.translit import WORD, is_plain, spelling_key

WIDTH = 220  # characters of text around the first match


def _fold(text: str) -> str:
    """``text`` lower-cased and without diacritics, one character for one (offsets stay those of ``text``)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1] or ch
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


def found_words(text: str, terms: set[str], keys: frozenset[str] | set[str] = frozenset()) -> list[tuple[int, int]]:
    """``[start, end)`` of the words of ``text`` a search found: one of ``terms`` (case and marks aside), or
    a non-ASCII word whose spelling key is one of ``keys`` (``Мінск`` for a search of ``Minsk``)."""
    folded = _fold(text)
    pattern = "|".join(re.escape(_fold(t)) for t in sorted(terms, key=len, reverse=True) if t)
    found = {(m.start(), m.end()) for m in re.finditer(rf"(?<!\w)(?:{pattern})(?!\w)", folded)} if pattern else set()
    if keys:
        found |= {m.span() for m in WORD.finditer(text) if not is_plain(m[0]) and spelling_key(m[0]) in keys}
    return sorted(found)


def snippet(text: str, terms: set[str], masked: list[tuple[int, int]], width: int = WIDTH,
            keys: frozenset[str] | set[str] = frozenset()) -> list[tuple[str, str]]:
    """The part of ``text`` around the first match as (piece, kind) with kind ``""``, ``"hit"`` or ``"masked"``."""
    found = found_words(text, terms, keys)
    size = len(text)
    start = max(0, found[0][0] - width // 3) if found else 0
    if start:
        space = text.find(" ", start, start + 25)
        start = space + 1 if space >= 0 else start
    end = min(size, start + width)
    if end < size:
        space = text.rfind(" ", end - 25, end)
        end = space if space > start else end
    cuts = {start, end}
    for a, b in [*found, *masked]:
        for x in (a, b):
            if start < x < end:
                cuts.add(x)
    bounds = sorted(cuts)
    pieces: list[tuple[str, str]] = [("…", "")] if start else []
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = " ".join(text[a:b].split()) if "\n" in text[a:b] else text[a:b]
        if any(s <= a and b <= e for s, e in masked):
            pieces.append((" ".join(mask_word(w) for w in piece.split(" ")), "masked"))
        elif any(s <= a and b <= e for s, e in found):
            pieces.append((piece, "hit"))
        else:
            pieces.append((piece, ""))
    if end < size:
        pieces.append(("…", ""))
    return pieces


def shape(cur: Any, hits: list[dict[str, Any]], kind: str, terms: set[str],
          threshold: float = DEFAULT_THRESHOLD, labelled: bool = True,
          keys: frozenset[str] | set[str] = frozenset()) -> list[dict[str, Any]]:
    """``hits`` with a title, a snippet (``pieces``), their toxicity flag and whether words were masked.

    Only masked comments (:func:`narrascope.toxicity.masking.masked` at ``threshold``) are flagged and
    have their toxic words masked. ``labelled``: whether these texts can carry toxicity labels at all
    (documents only when the layer scored their sentences); when not, the annotations are not read."""
    ids = [h["id"] for h in hits]
    if not ids:
        return []
    spans: dict[str, list[tuple[int, int]]] = {}
    flags: dict[str, str] = {}
    for target, label, start, end, score in [] if not labelled else cur.execute(
            "SELECT target_id, label, start_char, end_char, score FROM annotations WHERE layer = 'toxicity' AND "
            "label IN ('toxic_span', 'hatespeech', 'offensive') AND target_id IN (SELECT unnest(?))", [ids]).fetchall():
        if label == "toxic_span":
            spans.setdefault(target, []).append((int(start), int(end)))
        elif masked(label, score, threshold):
            flags[target] = label
    spans = {t: s for t, s in spans.items() if t in flags}
    if kind == "documents":
        rows = {r[0]: r[1:] for r in cur.execute(
            "SELECT id, title, body FROM documents WHERE id IN (SELECT unnest(?))", [ids]).fetchall()}
        texts = {i: (r[1] or "") for i, r in rows.items()}
        titles = {i: (r[0] or "").strip() or first_words(r[1]) for i, r in rows.items()}
    else:
        rows = {r[0]: r[1:] for r in cur.execute(
            "SELECT c.id, c.text, coalesce(c.number, c.position), c.author, c.document_id, d.title, d.body "
            "FROM comments c JOIN documents d ON d.id = c.document_id WHERE c.id IN (SELECT unnest(?))",
            [ids]).fetchall()}
        texts = {i: r[0] or "" for i, r in rows.items()}
        titles = {i: f"comment #{r[1]} by {r[2] or 'anonymous'} on “{(r[4] or '').strip() or first_words(r[5])}”"
                  for i, r in rows.items()}
    out = []
    for h in hits:
        if h["id"] not in texts:  # indexed, then gone from the store
            continue
        found = spans.get(h["id"], [])
        out.append({**h, "title": titles[h["id"]], "pieces": snippet(texts[h["id"]], terms, found, keys=keys),
                    "flag": flags.get(h["id"]), "masked": bool(found)})
    return out
