"""Comment threads from a page's HTML structure, one small extractor per platform family.

``extract_comments`` first asks one XPath union whether any platform's markup is on
the page at all (a page without comments costs that one probe), then tries the
extractors in :data:`EXTRACTORS` order; the first that finds comments wins.
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
    """A platform family: ``probe`` is an XPath that finds its markup, ``extract`` its comments."""

    name: str
    probe: str
    extract: Callable[[Any], list[Comment]]


EXTRACTORS: dict[str, Extractor] = {e.name: e for e in (
    Extractor("shreddit", html_reddit.SHREDDIT_PROBE, html_reddit.shreddit),
    Extractor("old-reddit", html_reddit.OLD_REDDIT_PROBE, html_reddit.old_reddit),
    Extractor("discourse", html_forums.DISCOURSE_PROBE, html_forums.discourse),
    Extractor("xenforo", html_forums.XENFORO_PROBE, html_forums.xenforo),
    Extractor("vbulletin", html_forums.VBULLETIN_PROBE, html_forums.vbulletin),
    Extractor("phpbb", html_forums.PHPBB_PROBE, html_forums.phpbb),
    Extractor("wordpress", html_blogs.WORDPRESS_PROBE, html_blogs.wordpress),
    Extractor("typepad", html_blogs.TYPEPAD_PROBE, html_blogs.typepad),
    Extractor("microdata", html_schema.MICRODATA_PROBE, html_schema.microdata),
    Extractor("json-ld", html_schema.JSONLD_PROBE, html_schema.json_ld),
)}
_PROBES = {name: etree.XPath(f"boolean({e.probe})") for name, e in EXTRACTORS.items()}
_ANY = etree.XPath("boolean(" + " | ".join(e.probe for e in EXTRACTORS.values()) + ")")


def extract_comments(tree: Any, html: str) -> list[Comment]:
    """The page's comments in page order, with native ids in ``id``/``parent``/``refs``.

    ``tree`` is the page parsed by ``lxml.html``; it is read, never changed. Returns an
    empty list when no known comment markup is present.
    """
    if tree is None or not _ANY(tree):
        return []
    for name, extractor in EXTRACTORS.items():
        if _PROBES[name](tree):
            comments = extractor.extract(tree)
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
    except ValueError:
        return None
    response = data.get("response") if isinstance(data, dict) else None
    if not isinstance(response, dict) or not isinstance(response.get("posts"), list):
        return None
    thread = response.get("thread") if isinstance(response.get("thread"), dict) else {}
    link = thread.get("link") if isinstance(thread.get("link"), str) else None
    return link, disqus_posts(response["posts"])
