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
from functools import lru_cache

from narrascope.model import Item
from narrascope.threads.text_dates import date_line

MIN_ITEMS = 3
MAX_TEASER_CHARS = 1200  # "a paragraph or two"
MAX_TEASER_PARAGRAPHS = 2
MAX_LEAD_LINES = 8  # site name, navigation, section heading before the first block
MIN_COVERED = 0.7  # share of the page's lines inside blocks
CARD_LINE = 40  # a short line inside a block that is no teaser: a date, a category, "Read more"

_MD_LINK = re.compile(r"#{0,6}\s*\*{0,2}\[(?P<title>[^\]]{3,200})\]\((?P<url>https?://[^\s)]+)\)\*{0,2}")
_TAIL_URL = re.compile(r"(?P<title>.{3,200}?)\s+[<(](?P<url>https?://[^\s>)]+)[>)]")
_LYNX_REF = re.compile(r"\[(?P<ref>\d{1,5})\]")  # lynx -dump numbers each link; its URL is under "References"
_LYNX_URL = re.compile(r"(?P<ref>\d{1,5})\.\s+(?P<url>\S+)")
_UNDERSCORE = re.compile(r"(?<=\w)_+(?=\w)")  # html2text writes a link's spaces as underscores
_STARS = re.compile(r"\*{2,}\s*(?P<inner>.+?)\s*\*{2,}")  # html2text's (Debian's) headings
_MORE = re.compile(r"(?:read more|continue reading|weiterlesen|lire la suite|leer más|читать далее|подробнее)"
                   r"\W{0,4}$", re.I)
_BYLINE = re.compile(r"(?i:by|von|par|por|от)\s+[A-ZÀ-ÞА-ЯЁ][\w.'-]*(?:\s+[A-ZÀ-ÞА-ЯЁ][\w.'-]*){0,4}"
                     r"(?:\s*[|,•·—–-]\s*.{0,40})?")
_DATE_BY = re.compile(r"(?P<date>.{6,40}?)\s+(?P<by>(?i:by|von|par|por|от)\s.+)")
_NUMBERED = re.compile(r"\d{1,3}[.)]\s")  # a listicle's steps
_TWO_SENTENCES = re.compile(r"\w[.!?]\s+\w")
_SENTENCE_END = (".", "!", "?", "…", "\"", "”", "»", ")", "'", "’")


def clean(line: str) -> tuple[str, str | None]:
    """A line without the marks text browsers add: lynx's ``[12]`` (returned), html2text's ``***`` and the
    underscores it puts for spaces in a link's text."""
    ref = _LYNX_REF.match(line)
    line = _LYNX_REF.sub("", line).strip()
    stars = _STARS.fullmatch(line)
    if stars:
        line = stars.group("inner").strip(" *")
    if "_" in line:
        line = _UNDERSCORE.sub(" ", line).strip(" _")
    return line, ref.group("ref") if ref else None


def references(text: list[str]) -> dict[str, str]:
    """lynx's numbered link list at the end of a dump: ``{"12": "https://..."}`` (web links only)."""
    try:
        start = len(text) - 1 - text[::-1].index("References")
    except ValueError:
        return {}
    found = (_LYNX_URL.fullmatch(line) for line in text[start + 1:])
    return {m.group("ref"): m.group("url") for m in found if m and m.group("url").startswith(("http://", "https://"))}


def headline(line: str, refs: dict[str, str] | None = None) -> tuple[str, str | None] | None:
    """``(title, url)`` when ``line`` reads as a headline: short, several words, no sentence end."""
    found = _headline(line) if len(line) <= 400 else None
    if found is None:
        return None
    title, url, ref = found
    return title, url or (refs or {}).get(ref or "")


@lru_cache(maxsize=16384)  # a line is asked about as a headline, a teaser and a block's start
def _headline(line: str) -> tuple[str, str | None, str | None] | None:
    m = (_MD_LINK.fullmatch(line) or _TAIL_URL.fullmatch(line)) if "http" in line else None
    if m:
        title, url, ref = m.group("title").strip(), m.group("url"), None
    else:
        title, ref = clean(line)
        title, url = title.lstrip("#* ").rstrip("* "), None
    words = sum(1 for w in title.split() if any(ch.isalpha() for ch in w))
    if not 3 <= len(title) <= 150 or not 3 <= words <= 18 or title[-1] in ".,;:…" or title.endswith("..."):
        return None
    if title[-1] in "!?" and words > 12 or _NUMBERED.match(title) or _TWO_SENTENCES.search(title):
        return None
    if _meta(title):
        return None
    return title, url, ref


def _prose(line: str) -> bool:
    """A line of a teaser: several words of running text."""
    return len(line.split()) >= 6 and 20 <= len(line) <= MAX_TEASER_CHARS


