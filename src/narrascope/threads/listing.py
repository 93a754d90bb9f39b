"""Listing pages in extracted text: a run of headline + teaser blocks (a front, category or aggregator page).

A block is a headline (one short line that does not end like a sentence) followed by a teaser of
one or two paragraphs of prose, and optionally date, byline or "Read more" lines. A page is a
listing when at least three such blocks make up most of it, and little stands before the first
one (a section heading, a site name). Every block must be teaser-sized: an article with
subheadings has a lead of several paragraphs under its title, or sections longer than a teaser.

Renderings keep links in several ways; a headline's link is kept when the line holds it as
Markdown (``[Headline](url)``, html2text) or ends with ``<url>`` / ``(url)``.
"""

from __future__ import annotations

import re

from narrascope.model import Item
from narrascope.threads.text_dates import date_line

MIN_ITEMS = 3
MAX_TEASER_CHARS = 1200  # "a paragraph or two"
MAX_TEASER_PARAGRAPHS = 2
MAX_LEAD_LINES = 3  # section heading, site name, a date before the first block
MIN_COVERED = 0.7  # share of the page's lines inside blocks

_MD_LINK = re.compile(r"#{0,6}\s*\*{0,2}\[(?P<title>[^\]]{3,200})\]\((?P<url>https?://[^\s)]+)\)\*{0,2}")
_TAIL_URL = re.compile(r"(?P<title>.{3,200}?)\s+[<(](?P<url>https?://[^\s>)]+)[>)]")
_MORE = re.compile(r"(?:read more|continue reading|weiterlesen|lire la suite|leer más|читать далее|подробнее)"
                   r"\W{0,4}$", re.I)
_BYLINE = re.compile(r"(?i:by|von|par|por|от)\s+[A-ZÀ-ÞА-ЯЁ][\w.'-]*(?:\s+[A-ZÀ-ÞА-ЯЁ][\w.'-]*){0,4}"
                     r"(?:\s*[|,•·—–-]\s*.{0,40})?")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s")  # a listicle's steps
_TWO_SENTENCES = re.compile(r"\w[.!?]\s+\w")
_SENTENCE_END = (".", "!", "?", "…", "\"", "”", "»", ")", "'", "’")


def headline(line: str) -> tuple[str, str | None] | None:
    """``(title, url)`` when ``line`` reads as a headline: short, several words, no sentence end."""
    m = _MD_LINK.fullmatch(line) or _TAIL_URL.fullmatch(line)
    title, url = (m.group("title").strip(), m.group("url")) if m else (line.lstrip("#* ").rstrip("* "), None)
    words = sum(1 for w in title.split() if any(ch.isalpha() for ch in w))
    if not 3 <= len(title) <= 150 or not 3 <= words <= 18 or title[-1] in ".,;:…" or title.endswith("..."):
        return None
    if title[-1] in "!?" and words > 12 or _NUMBERED.match(title) or _TWO_SENTENCES.search(title):
        return None
    if date_line(title) or _MORE.fullmatch(title) or _BYLINE.fullmatch(title):
        return None
    return title, url


def _prose(line: str) -> bool:
    """A line of a teaser: several words of running text."""
    return len(line.split()) >= 6 and 20 <= len(line) <= MAX_TEASER_CHARS


def _heading(line: str) -> bool:
    """A line that may stand above the blocks: a section heading or site name, not a sentence."""
    return len(line) <= 100 and len(line.split()) <= 12 and not line.endswith((".", ":", ","))


def _meta(line: str) -> bool:
    return bool(date_line(line) or _MORE.fullmatch(line) or (len(line) <= 80 and _BYLINE.fullmatch(line)))


def _starts(text: list[str], lines: list[int], gaps: set[int]) -> list[int]:
    """Positions (in ``lines``) of headlines followed by a teaser line."""
    out = []
    for k in range(len(lines) - 1):
        teaser = text[lines[k + 1]]
        if headline(text[lines[k]]) is None or not _prose(teaser) or headline(teaser) is not None:
            continue
        before = text[lines[k - 1]] if k else ""
        if k == 0 or k in gaps or before.endswith(_SENTENCE_END) or _meta(before):
            out.append(k)
    return out


def listing_items(text: list[str], content: list[int]) -> list[Item]:
    """The items of a listing page from its content lines (``-1`` marks a blank line); ``[]`` if not a listing."""
    lines = [j for j in content if j >= 0]
    gaps, seen = set(), 0  # positions in ``lines`` that follow a blank line
    for j in content:
        if j < 0:
            gaps.add(seen)
        else:
            seen += 1
    starts = _starts(text, lines, gaps)
    if len(starts) < MIN_ITEMS or starts[0] > MAX_LEAD_LINES:
        return []
    if not all(_heading(text[lines[k]]) for k in range(starts[0])):
        return []  # lead paragraphs before the first block: an article with subheadings
    items: list[Item] = []
    covered = starts[0]
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        item, used = _block(text, lines, gaps, k, end)
        if item is None:
            return []
        items.append(item)
        covered += used
    return items if covered >= MIN_COVERED * len(lines) else []


def _block(text: list[str], lines: list[int], gaps: set[int], k: int, end: int) -> tuple[Item | None, int]:
    """The item starting at headline ``k`` (lines up to ``end``) and the lines it covers; ``None``
    when what follows the headline is longer than a teaser (an article section)."""
    title, url = headline(text[lines[k]]) or (text[lines[k]], None)
    teaser: list[str] = []
    paragraphs, chars, used = 0, 0, 1
    for p in range(k + 1, end):
        s = text[lines[p]]
        if _meta(s):
            used += 1
            continue
        if p in gaps or not teaser:
            if teaser and not _prose(s):
                break  # furniture after the last teaser
            paragraphs += 1
            if teaser:
                teaser.append("")
        teaser.append(s)
        chars += len(s)
        used += 1
    if paragraphs > MAX_TEASER_PARAGRAPHS or chars > MAX_TEASER_CHARS:
        return None, 0
    return Item(title, "\n".join(teaser), url), used
