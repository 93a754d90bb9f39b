"""Platform exports in JSON: Reddit listings, Discourse topics and Disqus threads.

Each parser returns a Document whose comments carry the platform's native ids
(``t1_abc``, ``post-7``, the Disqus post id) in ``id``/``parent``/``refs``;
``Document.assign_ids`` rewrites them later.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from narrascope.dates import parse_time
from narrascope.model import Comment, Document
from narrascope.threads.html_common import Quote, ThreadBuilder, norm
from narrascope.threads.html_schema import html_text

_MAX_NODES = 500_000


def parse_platform_json(obj: Any, source: str, notes: list[str] | None = None) -> Document | None:
    """A Reddit, Discourse or Disqus JSON export to a Document; ``None`` for any other JSON.

    Replies that loop back (``a`` answers ``b``, ``b`` answers ``a``; a post answering itself) keep
    every comment: the first comment of each cycle becomes top-level, and ``notes`` is told.
    """
    if _is_reddit(obj):
        return reddit(obj, source, notes)
    if isinstance(obj, dict) and isinstance(obj.get("post_stream"), dict):
        return discourse(obj, source)
    if isinstance(obj, dict):
        response = obj.get("response")
        posts = response.get("posts") if isinstance(response, dict) else response
        if isinstance(posts, list) and (posts or isinstance(response, dict)) and all(
                isinstance(p, dict) and ("raw_message" in p or "message" in p) for p in posts[:5]):
            thread = response.get("thread") if isinstance(response, dict) else None
            link = thread.get("link") if isinstance(thread, dict) else None
            doc = Document(source=link or source, kind="thread", comments=disqus_posts(posts, notes))
            doc.title = thread.get("clean_title") or thread.get("title") if isinstance(thread, dict) else None
            doc.outlet = _host(link)
            return doc
    return None


def _host(url: Any) -> str | None:
    from narrascope.readers.html import outlet_of

    return outlet_of(url) if isinstance(url, str) else None


def _epoch(value: Any) -> tuple[str | None, datetime | None]:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None, None
    when = datetime.fromtimestamp(value, tz=UTC)
    return when.isoformat().replace("+00:00", "Z"), when


def _is_reddit(obj: Any) -> bool:
    listings = obj if isinstance(obj, list) else [obj]
    return bool(listings) and all(isinstance(x, dict) and x.get("kind") == "Listing" for x in listings)


def _markdown_text(body: str) -> tuple[str, list[Quote]]:
    """Reddit markdown: ``>`` quote lines are left out of the text and returned as quotes."""
    lines: list[str] = []
    quoted: list[str] = []
    for line in htmllib.unescape(body).splitlines():
        (quoted if line.lstrip().startswith(">") else lines).append(line.lstrip().lstrip(">"))
    text = "\n".join(line for line in (norm(x) for x in lines) if line)
    return text, [Quote(text=norm(" ".join(quoted)))] if quoted else []


def reddit(obj: Any, source: str, notes: list[str] | None = None) -> Document:
    """``[submission Listing, comments Listing]`` (or one Listing) from Reddit's ``.json`` pages."""
    listings = obj if isinstance(obj, list) else [obj]
    doc = Document(source=source, outlet="reddit.com", kind="thread")
    builder = ThreadBuilder()
    stack: list[Any] = [c for x in reversed(listings) for c in reversed(_children(x))]
    seen = 0
    while stack and seen < _MAX_NODES:
        seen += 1
        node = stack.pop()
        data: dict[str, Any] = node["data"] if isinstance(node.get("data"), dict) else {}
        if node.get("kind") == "t3" and doc.title is None:
            doc.title = data.get("title") or None
            doc.author = data.get("author") if data.get("author") not in (None, "[deleted]") else None
            doc.published_raw, doc.published = _epoch(data.get("created_utc"))
            body = data.get("selftext") or ""
            doc.body = "" if body in ("[deleted]", "[removed]") else _markdown_text(body)[0]
            if isinstance(data.get("permalink"), str):
                doc.source = "https://www.reddit.com" + data["permalink"]
        elif node.get("kind") == "t1":
            text, quotes = _markdown_text(str(data.get("body") or ""))
            parent = data.get("parent_id") if str(data.get("parent_id", "")).startswith("t1_") else None
            raw, when = _epoch(data.get("created_utc"))
            depth = data.get("depth") if isinstance(data.get("depth"), int) else None
            author = data.get("author") if data.get("author") not in (None, "[deleted]") else None
            comment = builder.add(text, author, None, raw, data.get("name") or None, parent, depth, quotes=quotes)
            comment.posted = when
            replies = data.get("replies")
            stack.extend(reversed(_children(replies)))
    by_id: dict[str, Comment] = {}
    for c in builder.comments:
        by_id.setdefault(c.id, c)
    for cycle in reply_cycles({key: c.parent for key, c in by_id.items()}, notes):
        for depth, key in enumerate(cycle):  # the head first, then its replies down the loop
            by_id[key].depth = depth
        by_id[cycle[0]].parent = None
    doc.comments = builder.comments
    doc.kind = "article" if doc.body.strip() else "thread"
    return doc


