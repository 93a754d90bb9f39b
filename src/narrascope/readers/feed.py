"""RSS and Atom feeds through feedparser: stories, or a WordPress comment feed as a thread."""

from __future__ import annotations

import re
from typing import Any

from narrascope import registry
from narrascope.dates import parse_time
from narrascope.model import Comment, Document
from narrascope.readers import Reader
from narrascope.readers.html import outlet_of

_FEED = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)


def _text(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    try:
        return " ".join(lxml.html.fromstring(html).text_content().split())
    except Exception:  # noqa: BLE001 - fragments that are not markup
        return html.strip()


@registry.readers.register("feed")
class FeedReader(Reader):
    """Each feed entry is a story; a feed whose entries are ``By: NAME`` comments is one thread."""

    name = "feed"

    def sniff(self, head: bytes, hint: str) -> float:
        return 0.95 if _FEED.search(head[:2048]) else 0.0

    def read(self, data: bytes, source: str, **options: Any) -> list[Document]:
        import feedparser

        parsed = feedparser.parse(data)
        entries = parsed.entries
        title = parsed.feed.get("title", "")
        link = parsed.feed.get("link")
        if entries and (title.startswith("Comments on") or
                        all(e.get("title", "").startswith("By: ") for e in entries)):
            thread = Document(source=link or source, kind="thread", outlet=outlet_of(link),
                              title=title.removeprefix("Comments on: ") or None)
            for e in entries:
                raw = e.get("published") or e.get("updated")
                thread.comments.append(Comment(
                    text=_text(e.get("description") or e.get("summary", "")),
                    author=e.get("author") or e.get("title", "").removeprefix("By: ") or None,
                    posted_raw=raw, posted=parse_time(raw), id=e.get("link") or "",
                ))
            return [thread]
        docs = []
        for e in entries:
            content = e.get("content") or []
            html = content[0].get("value", "") if content else e.get("summary", "")
            raw = e.get("published") or e.get("updated")
            url = e.get("link")
            docs.append(Document(
                source=url or source, kind="article", title=e.get("title") or None,
                author=e.get("author") or None, published_raw=raw, published=parse_time(raw),
                body=_text(html), outlet=outlet_of(url) or outlet_of(link),
            ))
        return docs
