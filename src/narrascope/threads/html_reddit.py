"""Reddit pages: old Reddit's ``div.thing.comment`` and new Reddit's ``<shreddit-comment>``."""

from __future__ import annotations

from typing import Any

from lxml import etree

from narrascope.model import Comment
from narrascope.threads.html_common import ThreadBuilder, block_text, clean_author, cls, outermost, quote_info

OLD_REDDIT_PROBE = "//div[@data-fullname][contains(@class, 'comment')]"
_OLD_ITEM = f"div[{cls('thing')}][{cls('comment')}]"
_OLD_ITEMS = etree.XPath(f"//{_OLD_ITEM}")
_OLD_ENTRY = etree.XPath(f"./div[{cls('entry')}]")
_QUOTES = etree.XPath(".//blockquote")


def old_reddit(tree: Any) -> list[Comment]:
    """Old Reddit: ``div.thing.comment[data-author]``, ``time[datetime]``, ``div.md``; replies in ``div.child``."""
    builder = ThreadBuilder()
    for thing in _OLD_ITEMS(tree):
        entry = _OLD_ENTRY(thing)
        if not entry:
            continue
        native = thing.get("data-fullname") or thing.get("id", "").removeprefix("thing_") or None
        up = thing.xpath(f"ancestor::{_OLD_ITEM}[1]")
        parent = (up[0].get("data-fullname") or up[0].get("id", "").removeprefix("thing_")) if up else None
        when = entry[0].xpath(".//p[contains(@class, 'tagline')]//time[@datetime]")
        body = entry[0].xpath(f".//div[{cls('md')}]")
        author = thing.get("data-author") or "".join(entry[0].xpath(".//a[contains(@class, 'author')][1]//text()"))
        _add(builder, body[0] if body else None, clean_author(author), when[0].get("datetime") if when else None,
             native, parent)
    return builder.comments


SHREDDIT_PROBE = "//shreddit-comment"
_SHREDDIT_ITEMS = etree.XPath("//shreddit-comment")
_OWN = "./*[not(self::shreddit-comment)]/descendant-or-self::"
_SHREDDIT_TIME = etree.XPath(f"{_OWN}faceplate-timeago[@ts] | {_OWN}time[@datetime]")


def shreddit(tree: Any) -> list[Comment]:
    """New Reddit's ``<shreddit-comment author thingid parentid depth>`` with a ``slot="comment"`` body."""
    builder = ThreadBuilder()
    for item in _SHREDDIT_ITEMS(tree):
        body = item.xpath("./div[@slot='comment'] | ./*/div[@slot='comment']")
        when = _SHREDDIT_TIME(item)
        raw = item.get("created-timestamp") or (when[0].get("ts") or when[0].get("datetime") if when else None)
        depth = item.get("depth")
        _add(builder, body[0] if body else None, clean_author(item.get("author")), raw,
             item.get("thingid") or None, item.get("parentid") or None,
             int(depth) if depth and depth.isdigit() else None)
    return builder.comments


def _add(builder: ThreadBuilder, body: Any, author: str | None, raw: str | None, native: str | None,
         parent: str | None, depth: int | None = None) -> None:
    if body is None:
        return
    found = outermost(_QUOTES(body))
    text = block_text(body, set(found))
    if text:
        parent = parent if parent and parent.startswith("t1_") else None
        builder.add(text, author, None, raw, native, parent, depth, quotes=[quote_info(q, "t1_") for q in found])