def reply_cycles(parent_of: dict[str, str | None], notes: list[str] | None = None) -> list[list[str]]:
    """The reply cycles among comments (ids in page order, each mapped to its parent's id).

    Each cycle is returned head first and then down the loop (each one answers the one before);
    the head, the cycle's first comment in page order, is the one to make top-level. ``notes``
    gets one line naming the cycles.
    """
    position = {key: n for n, key in enumerate(parent_of)}
    state: dict[str, int] = {}  # 1: on the chain being followed, 2: settled
    cycles: list[list[str]] = []
    for start in parent_of:
        chain: list[str] = []
        key: str | None = start
        while key is not None and key in parent_of and state.get(key) is None:
            state[key] = 1
            chain.append(key)
            key = parent_of[key]
        if key is not None and state.get(key) == 1:  # the chain came back to itself
            loop = chain[chain.index(key):]  # each one a reply to the next
            head = min(loop, key=position.__getitem__)
            at = loop.index(head)
            cycles.append([loop[(at - j) % len(loop)] for j in range(len(loop))])
        for k in chain:
            state[k] = 2
    if cycles and notes is not None:
        shown = "; ".join(" answers ".join([c[0], *reversed(c[1:]), c[0]]) for c in cycles[:5])
        more = f"; and {len(cycles) - 5} more" if len(cycles) > 5 else ""
        notes.append(f"{len(cycles)} reply cycle(s) ({shown}{more}): every comment is kept, the first of each "
                     "cycle as a top-level comment")
    return cycles


def _children(listing: Any) -> list[Any]:
    data = listing.get("data") if isinstance(listing, dict) else None
    children = data.get("children") if isinstance(data, dict) else None
    return [c for c in children if isinstance(c, dict)] if isinstance(children, list) else []


_BBQUOTE = re.compile(r"\[quote=\"?([^\]\"]*)\"?\](.*?)\[/quote\]", re.S | re.I)


def _discourse_text(post: dict[str, Any]) -> tuple[str, list[Quote]]:
    cooked = post.get("cooked")
    if isinstance(cooked, str) and cooked.strip():
        import lxml.html

        from narrascope.threads.html_common import block_text, outermost, quote_info

        try:
            root = lxml.html.fragment_fromstring(cooked, create_parent="div")
        except (etree.ParserError, ValueError):
            return norm(cooked), []
        found = outermost(root.xpath(".//aside[contains(@class, 'quote')]"))
        return block_text(root, set(found)), [quote_info(q, "post-") for q in found]
    raw = str(post.get("raw") or "")
    quotes = []
    for match in _BBQUOTE.finditer(raw):
        attrs = [a.strip() for a in match.group(1).split(",")]
        number = next((a.split(":", 1)[1] for a in attrs if a.startswith("post:")), None)
        quotes.append(Quote(native=f"post-{number.strip()}" if number else None, author=attrs[0] or None,
                            text=norm(match.group(2))))
    return html_text(_BBQUOTE.sub("", raw)), quotes


def discourse(obj: dict[str, Any], source: str) -> Document:
    """A Discourse topic (``/t/slug/id.json``): post 1 is the body, later posts the comments."""
    posts = [p for p in obj["post_stream"].get("posts") or [] if isinstance(p, dict)]
    doc = Document(source=source, title=obj.get("title") or obj.get("fancy_title") or None,
                   outlet=_host(source), kind="thread")
    builder = ThreadBuilder()
    for post in posts:
        number = post.get("post_number") if isinstance(post.get("post_number"), int) else None
        text, quotes = _discourse_text(post)
        author = post.get("username") or post.get("name") or None
        if number == 1 and not doc.body:
            doc.body, doc.author = text, author
            doc.published_raw, doc.published = post.get("created_at"), parse_time(post.get("created_at"))
            continue
        reply_to = post.get("reply_to_post_number")
        parent = f"post-{reply_to}" if isinstance(reply_to, int) and reply_to != 1 else None
        builder.add(text, author, number, post.get("created_at"), f"post-{number}" if number else None, parent,
                    quotes=quotes)
    doc.comments = builder.comments
    doc.kind = "article" if doc.body.strip() else "thread"
    return doc


def disqus_posts(posts: list[Any], notes: list[str] | None = None) -> list[Comment]:
    """Disqus posts (``id``, ``parent``, ``author.name``, ``createdAt``, ``raw_message``) in thread order.

    Replies follow their parent, as the embed shows them; deleted posts without text are dropped.
    The first post of a reply cycle (see :func:`reply_cycles`) is shown as a top-level post.
    """
    posts = [p for p in posts if isinstance(p, dict) and p.get("id") is not None]
    ids = {str(p["id"]) for p in posts}
    parent_of: dict[str, str | None] = {}
    for post in posts:
        parent_of.setdefault(str(post["id"]), str(post["parent"]) if post.get("parent") is not None else None)
    heads = {cycle[0] for cycle in reply_cycles(parent_of, notes)}
    replies: dict[str | None, list[dict[str, Any]]] = {}
    for post in posts:
        parent = str(post["parent"]) if post.get("parent") is not None and str(post["parent"]) in ids else None
        replies.setdefault(None if str(post["id"]) in heads else parent, []).append(post)
    builder = ThreadBuilder()
    stack: list[tuple[dict[str, Any], str | None]] = [(p, None) for p in reversed(replies.get(None, []))]
    done: set[str] = set()
    while stack:
        post, parent = stack.pop()
        native = str(post["id"])
        if native in done:
            continue
        done.add(native)
        raw_message = post.get("raw_message")
        text = (_markdown_text(raw_message)[0] if isinstance(raw_message, str) else "") or html_text(
            post.get("message"))
        author: dict[str, Any] = post["author"] if isinstance(post.get("author"), dict) else {}
        name = author.get("name") or author.get("username") or None
        if text:
            builder.add(text, name, None, post.get("createdAt"), native, parent)
        stack.extend((child, native if text else parent) for child in reversed(replies.get(native, [])))
    return builder.comments
