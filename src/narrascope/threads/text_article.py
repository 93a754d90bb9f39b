"""The part of a text page before its comments: title, byline, date, body or listing items.

Lines are kept or dropped whole, never rewritten, so every body line occurs in the
input and annotation offsets stay meaningful. Furniture (navigation, share bars,
cookie and newsletter boxes, comment-section headers) is dropped; the byline, the date
line and a Typepad ``Posted by AUTHOR on DATE | Permalink`` separator become metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from narrascope.model import Item, listing_body
from narrascope.threads.listing import clean, headline, listing_items
from narrascope.threads.text_blogs import typepad_separator
from narrascope.threads.text_dates import date_line
from narrascope.threads.text_formats import Lines, join
from narrascope.threads.text_furniture import is_bio_header, is_comments_header, is_page_furniture, is_thread_end

_BYLINE = re.compile(r"(?:by|von|par|por|door|от|автор:?|posted by|written by)\s(?P<rest>.{2,160})", re.I)
_BY_SPLIT = re.compile(r"\s(?:[|•·—–-]|on|am|le|el)\s|,\s(?=[^,]*\d)")
_SUBMITTED = re.compile(r"submitted\s(?P<when>.{1,60}?)\sby\s(?P<name>\S{1,40}).{0,80}", re.I)
_META_LOOKAHEAD = 8


@dataclass
class ArticleParts:
    """What the lines before the comments say: title, byline, time, body or listing items."""

    title: str | None = None
    author: str | None = None
    published_raw: str | None = None
    body: str = ""
    items: list[Item] = field(default_factory=list)


def byline(s: str) -> tuple[str | None, str | None] | None:
    """``By NAME``, ``By NAME | DATE``, ``submitted 3 hours ago by NAME``: (author, date)."""
    if len(s) > 200:
        return None
    m = _SUBMITTED.fullmatch(s)
    if m:
        return m.group("name"), date_line(m.group("when")) or m.group("when")
    m = _BYLINE.fullmatch(s)
    if m is None:
        return None
    parts = _BY_SPLIT.split(m.group("rest"), maxsplit=1)
    name = parts[0].strip(" ,")
    if not name or len(name.split()) > 8 or name[0].islower() or name[-1] in ".!?":
        return None
    when = date_line(parts[1].strip()) if len(parts) > 1 else None
    return name, when


def parse_article(lines: Lines, end: int, thread_only: bool = False, may_list: bool = True) -> ArticleParts:
    """Title, byline, date and body (or listing items) from lines ``[0, end)``.

    ``thread_only``: a forum page, whose first line is the topic title and the rest
    furniture. ``may_list``: the page has no comments, so it may be a listing.
    """
    text = lines.text
    out = ArticleParts()
    content: list[int] = []
    gap = False
    for j in range(min(end, len(text))):
        s = text[j]
        if not s:
            gap = True
            continue
        sep = typepad_separator(s)
        if sep is not None:
            out.author = out.author or sep[0]
            out.published_raw = out.published_raw or sep[1]
            continue
        if content and (is_comments_header(s) or is_thread_end(s)):
            break
        if content and end < len(text) and is_bio_header(s):
            break  # the author's box between the article and its comments
        if is_page_furniture(s):
            continue
        if gap and content:
            content.append(-1)
        gap = False
        content.append(j)
    content, metas = _take_meta(text, content, out)
    real = [j for j in content if j >= 0]
    if not real:
        return out
    if thread_only:
        out.title = text[real[0]] if len(text[real[0]]) <= 200 else None
        return out
    if may_list:
        items = listing_items(text, content)
        if items:  # a front or category page: its heading, if any, is the title
            first = text[real[0]]
            return ArticleParts(title=clean(first)[0] if headline(first) != (items[0].title, items[0].url) else None,
                                body=listing_body(items), items=items)
    title = _title(text, real, metas, more=end < len(text))
    if title is not None:
        out.title = text[title].lstrip("#").strip() if text[title].startswith("# ") else text[title]
        top = max(title, metas[-1]) if metas and metas[-1] < title + _META_LOOKAHEAD else title
        content = [j for k, j in enumerate(content) if j > top or (j < 0 and k > 0 and content[k - 1] > top)]
        while content and content[0] < 0:
            content.pop(0)
    out.body = join(text, content)
    return out


def _take_meta(text: list[str], content: list[int], out: ArticleParts) -> tuple[list[int], list[int]]:
    """Drop byline and date lines near the top, keeping what they say; also their indexes."""
    drop: list[int] = []
    for j in [j for j in content if j >= 0][:_META_LOOKAHEAD]:
        s = text[j]
        by = byline(s)
        if by is not None:
            out.author = out.author or by[0]
            out.published_raw = out.published_raw or by[1]
            drop.append(j)
            continue
        when = date_line(s)
        if when is not None:
            if out.published_raw is None or s.lower().startswith("published"):
                out.published_raw = when
            drop.append(j)
    if not drop:
        return content, drop
    kept: list[int] = []
    for j in content:
        if j in drop or (j < 0 and (not kept or kept[-1] < 0)):
            continue
        kept.append(j)
    while kept and kept[-1] < 0:
        kept.pop()
    return kept, drop


def _title(text: list[str], real: list[int], metas: list[int], more: bool) -> int | None:
    """The title line: the longest title-like line next to the byline or date (one of the
    two lines before them, or a headline after them when those are short like a site
    name), else the first line if it is title-like and not alone."""
    if metas:
        before = [j for j in real if j < metas[0]][-2:]
        after = [j for j in real if j > metas[-1]]
        cands = [j for j in before if _title_like(text[j])]
        if len(after) > 1 and _headline(text[after[0]]) and all(len(text[j].split()) <= 4 for j in cands):
            cands.append(after[0])  # a date line between a site name and the title
        if cands:
            return max(cands, key=lambda j: (len(text[j].split()), j == (before or [-1])[-1]))
    first = real[0]
    return first if _title_like(text[first]) and (len(real) > 1 or more) else None


def headline_first(body: str) -> tuple[str, str] | None:
    """(title, rest of the body) when the body's first line reads as its headline: short, no
    final full stop, and followed by a paragraph of sentences; for pages with no title in
    their metadata."""
    first, _, rest = body.lstrip().partition("\n")
    first, rest = first.strip(), rest.strip()
    nxt = rest.partition("\n")[0]
    if not (first and nxt) or not _headline(first) or len(first.split()) > 20 or first.endswith(("!", "…")):
        return None
    if len(nxt) < max(80, 2 * len(first)) or nxt.rstrip("\"'”’»)")[-1:] not in (".", "!", "?"):
        return None
    return first.lstrip("#").strip() if first.startswith("# ") else first, rest


def _title_like(s: str) -> bool:
    """Short, and not a sentence (titles do not end with a full stop)."""
    return len(s) <= 200 and len(s.split()) <= 25 and not s.rstrip("\"'”’»)").endswith((".", ",", ";", ":"))


def _headline(s: str) -> bool:
    return 3 <= len(s) <= 150 and len(s.split()) <= 22 and s[-1] not in ".,;:" and not s.endswith("…")

