"""Shared pieces of the thread extractors: clean comment text, quotes, and a thread builder.

The text walk and every tree walk here iterate with an explicit stack: a hostile page
with thousands of nested elements must not hit Python's recursion limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from narrascope.dates import parse_time
from narrascope.model import Comment

BLOCK = frozenset("p div br li ul ol blockquote pre table tr section article aside header footer dd dt dl hr "
                  "figure figcaption h1 h2 h3 h4 h5 h6".split())
SKIP_TAGS = frozenset("script style noscript button form svg iframe template select textarea input img "
                      "video audio object embed nav".split())
FURNITURE = re.compile(r"(?:^|[\s_-])(reply|replies-link|comment-meta|commentmetadata|comment-author|vcard|says|"
                       r"votes?|vote-\w+|rating|likes?|share|sharing|report|flag|signature|edit|moderation|"
                       r"awaiting|moderator-note|mod-note|admin-note|avatar|buttons|controls|toolbar|actions?|show-comment|collapse|expand-link)"
                       r"(?:$|[\s_-])", re.I)
_SAYS = re.compile(r"\s*\b(says|said|sagt|schrieb|dit|dice|escribió|zegt|pisze|говорит|пишет|кажа|піша)\s*:?\s*$",
                   re.I)
_DIGITS = re.compile(r"\d+")


def cls(name: str) -> str:
    """XPath test that the element's class attribute holds the token ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def norm(text: str | None) -> str:
    """Collapse whitespace to single spaces."""
    return " ".join((text or "").split())


def clean_author(name: str | None) -> str | None:
    """An author name without ``says:``/``sagt:`` and the like; ``None`` when empty or deleted."""
    name = _SAYS.sub("", norm(name)).strip(" :»·|-")
    return name if name and name not in ("[deleted]", "[removed]") else None


def digits(value: str | None) -> str | None:
    """The first run of digits in ``value``."""
    found = _DIGITS.search(value or "")
    return found.group(0) if found else None


def block_text(root: Any, drop: set[Any] | frozenset[Any] = frozenset(), furniture: bool = True) -> str:
    """Clean text of ``root``: one whitespace-normalised line per paragraph.

    Elements in ``drop`` (quotes, nested comments), scripts, controls and (when
    ``furniture``) elements whose class names reply links, vote counters and the like
    are left out.
    """
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.tag in BLOCK:
                parts.append("\n")
            if node is not root and node.tail:
                parts.append(node.tail.replace("\n", " "))
            continue
        tag = node.tag
        if not isinstance(tag, str) or (node is not root and (
                tag in SKIP_TAGS or node in drop or node.get("hidden") is not None
                or (furniture and FURNITURE.search(node.get("class") or "")))):
            if node is not root and node.tail:
                parts.append(node.tail.replace("\n", " "))
            continue
        if tag in BLOCK:
            parts.append("\n")
        if node.text:
            parts.append(node.text.replace("\n", " "))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


_ISO = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def posted_time(raw: str | None) -> datetime | None:
    """``parse_time`` with a fast path for the ISO 8601 stamps most comment markup carries."""
    if raw and _ISO.match(raw):
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            return parse_time(raw)
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return parse_time(raw)


def owned(roots: list[Any], xpath: Any, items: set[Any]) -> dict[Any, Any]:
    """The first element ``xpath`` finds under ``roots`` for each of ``items`` that owns it.

    An element belongs to its nearest ancestor among ``items``; one pass per root keeps
    nested threads linear instead of searching every reply's subtree again.
    """
    found: dict[Any, Any] = {}
    for root in roots:
        for el in xpath(root):
            owner = next((a for a in el.iterancestors() if a in items), None)
            if owner is not None and owner not in found:
                found[owner] = el
    return found


def own(items: list[Any], owner: Any, scope: str) -> Any:
    """The first of ``items`` whose nearest ``scope`` ancestor (an XPath step) is ``owner``."""
    for item in items:
        found = item.xpath(f"ancestor::{scope}[1]")
        if not found or found[0] is owner:
            return item
    return None


@dataclass
class Quote:
    """Who or what a quote block names: a native comment id, a running number, an author, its text."""

    native: str | None = None
    number: int | None = None
    author: str | None = None
    text: str = ""


_CITE_HEAD = re.compile(r"^(?:quote:?\s*)?(?:originally posted by|quote from|quoting|zitat von|цитата)?\s*", re.I)
_CITE_TAIL = re.compile(r"\s*(?:\b(?:wrote|said|schrieb|написал|написала|писал)\b|:|↑|»).*$", re.I | re.S)


def cite_author(text: str) -> str | None:
    """``NAME wrote:``, ``NAME said:``, ``Originally Posted by NAME`` to ``NAME``."""
    name = _CITE_TAIL.sub("", _CITE_HEAD.sub("", norm(text), count=1), count=1).strip()
    return name if 0 < len(name) < 60 else None


