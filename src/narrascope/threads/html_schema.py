"""schema.org comments: JSON-LD ``Comment`` / ``DiscussionForumPosting`` objects and microdata items.

A ``DiscussionForumPosting`` that stands alone is the topic itself, not a comment; its
``comment`` entries are. Nesting in ``comment`` arrays gives depth; ``parentItem`` gives
the parent of a flat list.
"""

from __future__ import annotations

import json
from typing import Any

from lxml import etree

from narrascope.model import Comment
from narrascope.threads.html_common import ThreadBuilder, block_text, clean_author, norm

COMMENT_TYPES = frozenset({"Comment", "Answer", "DiscussionForumPosting", "SocialMediaPosting"})
JSONLD_PROBE = "//script[@type='application/ld+json']"
_LD = etree.XPath(JSONLD_PROBE)
_MAX_NODES = 200_000


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values if v}


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("alternateName")
    return clean_author(value) if isinstance(value, str) else None


def _ref(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url") or value.get("identifier")
    return str(value) if isinstance(value, (str, int)) and value != "" else None


def html_text(value: Any) -> str:
    """Text of a JSON string that may hold HTML markup, one line per paragraph."""
    if not isinstance(value, str):
        return ""
    if "<" not in value:
        return "\n".join(line for line in (norm(p) for p in value.splitlines()) if line)
    import lxml.html

    try:
        return block_text(lxml.html.fragment_fromstring(value, create_parent="div"))
    except (etree.ParserError, ValueError):
        return norm(value)


def json_ld(tree: Any) -> list[Comment]:
    """Comments in ``<script type="application/ld+json">`` blocks."""
    builder = ThreadBuilder()
    for script in _LD(tree):
        source = script.text or ""
        if "Comment" not in source and "DiscussionForumPosting" not in source and "Answer" not in source:
            continue
        try:
            data = json.loads(source)
        except (ValueError, RecursionError):
            continue
        _walk(data, builder)
    return builder.comments


def _walk(data: Any, builder: ThreadBuilder) -> None:
    stack: list[tuple[Any, int, str | None, bool]] = [(data, 0, None, False)]
    seen = 0
    while stack and seen < _MAX_NODES:
        obj, depth, parent, in_comments = stack.pop()
        seen += 1
        if isinstance(obj, list):
            stack.extend((o, depth, parent, in_comments) for o in reversed(obj))
            continue
        if not isinstance(obj, dict):
            continue
        types = _types(obj)
        is_comment = "Comment" in types or bool(types & COMMENT_TYPES and in_comments)
        if not is_comment:
            stack.extend((v, 0, None, k == "comment") for k, v in reversed(list(obj.items()))
                         if isinstance(v, (dict, list)))
            continue
        native = _ref(obj) or f"ld-{len(builder.comments) + 1}"
        up = parent or _ref(obj.get("parentItem"))
        text = html_text(obj.get("text") or obj.get("commentText") or obj.get("articleBody"))
        if text:
            builder.add(text, _name(obj.get("author") or obj.get("creator")), None,
                        _ref(obj.get("dateCreated") or obj.get("datePublished")), native, up,
                        depth if parent else None)
        children = obj.get("comment")
        if isinstance(children, (list, dict)):
            stack.append((children, depth + 1, native, True))


MICRODATA_PROBE = "//*[contains(@itemtype, 'Comment') or contains(@itemtype, 'DiscussionForumPosting')]"
_MD_ITEMS = etree.XPath("//*[@itemscope][contains(@itemtype, 'schema.org/Comment') or "
                        "contains(@itemtype, 'schema.org/DiscussionForumPosting') or "
                        "contains(@itemtype, 'schema.org/Answer')]")


def _props(item: Any) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for el in item.xpath(".//*[@itemprop]"):
        if el.xpath("ancestor::*[@itemscope][1]")[0] is item:
            for name in (el.get("itemprop") or "").split():
                props.setdefault(name, el)
    return props


def _prop(props: dict[str, Any], *names: str) -> Any:
    return next((props[n] for n in names if n in props), None)


def _value(el: Any) -> str | None:
    if el is None:
        return None
    for attr in ("content", "datetime"):
        if el.get(attr):
            return el.get(attr)
    return norm(el.text_content()) or None


def microdata(tree: Any) -> list[Comment]:
    """Microdata items typed ``Comment`` (or several ``DiscussionForumPosting``s) with author, date and text."""
    items = _MD_ITEMS(tree)
    if len(items) == 1 and "Comment" not in items[0].get("itemtype", ""):
        return []
    inside = set(items)
    native_of: dict[Any, str] = {}
    builder = ThreadBuilder()
    for n, item in enumerate(items, 1):
        native = item.get("itemid") or item.get("id") or f"md-{n}"
        native_of[item] = native
        up = next((a for a in item.iterancestors() if a in inside), None)
        props = _props(item)
        author = _prop(props, "author", "creator")
        if author is not None and author.get("itemscope") is not None:
            author = next(iter(author.xpath(".//*[@itemprop='name']")), author)
        body = _prop(props, "text", "commentText", "articleBody")
        text = block_text(body, inside) if body is not None else ""
        if text:
            builder.add(text, clean_author(_value(author)), None,
                        _value(_prop(props, "dateCreated", "datePublished")), native,
                        native_of.get(up) if up is not None else None)
    return builder.comments
