"""Comment threads from a page's HTML structure, one small extractor per platform family.

``extract_comments`` first looks for each platform's marker strings in the page source
(or, for a long source, runs one cheap XPath probe per platform), then runs the
extractors whose markup it found, in :data:`EXTRACTORS` order; the first that finds
comments wins.
``disqus_thread`` reads the JSON a Disqus embed page carries (archived in WARCs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from narrascope.model import Comment
from narrascope.threads import html_blogs, html_forums, html_reddit, html_schema


@dataclass(frozen=True)
class Extractor:
    """A platform family and how to spot its markup.

    ``markers`` are strings its markup puts in the page source; ``probe`` is an XPath
    that finds the same markup in the parsed page.
    """

    name: str
    markers: tuple[str, ...]
    probe: str
    extract: Callable[[Any], list[Comment]]


EXTRACTORS: dict[str, Extractor] = {e.name: e for e in (
    Extractor("shreddit", ("<shreddit-comment",), "//shreddit-comment", html_reddit.shreddit),
    Extractor("old-reddit", ("data-fullname",), "//div[@data-fullname]", html_reddit.old_reddit),
    Extractor("discourse", ("crawler-post",), "//div[contains(@class, 'crawler-post')]", html_forums.discourse),
    Extractor("xenforo", ("data-author",), "//*[@data-author]", html_forums.xenforo),
    Extractor("vbulletin", ("postcontainer", "post_message_"),
              "//li[contains(@class, 'postcontainer')] | //div[starts-with(@id, 'post_message_')]",
              html_forums.vbulletin),
    Extractor("phpbb", ('class="author', "class='author", "class=author"), "//p[contains(@class, 'author')]",
              html_forums.phpbb),
    Extractor("wordpress", ('id="comment-', "id='comment-", "li-comment-"),
              "//*[self::li or self::div][starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]",
              html_blogs.wordpress),
    Extractor("typepad", ("comment-footer",), "//p[contains(@class, 'comment-footer')]", html_blogs.typepad),
    Extractor("microdata", ("schema.org/Comment", "DiscussionForumPosting"),
              "//*[contains(@itemtype, 'Comment') or contains(@itemtype, 'DiscussionForumPosting')]",
              html_schema.microdata),
    Extractor("json-ld", ('"Comment"', '"DiscussionForumPosting"'),
              "//script[@type = 'application/ld+json'][contains(., 'Comment') or contains(., 'ForumPosting')]",
              html_schema.json_ld),
)}
_PROBES = {name: etree.XPath(f"boolean({e.probe})") for name, e in EXTRACTORS.items()}
# Substring search costs about 0.5 ms per marker and MB of source, an XPath probe about
# 0.1 ms per thousand elements: long sources (often large inline scripts) are probed.
SOURCE_SEARCH_LIMIT = 200_000


def platforms_on(html: str, tree: Any = None) -> list[str]:
    """Names of the extractors whose markup is on the page, in :data:`EXTRACTORS` order.

    Looks for the markers in the source, or (for a long source, when ``tree`` is given)
    runs the XPath probes; either costs well under a millisecond on a typical page.
    """
    if tree is not None and (not html or len(html) > SOURCE_SEARCH_LIMIT):
        return [name for name in EXTRACTORS if _PROBES[name](tree)]
    return [name for name, e in EXTRACTORS.items() if any(m in html for m in e.markers)]


def extract_comments(tree: Any, html: str) -> list[Comment]:
    """The page's comments in page order, with native ids in ``id``/``parent``/``refs``.

    ``tree`` is ``html`` parsed by ``lxml.html``; it is read, never changed. Returns an
    empty list when no known comment markup is present.
    """
    return find_thread(tree, html)[1]


def find_thread(tree: Any, html: str) -> tuple[str | None, list[Comment]]:
    """:func:`extract_comments` and the name of the extractor that found them (None: no thread)."""
    if tree is None:
        return None, []
    for name in platforms_on(html, tree):
        comments = EXTRACTORS[name].extract(tree)
        if comments:
            return name, comments
    return None, []


_DISQUS_DATA = re.compile(r"<script[^>]*\bid=[\"']disqus-threadData[\"'][^>]*>(.*?)</script>", re.S | re.I)


def disqus_thread(html: str) -> tuple[str | None, list[Comment]] | None:
    """The article URL and comments of a Disqus embed page, or ``None`` without thread data."""
    from narrascope.threads.platform import disqus_posts

    found = _DISQUS_DATA.search(html)
    if not found:
        return None
    try:
        data = json.loads(found.group(1))
    except (ValueError, RecursionError):
        return None
    response = data.get("response") if isinstance(data, dict) else None
    if not isinstance(response, dict) or not isinstance(response.get("posts"), list):
        return None
    thread: dict[str, Any] = response["thread"] if isinstance(response.get("thread"), dict) else {}
    link = thread.get("link") if isinstance(thread.get("link"), str) else None
    return link, disqus_posts(response["posts"])