def _heading(line: str) -> bool:
    """A line that may stand above the blocks: a site name, a menu entry, a section heading; not a sentence."""
    return len(line) <= 100 and len(line.split()) <= 12 and not line.endswith((".", ":", ","))


def _meta(line: str) -> bool:
    """A date, a byline, both ("October 18, 2020 by Anna Petrova"), or "Read more"."""
    return len(line) <= 200 and _short_meta(line)


@lru_cache(maxsize=16384)
def _short_meta(line: str) -> bool:
    if _LYNX_REF.fullmatch(line):
        return True  # lynx puts a link around a block (a headline) on a line of its own
    line = clean(line)[0]
    if date_line(line) or _MORE.fullmatch(line) or (len(line) <= 80 and _BYLINE.fullmatch(line)):
        return True
    both = _DATE_BY.fullmatch(line) if len(line) <= 100 else None
    return bool(both and date_line(both.group("date")) and _BYLINE.fullmatch(both.group("by")))


def _wrapped(text: list[str], lines: list[int], gaps: set[int], k: int) -> bool:
    """Line ``k`` goes on in the next line (a text browser wrapped the paragraph)."""
    return k + 1 < len(lines) and k + 1 not in gaps and text[lines[k + 1]][:1].islower()


def _starts(text: list[str], lines: list[int], gaps: set[int], refs: dict[str, str]) -> list[int]:
    """Positions (in ``lines``) of headlines followed (past date and byline lines) by a teaser line."""
    out = []
    for k in range(len(lines) - 1):
        if headline(text[lines[k]], refs) is None or _wrapped(text, lines, gaps, k):
            continue
        t = k + 1
        while t < len(lines) - 1 and t - k <= 2 and _meta(text[lines[t]]):
            t += 1
        teaser = text[lines[t]]
        if not _prose(teaser) or (headline(teaser) is not None and not _wrapped(text, lines, gaps, t)):
            continue
        before = text[lines[k - 1]] if k else ""
        if k == 0 or k in gaps or before.endswith(_SENTENCE_END) or _meta(before) or len(before) <= CARD_LINE:
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
    refs = references(text)
    starts = _starts(text, lines, gaps, refs)
    if len(starts) < MIN_ITEMS or starts[0] > MAX_LEAD_LINES:
        return []
    if not all(_heading(text[lines[k]]) for k in range(starts[0])):
        return []  # lead paragraphs before the first block: an article with subheadings
    if any(_byline(text[j]) for j in range(lines[starts[0]])):  # the page's lines, meta lines taken out or not
        return []  # a byline under the title: one article's author, its headings are sections
    items: list[Item] = []
    covered = starts[0]
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        item, used = _block(text, lines, gaps, k, end, refs)
        if item is None:
            return []
        items.append(item)
        covered += used
    if starts[0] == 0 and _paragraphs(items[0]) > max(_paragraphs(i) for i in items[1:]):
        return []  # the page's first line over a lead longer than every section: an article's title
    return items if covered >= MIN_COVERED * len(lines) else []


def _paragraphs(item: Item) -> int:
    return item.text.count("\n\n") + 1


def _byline(line: str) -> bool:
    """"By Anna Petrova", or a date and a byline on one line."""
    line = clean(line.strip())[0]
    if len(line) <= 80 and _BYLINE.fullmatch(line):
        return True
    both = _DATE_BY.fullmatch(line) if len(line) <= 100 else None
    return bool(both and date_line(both.group("date")) and _BYLINE.fullmatch(both.group("by")))


def _block(text: list[str], lines: list[int], gaps: set[int], k: int, end: int,
           refs: dict[str, str]) -> tuple[Item | None, int]:
    """The item starting at headline ``k`` (lines up to ``end``) and the lines it covers; ``None``
    when what follows the headline is longer than a teaser (an article section)."""
    title, url = headline(text[lines[k]], refs) or (text[lines[k]], None)
    bare = _LYNX_REF.fullmatch(text[lines[k - 1]]) if k else None
    url = url or (refs.get(bare.group("ref")) if bare else None)
    teaser: list[str] = []
    paragraphs, chars, used = 0, 0, 1
    for p in range(k + 1, end):
        s = text[lines[p]]
        if teaser and teaser[-1] and p not in gaps and (s[:1].islower() or not teaser[-1].endswith(_SENTENCE_END)):
            teaser.append(s)  # the paragraph goes on (wrapped by a text browser)
        elif _meta(s) or (teaser and len(s) <= CARD_LINE):
            used += 1
            continue
        elif not _prose(s):
            break  # furniture after the last teaser
        else:
            paragraphs += 1
            teaser += [""] if teaser else []
            teaser.append(s)
        chars += len(s)
        used += 1
    if paragraphs > MAX_TEASER_PARAGRAPHS or chars > MAX_TEASER_CHARS:
        return None, 0
    return Item(title, "\n".join(teaser), url), used
