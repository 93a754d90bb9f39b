"""Forum threads: phpBB, vBulletin, XenForo and Discourse's crawler view.

Forum posts are flat (depth 0); a quote of an earlier post becomes a ref to it and is
left out of the quoting post's text.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from narrascope.model import Comment
from narrascope.threads.html_common import (
    ThreadBuilder,
    block_text,
    clean_author,
    cls,
    digits,
    norm,
    outermost,
    quote_info,
)


def _first(found: list[Any]) -> Any:
    return found[0] if found else None


def _text(el: Any) -> str | None:
    return norm(el.text_content()) or None if el is not None else None


def _number(el: Any) -> int | None:
    text = _text(el) or ""
    return int(text.strip("#№. ")) if text.strip("#№. ").isdigit() else None


def _post(builder: ThreadBuilder, body: Any, quotes_xpath: Any, prefix: str, **fields: Any) -> None:
    if body is None:
        return
    found = outermost(quotes_xpath(body))
    quotes = [quote_info(q, prefix) for q in found]
    text = block_text(body, set(found))
    if text:
        builder.add(text, quotes=quotes, **fields)


PHPBB_PROBE = "//p[contains(@class, 'author')][ancestor::div[contains(@class, 'post')]]"
_PHPBB_ITEMS = etree.XPath(f"//div[{cls('post')}][.//p[{cls('author')}]]")
_PHPBB_AUTHOR = etree.XPath(f".//p[{cls('author')}]")
_PHPBB_BODY = etree.XPath(f".//div[{cls('content')}]")
_PHPBB_QUOTES = etree.XPath(".//blockquote")
_BY = re.compile(r"^\s*(?:by|von|par|автор)?\s*(.+?)\s*»\s*(.+?)\s*$", re.I | re.S)


def phpbb(tree: Any) -> list[Comment]:
    """phpBB ``div.post``: ``p.author`` "by NAME » DATE", ``div.content``, ``blockquote > cite`` quotes."""
    builder = ThreadBuilder()
    for post in _PHPBB_ITEMS(tree):
        line = _first(_PHPBB_AUTHOR(post))
        name = _first(line.xpath(".//a[contains(@class, 'username')] | .//strong"))
        shown = _BY.match(norm(line.text_content()))
        time_el = _first(line.xpath(".//time[@datetime]"))
        raw = time_el.get("datetime") if time_el is not None else (shown.group(2) if shown else None)
        author = _text(name) or (shown.group(1) if shown else None)
        number_in_id = digits(post.get("id"))
        native = "p" + number_in_id if number_in_id else None
        _post(builder, _first(_PHPBB_BODY(post)), _PHPBB_QUOTES, "p", author=clean_author(author), raw=raw,
              native=native, depth=0)
    return builder.comments


VBULLETIN_PROBE = "//li[contains(@class, 'postcontainer')]"
_VB_ITEMS = etree.XPath(f"//li[{cls('postcontainer')} or {cls('postbitlegacy')}]")
_VB_BODY = etree.XPath(".//div[starts-with(@id, 'post_message_')] | .//blockquote[contains(@class, 'postcontent')]")
_VB_QUOTES = etree.XPath(f".//div[{cls('bbcode_container')}] | "
                         ".//div[div[@class = 'smallfont'][starts-with(normalize-space(.), 'Quote')]]")
_VB_NUMBER = etree.XPath(".//a[contains(@class, 'postcounter')] | .//a[starts-with(@id, 'postcount')]")
_VB3_ITEMS = etree.XPath("//table[starts-with(@id, 'post')][.//div[starts-with(@id, 'post_message_')]]")


def vbulletin(tree: Any) -> list[Comment]:
    """vBulletin ``li.postcontainer`` (version 3: ``table#postID``): "#5", username, "Originally Posted by X" quotes."""
    builder = ThreadBuilder()
    for post in _VB_ITEMS(tree) or _VB3_ITEMS(tree):
        number = _number(_first(_VB_NUMBER(post)))
        author = _text(_first(post.xpath(".//*[contains(@class, 'username')]")))
        date = _first(post.xpath(f".//*[{cls('postdate')}] | .//span[{cls('date')}] | (.//td[{cls('thead')}])[1]"))
        number_in_id = digits(post.get("id"))
        native = "post" + number_in_id if number_in_id else None
        _post(builder, _first(_VB_BODY(post)), _VB_QUOTES, "post", author=clean_author(author), number=number,
              raw=_text(date), native=native, depth=0)
    return builder.comments


XENFORO_PROBE = "//*[@data-author][contains(@class, 'message')]"
_XF_ITEMS = etree.XPath(f"//*[self::article or self::li][{cls('message')}][@data-author]")
_XF_BODY = etree.XPath(f".//div[{cls('bbWrapper')}] | .//blockquote[{cls('messageText')}]")
_XF_QUOTES = etree.XPath(".//*[contains(@class, 'bbCodeQuote') or contains(@class, 'bbCodeBlock--quote')]")
_XF_NUMBER = etree.XPath(".//*[contains(@class, 'message-attribution-opposite') or contains(@class, 'postNumber')]"
                         "//a[starts-with(normalize-space(.), '#')] | .//a[contains(@class, 'postNumber')]")


def xenforo(tree: Any) -> list[Comment]:
    """XenForo ``article.message[data-author]``: ``time[datetime]``, "#5", ``bbCodeQuote`` / "NAME said:" quotes."""
    builder = ThreadBuilder()
    for post in _XF_ITEMS(tree):
        time_el = _first(post.xpath(".//time[@datetime]"))
        raw = time_el.get("datetime") if time_el is not None else None
        native = digits(post.get("data-content") or post.get("id"))
        _post(builder, _first(_XF_BODY(post)), _XF_QUOTES, "post-", author=clean_author(post.get("data-author")),
              number=_number(_first(_XF_NUMBER(post))), raw=raw, native=f"post-{native}" if native else None,
              depth=0)
    return builder.comments


DISCOURSE_PROBE = "//div[contains(@class, 'crawler-post')]"
_DC_ITEMS = etree.XPath(f"//div[{cls('crawler-post')}]")
_DC_BODY = etree.XPath(".//*[@itemprop='text' or @itemprop='articleBody']")
_DC_QUOTES = etree.XPath(".//aside[contains(@class, 'quote')]")
_DC_AUTHOR = (etree.XPath(".//*[@itemprop='author']//*[@itemprop='name']"),
              etree.XPath(f".//*[@itemprop='author'] | .//*[{cls('creator')}]"))


def discourse(tree: Any) -> list[Comment]:
    """Discourse's crawler view: ``div.crawler-post`` with ``itemprop`` author, datePublished, position."""
    builder = ThreadBuilder()
    for post in _DC_ITEMS(tree):
        number = _number(_first(post.xpath(".//*[@itemprop='position']"))) or _number_of(post.get("id"))
        when = _first(post.xpath(".//*[@itemprop='datePublished']"))
        raw = (when.get("datetime") or when.get("content") or _text(when)) if when is not None else None
        author = _text(_first(_DC_AUTHOR[0](post))) or _text(_first(_DC_AUTHOR[1](post)))
        _post(builder, _first(_DC_BODY(post)), _DC_QUOTES, "post-", author=clean_author(author), number=number,
              raw=raw, native=f"post-{number}" if number else None, depth=0)
    return builder.comments


def _number_of(value: str | None) -> int | None:
    found = digits(value)
    return int(found) if found else None
