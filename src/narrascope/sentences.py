"""Sentences and paragraphs of a text as ``[start, end)`` character offsets (no model, linear time).

A light rule splitter: a sentence ends at ``.``, ``!``, ``?`` or ``…`` (and any closing quote, ``»``
too) followed by space and an upper-case letter, digit or opening quote (``«`` and ``„`` too), or
at a line break. Common abbreviations (Mr., Dr.,
U.S., ...) do not end a sentence. Good enough to point analysts at the sentence that carries a
narrative or claim. The one splitter of every layer (narratives, claims, toxicity, the languages of a text).
"""

from __future__ import annotations

import re

_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*\s+"
                  r"(?=[\"'\u201c\u2018\u201e\u00ab(\[]?[A-Z0-9\u0400-\u04ff])|\n\s*")
#: a sentence mark (and any closing quote or bracket) at the end of a sentence
_MARKED = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*$")
_PARA = re.compile(r"\n\s*\n|\r\n\s*\r\n")
#: the fewest words a sentence needs to carry a narrative or a claim: "NATO." or "42%" names a topic
#: or a number, not a storyline or a statement (the models scored "NATO" 0.999 for "NATO is
#: encircling Russia" and "42%" 0.98 check-worthy)
MIN_WORDS = 2
_ABBREV = ("mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "gen.", "sen.", "rep.", "u.s.", "u.k.", "e.g.", "i.e.",
           "vs.", "no.", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec.", "jr.", "inc.", "co.")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def scored_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` the narrative and claim models score: those of ``MIN_WORDS`` words or more."""
    return [(s, e) for s, e in sentences(text) if len(text[s:e].split()) >= MIN_WORDS]


def sentences(text: str, start: int = 0, end: int | None = None, marked: bool = False) -> list[tuple[int, int]]:
    """Non-empty sentence spans of ``text[start:end]``, in order.

    ``marked``: only the sentences that end with a sentence mark (``.`` ``!`` ``?`` ``…``, then any closing
    quote or bracket), leaving out the lines that do not: headings, menu items, bylines, captions.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _END.finditer(text, start, end):
        before = text[max(cur, m.start() - 6):m.start() + 1].lower().split()
        if m.group().strip() and before and before[-1] in _ABBREV:
            continue
        s, e = _trim(text, cur, m.end())
        if s < e:
            spans.append((s, e))
        cur = m.end()
    s, e = _trim(text, cur, end)
    if s < e:
        spans.append((s, e))
    return [(s, e) for s, e in spans if _MARKED.search(text, s, e)] if marked else spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty paragraph spans (separated by blank lines)."""
    spans, cur = [], 0
    for m in _PARA.finditer(text):
        s, e = _trim(text, cur, m.start())
        if s < e:
            spans.append((s, e))
        cur = m.end()
    s, e = _trim(text, cur, len(text))
    if s < e:
        spans.append((s, e))
    return spans
