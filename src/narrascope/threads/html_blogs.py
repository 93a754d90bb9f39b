"""Blog comment sections: WordPress (plain and numbered variants) and Typepad-style footers."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from narrascope.model import Comment
from narrascope.threads.html_common import (
    Quote,
    ThreadBuilder,
    block_text,
    clean_author,
    cls,
    digits,
    norm,
    outermost,
    owned,
    quote_info,
    text_refs,
)

WORDPRESS_PROBE = "//*[self::li or self::div][contains(@class, 'comment')][contains(@id, 'comment-')]"
# li#comment-ID in core themes; some themes (Soledad, Penci) nest div#comment-ID.comment instead
_WP_ITEMS = etree.XPath(f"//*[self::li or self::div][{cls('comment')}][contains(@id, 'comment-')]")
_WP_AUTHOR = etree.XPath(f".//*[{cls('fn')}] | .//*[@itemprop='creator' or @itemprop='author']//*[@itemprop='name']")
_WP_AUTHOR_BOX = etree.XPath(f".//*[{cls('comment-author')}]")
_WP_TIME = etree.XPath(f".//time[@datetime] | .//*[@itemprop='commentTime' or {cls('date')}][@datetime]")
_WP_DATE = etree.XPath(f".//*[{cls('comment-metadata')} or {cls('commentmetadata')} or {cls('comment-meta')}]"
                       f"//a | .//*[{cls('comment-date')}] | .//*[{cls('comment-author')}]"
                       "//a[contains(@href, '#comment-')][translate(., '0123456789', '') != .]")
_BOX_NAME = etree.XPath("./cite | ./strong | ./b | ./a[not(img)][not(contains(@href, '#comment-'))]")
_WP_CONTENT = etree.XPath(f".//*[{cls('comment-content')}]")
# without div.comment-content: div.comment-text, or div.comment-body (those may hold the header too)
_WP_BODY = etree.XPath(f".//*[{cls('comment-text')}][not(.//*[{cls('comment-content')}])] | "
                       f".//div[{cls('comment-body')}][not(.//*[{cls('comment-content')}])]")
_WP_NUMBER = etree.XPath(".//*[contains(@class, 'number') or contains(@class, 'comment-num')]")
_CHILD_LISTS = etree.XPath(f"./ol | ./ul | ./*/ol[{cls('children')}] | ./*/ul[{cls('children')}]")
_QUOTES = etree.XPath(".//blockquote")


def _quotes(body: Any, prefix: str = "comment-") -> tuple[set[Any], list[Quote]]:
    found = outermost(_QUOTES(body))
    return set(found), [quote_info(q, prefix) for q in found]


def wordpress(tree: Any) -> list[Comment]:
    """WordPress ``li#comment-ID.comment`` (or ``div``): author ``.fn`` (or microdata ``creator``), ``time``,
    ``div.comment-content``, nested lists."""
    items = _WP_ITEMS(tree)
    inside = set(items)
    up: dict[Any, Any] = {li: next((a for a in li.iterancestors() if a in inside), None) for li in items}
    roots = [li for li in items if up[li] is None]
    fields = {name: owned(roots, xpath, inside) for name, xpath in (
        ("fn", _WP_AUTHOR), ("box", _WP_AUTHOR_BOX), ("time", _WP_TIME), ("date", _WP_DATE),
        ("content", _WP_CONTENT), ("body", _WP_BODY),
        ("number", _WP_NUMBER))}
    builder = ThreadBuilder()
    for li in items:
        native = f"comment-{digits(li.get('id'))}"
        parent = f"comment-{digits(up[li].get('id'))}" if up[li] is not None else None
        author_el = fields["fn"].get(li)
        if author_el is None and li in fields["box"]:
            author_el = next(iter(_BOX_NAME(fields["box"][li])), fields["box"][li])
        author = clean_author(author_el.text_content()) if author_el is not None else None
        if li in fields["time"]:
            raw = fields["time"][li].get("datetime")
        else:
            raw = fields["date"][li].text_content() if li in fields["date"] else None
        number = digits(norm(fields["number"][li].text_content())[:12]) if li in fields["number"] else None
        body = fields["content"].get(li, fields["body"].get(li))
        if body is not None:
            drop, quotes = _quotes(body)
            text = block_text(body, drop)
        else:
            drop, quotes = _quotes(li)
            drop |= set(_CHILD_LISTS(li))
            if author_el is not None:
                drop.add(author_el)
            text = block_text(li, drop)
        if not text:
            continue
        builder.add(text, author, int(number) if number else None, raw, native, parent, quotes=quotes,
                    refs=text_refs(text, builder, numbers=number is not None))
    return builder.comments


TYPEPAD_PROBE = "//p[contains(@class, 'comment-footer')]"
_TP_ITEMS = etree.XPath(f"//div[{cls('comment')}][.//p[{cls('comment-footer')}]]")
_TP_FOOTER = etree.XPath(f".//p[{cls('comment-footer')}]")
_TP_BODY = etree.XPath(f".//div[{cls('comment-content')}] | .//div[{cls('comment-body')}]")
_POSTED_BY = re.compile(r"^\s*posted\s+by:?\s*", re.I)
_SEP = re.compile(r"\s+\|\s+")
_PASTED_FOOTER = re.compile(r"^\s*posted by:?\s.+\|.*\d.*\|\s*\d+\s*$", re.I)


def parse_footer(text: str) -> tuple[str | None, str | None, int | None]:
    """``Posted by: NAME | Oct 27 2020 14:46 utc | 12`` to (author, time, number).

    Read from the right, so an author name holding ``|`` stays whole.
    """
    parts = _SEP.split(_POSTED_BY.sub("", norm(text)))
    number = int(parts.pop()) if len(parts) > 1 and parts[-1].isdigit() else None
    raw = parts.pop() if len(parts) > 1 and re.search(r"\d", parts[-1]) else None
    return clean_author(" | ".join(parts)), raw, number


def typepad(tree: Any) -> list[Comment]:
    """Typepad-style ``div.comment``: text, then ``p.comment-footer`` with author, time and number."""
    builder = ThreadBuilder()
    items = _TP_ITEMS(tree)
    inner = set(items)
    for div in items:
        if any(a in inner for a in div.iterancestors("div")):
            continue
        footers = _TP_FOOTER(div)
        author, raw, number = parse_footer(footers[-1].text_content())
        body = _TP_BODY(div)
        drop, quotes = _quotes(body[0] if body else div)
        text = block_text(body[0] if body else div, drop | set(footers))
        if not text:
            continue
        native = div.get("id") or (f"n{number}" if number is not None else None)
        refs = text_refs(text + "\n" + "\n".join(q.text for q in quotes), builder)
        text = "\n".join(line for line in text.split("\n") if not _PASTED_FOOTER.match(line))
        if not text:
            continue
        builder.add(text, author, number, raw, native, quotes=quotes, refs=refs)
    return builder.comments