class ThreadBuilder:
    """Collects comments in page order and resolves parents, quotes and text references.

    Native ids, running numbers and author names of earlier comments are indexed so a
    quote block or a ``#12`` in a later comment can point at the comment it answers.
    """

    def __init__(self) -> None:
        self.comments: list[Comment] = []
        self.by_id: dict[str, Comment] = {}
        self.by_number: dict[int, Comment] = {}
        self.by_author: dict[str, Comment] = {}

    def add(self, text: str, author: str | None = None, number: int | None = None, raw: str | None = None,
            native: str | None = None, parent: str | None = None, depth: int | None = None,
            quotes: list[Quote] | None = None, refs: list[str] | None = None) -> Comment:
        """Append one comment; ``depth`` defaults to one below its parent (0 without one)."""
        raw = norm(raw) or None
        if depth is None:
            up = self.by_id.get(parent) if parent else None
            depth = up.depth + 1 if up is not None else 0
        found = list(refs or [])
        for quote in quotes or []:
            ref = self.resolve(quote)
            if ref:
                found.append(ref)
        comment = Comment(text=text, author=author, number=number, posted_raw=raw, posted=posted_time(raw),
                          depth=depth, parent=parent, refs=[r for r in dict.fromkeys(found) if r != native],
                          id=native or f"#{len(self.comments) + 1}")
        self.comments.append(comment)
        if native:
            self.by_id.setdefault(native, comment)
        if number is not None and depth == 0:
            self.by_number[number] = comment
        if author:
            self.by_author[author.casefold()] = comment
        return comment

    def resolve(self, quote: Quote) -> str | None:
        """The id of the earlier comment a quote names, or ``None``."""
        if quote.native and quote.native in self.by_id:
            return quote.native
        if quote.number is not None and quote.number in self.by_number:
            return self.by_number[quote.number].id
        if quote.author and quote.author.casefold() in self.by_author:
            return self.by_author[quote.author.casefold()].id
        snippet = norm(quote.text)[:80]
        if len(snippet) >= 20:
            for earlier in reversed(self.comments):
                if snippet in norm(earlier.text):
                    return earlier.id
        return None

    def author_ref(self, name: str) -> str | None:
        """The latest earlier comment by ``name`` (case-insensitive)."""
        found = self.by_author.get(name.casefold())
        return found.id if found is not None else None


_FOOTER_REF = re.compile(r"Posted by:?\s*(.+?)\s+\|\s+[^|\n]*?\d[^|\n]*?\s+\|\s+(\d+)\b", re.I)
_NUMBER_REF = re.compile(r"(?:@\s?|#|\bno\.\s?|\bcomment\s)(\d{1,5})\b", re.I)
_AT_NAME = re.compile(r"@(?=\S)")


def text_refs(text: str, builder: ThreadBuilder, numbers: bool = True) -> list[str]:
    """References in a comment's text to earlier comments of ``builder``.

    ``@NAME`` names an earlier commenter; with ``numbers`` (pages that show running
    numbers) also ``@NAME 12``, ``NAME @12``, ``#12`` and a pasted footer line
    ``Posted by: NAME | date | 12`` name comment 12.
    """
    refs: list[str] = []
    if numbers:
        for found in _FOOTER_REF.finditer(text):
            target = builder.by_number.get(int(found.group(2)))
            if target is not None:
                refs.append(target.id)
        for found in _NUMBER_REF.finditer(text):
            target = builder.by_number.get(int(found.group(1)))
            if target is not None:
                refs.append(target.id)
    if "@" in text and builder.by_author:
        for found in _AT_NAME.finditer(text):
            after = text[found.end():found.end() + 80].casefold()
            names = [n for n in builder.by_author if after.startswith(n)]
            if not names:
                continue
            name = max(names, key=len)
            number = re.match(r"[\s,:]*(?:#|no\.\s?)?(\d{1,5})\b", after[len(name):]) if numbers else None
            target = builder.by_number.get(int(number.group(1))) if number else None
            refs.append((target or builder.by_author[name]).id)
    return refs


_POST_LINK = re.compile(r"(?:#|[?&](?:p|id)=|/post-|#post-?|#p|#comment-)(\d+)")
_QUOTE_TITLE = ("cite", "bbcode_postedby", "bbCodeBlock-title", "attribution", "title", "quote-title", "smallfont")
_POSTED_BY = etree.XPath(".//*[starts-with(normalize-space(.), 'Originally Posted by')]"
                         "[not(*[starts-with(normalize-space(.), 'Originally Posted by')])]")


def outermost(found: list[Any]) -> list[Any]:
    """Those of ``found`` not inside another of them (a quote of a quote goes with its quote)."""
    inside = set(found)
    return [q for q in found if not any(a in inside for a in q.iterancestors())]


def quote_info(quote: Any, prefix: str) -> Quote:
    """What a quote block names: ``data-*`` attributes, a link to the quoted post, a ``NAME wrote:`` line.

    ``prefix`` turns a quoted post's number into the page's native id (``"p"`` gives
    ``p120`` for phpBB). Title lines are left out of the quote's text.
    """
    titles = [e for e in quote.iter() if isinstance(e.tag, str) and e is not quote and (
        e.tag == "cite" or any(t in (e.get("class") or "").split() for t in _QUOTE_TITLE))]
    titles += [e for e in _POSTED_BY(quote) if e not in titles and not any(a in titles for a in e.iterancestors())]
    native = None
    source = quote.get("data-source") or quote.get("data-post-id") or quote.get("data-post")
    if source and digits(source):
        native = prefix + str(digits(source))
    else:
        for link in [quote.get("cite") or ""] + [a.get("href") or "" for t in titles for a in t.iter("a")]:
            found = _POST_LINK.search(link)
            if found:
                native = prefix + found.group(1)
                break
    author = quote.get("data-quote") or quote.get("data-author") or quote.get("data-username")
    if not author:
        author = next((name for t in titles if (name := cite_author(t.text_content()))), None)
    return Quote(native=native, author=clean_author(author), text=block_text(quote, set(titles)))
