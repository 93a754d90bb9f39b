"""Comment threads from a page's HTML structure, one small extractor per platform family.

``extract_comments`` first looks for each platform's marker strings in the page source
(a page without comment markup costs a few substring searches), then runs the
extractors whose markers it found, in :data:`EXTRACTORS` order; the first that finds
comments wins.
``disqus_thread`` reads the JSON a Disqus embed page carries (archived in WARCs).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from narrascope.model import Comment
from narrascope.threads import html_blogs, html_forums, html_reddit, html_schema


@dataclass(frozen=True)
class Extractor:
    """A platform family: ``markers`` are strings its markup always puts in the page source."""

    name: str
    markers: tuple[str, ...]
    extract: Callable[[Any], list[Comment]]


EXTRACTORS: dict[str, Extractor] = {e.name: e for e in (
    Extractor("shreddit", ("<shreddit-comment",), html_reddit.shreddit),
    Extractor("old-reddit", ("data-fullname",), html_reddit.old_reddit),
    Extractor("discourse", ("crawler-post",), html_forums.discourse),
    Extractor("xenforo", ("data-author",), html_forums.xenforo),
    Extractor("vbulletin", ("postcontainer", "post_message_"), html_forums.vbulletin),
    Extractor("phpbb", ('class="author', "class='author", "class=author"), html_forums.phpbb),
    Extractor("wordpress", ('id="comment-', "id='comment-", "li-comment-"), html_blogs.wordpress),
    Extractor("typepad", ("comment-footer",), html_blogs.typepad),
    Extractor("microdata", ("schema.org/Comment", "DiscussionForumPosting"), html_schema.microdata),
    Extractor("json-ld", ('"Comment"', '"DiscussionForumPosting"'), html_schema.json_ld),
)}


def platforms_on(html: str) -> list[str]:
    """Names of the extractors whose markers are in the page source, in :data:`EXTRACTORS` order.

    Substring tests on the source cost microseconds; a page without any marker costs
    nothing more.
    """
    return [name for name, e in EXTRACTORS.items() if any(m in html for m in e.markers)]


def extract_comments(tree: Any, html: str) -> list[Comment]:
    """The page's comments in page order, with native ids in ``id``/``parent``/``refs``.

    ``tree`` is ``html`` parsed by ``lxml.html``; it is read, never changed. Returns an
    empty list when no known comment markup is present. Without ``html`` every
    extractor is tried.
    """
    if tree is None:
        return []
    for name in platforms_on(html) if html else list(EXTRACTORS):
        comments = EXTRACTORS[name].extract(tree)
        if comments:
            return comments
    return []


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
