"""HTML pages: the article through trafilatura, the comment thread from the page's structure."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from narrascope import registry
from narrascope.dates import parse_time
from narrascope.errors import ReadError
from narrascope.model import Document, listing_body
from narrascope.readers import Reader
from narrascope.readers.decode import decode, looks_binary

_HTML_HEAD = re.compile(rb"<(!doctype html|html|head|body|meta|div|p|article|title)[\s>]", re.I)


def outlet_of(url: str | None) -> str | None:
    """The site a URL belongs to, without ``www.``."""
    if not url or "://" not in url:
        return None
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.") or None


_TIME_META = ("//meta[@property='article:published_time' or @name='article:published_time' or "
              "@itemprop='datePublished' or @property='og:published_time' or @name='pubdate' or "
              "@name='date' or @name='DC.date.issued']/@content")


def _published_raw(stated: list[Any], date: str | None) -> str | None:
    """The page's own publication timestamp when it agrees with trafilatura's date.

    trafilatura (htmldate) keeps only the day; pages usually state the time too.
    """
    if not date:
        return None
    for value in stated:
        value = str(value).strip()
        if value[:10] == date[:10] and len(value) > 10:
            return value
    return date


def parse_html(html: str, source: str, url: str | None = None, fast: bool = True,
               limits: list[str] | None = None) -> Document:
    """One HTML page to a Document: metadata and body from trafilatura, comments parsed here.

    A resource limit the HTML parser hit (libxml2 stops reading below 256 nested elements) is
    appended to ``limits``: the page is read, but not all of it.
    """
    import trafilatura
    from trafilatura.utils import HTML_PARSER, load_html

    from narrascope.readers.metadata import page_metadata
    from narrascope.threads.html import extract_comments
    from narrascope.threads.html_listing import html_listing_items, mostly_items, page_title
    from narrascope.threads.text_article import headline_first

    try:
        tree = load_html(html)  # trafilatura's own parsing scored higher than lxml's defaults
    except Exception as exc:  # noqa: BLE001 - lxml raises several types on hostile markup
        raise ReadError(source, f"not parseable as HTML ({type(exc).__name__})") from None
    if tree is None:
        raise ReadError(source, "not parseable as HTML (no document element)")
    if limits is not None:
        limits += [e.message for e in HTML_PARSER.error_log if e.type_name == "ERR_RESOURCE_LIMIT"][:1]
    comments = extract_comments(tree, html)
    items = [] if comments else html_listing_items(tree, url)  # before trafilatura, which prunes the tree
    title = page_title(tree)
    stated = tree.xpath(_TIME_META)[:5]
    result: Any = trafilatura.bare_extraction(
        tree, url=url, fast=fast, include_comments=False, with_metadata=False, include_tables=True,
    )
    body = (result.text or "") if result is not None else ""
    doc = Document(source=url or source, body=body)
    if result is not None:
        meta = page_metadata(tree, url)
        doc.title = meta.title or None
        doc.author = meta.author or None
        doc.published_raw = _published_raw(stated, meta.date)
        doc.published = parse_time(doc.published_raw)
        doc.outlet = outlet_of(url) or meta.hostname or meta.sitename or None
    doc.outlet = doc.outlet or outlet_of(url)
    if doc.title is None and (headline := headline_first(doc.body)) is not None:
        doc.title, doc.body = headline  # no title in the metadata: the page opens with its headline
    doc.comments = comments
    if comments and _mostly_comments(body, comments):
        doc.body = ""  # a forum page: trafilatura took the posts for the article
    doc.kind = "article" if doc.body.strip() else ("thread" if comments else "unknown")
    if items and mostly_items(doc.body, items):  # a front or category page
        doc.kind, doc.items, doc.body = "listing", items, listing_body(items)
        if doc.title is None or doc.title in {i.title for i in items}:
            doc.title = title
    return doc


def _mostly_comments(body: str, comments: list[Any]) -> bool:
    """True when at least half of the body is the page's own comments or their signature lines."""
    authors = {c.author for c in comments if c.author and len(c.author) > 2}
    lines = [line for line in body.splitlines() if line.strip()]
    signatures = sum(len(line) for line in lines if len(line) < 120 and any(a in line for a in authors))
    flat = " ".join(body.split())
    covered = signatures + sum(len(t) for t in (" ".join(c.text.split()) for c in comments) if t and t[:60] in flat)
    return covered >= 0.5 * len(flat)


@registry.readers.register("html")
class HtmlReader(Reader):
    """HTML, also gzip-compressed (``.html.gz``)."""

    name = "html"

    def __init__(self, fast: bool = True) -> None:
        self.fast = fast

    def sniff(self, head: bytes, hint: str) -> float:
        if looks_binary(head):
            return 0.0
        found = _HTML_HEAD.search(head[:4096])
        if found:
            return 0.9 if found.group(1).lower() in (b"!doctype html", b"html", b"head") else 0.5
        return 0.3 if hint.endswith((".html", ".htm", ".html.gz", ".htm.gz", ".xhtml")) else 0.0

    def read(self, data: bytes, source: str, url: str | None = None, **options: Any) -> list[Document]:
        limits: list[str] = []
        doc = parse_html(decode(data), source, url=url, fast=self.fast, limits=limits)
        if limits:  # stored as read, and recorded as a failure so the analyst knows part is missing
            error = ReadError(source, "only partly read: elements are nested deeper than the HTML parser's limit "
                                      "(256 levels); what lies deeper, comments included, is missing")
            error.documents = [doc]  # type: ignore[attr-defined]
            raise error
        return [doc]
