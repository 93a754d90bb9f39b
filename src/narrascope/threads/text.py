"""Plain-text pages (text an earlier tool extracted from a web page): article, listing or thread.

:func:`parse_text_page` picks the comment rendering with most signature lines
(:mod:`text_formats`, :mod:`text_blogs`, :mod:`text_forums`), cuts the thread into
comments, reads title, byline, date and body (or listing items) from the lines before
it (:mod:`text_article`) and finds in-text reply edges (:mod:`refs`).

Choices worth knowing:

- ``body`` keeps whole input lines only (furniture lines dropped, paragraphs joined by a
  blank line), so every body line occurs in the input; a listing's stories are in ``items``
  and its ``body`` is their blocks (:func:`narrascope.model.listing_body`); a forum page
  (phpBB, vBulletin, Discourse) has an empty body and its first post is the first comment.
- a comment's ``text`` is its stripped content lines (controls such as ``Reply`` dropped);
  a pasted earlier header or footer stays in the text and becomes a ref.
- ``parent`` and ``refs`` are position strings (``"#3"``) until ``Document.assign_ids``.
"""

from __future__ import annotations

from dataclasses import dataclass

from narrascope.model import Comment, Document
from narrascope.threads import text_blogs, text_forums, text_listed  # noqa: F401 - they register the formats
from narrascope.threads.refs import find_refs
from narrascope.threads.text_article import parse_article
from narrascope.threads.text_dates import posted_time
from narrascope.threads.text_formats import Lines, RawComment, TextFormat, choose_format, join


@dataclass
class TextParse:
    """What :func:`read_text_page` decided: the lines, the thread grammar that matched (None: no
    thread), where the thread starts, the comments as cut (``kept[k]``: the position in
    ``document.comments`` of cut comment k, None when it held no text) and the document."""

    lines: Lines
    grammar: TextFormat | None
    start: int
    raws: list[RawComment]
    kept: list[int | None]
    document: Document


def parse_text_page(text: str, source: str) -> Document:
    """Parse extracted page text into a Document with kind, metadata, body and comments."""
    return read_text_page(text, source).document


def read_text_page(text: str, source: str) -> TextParse:
    """:func:`parse_text_page`, keeping how the page was cut (for ``narrascope parse --explain``)."""
    lines = Lines.split(text)
    fmt = choose_format(lines)
    start, raws = fmt.parse(lines) if fmt is not None else (len(lines), [])
    comments, pasted, kept = to_comments(lines, raws)
    if not comments:
        start = len(lines)
    art = parse_article(lines, start, thread_only=bool(comments and fmt and fmt.thread_only),
                        may_list=not comments)
    if art.author is None and art.published_raw is None and fmt is not None:
        art.author, art.published_raw = fmt.page_meta(lines) or (None, None)
    find_refs(comments, pasted, positional=bool(fmt and fmt.positional))
    doc = Document(
        source=source, body=art.body, title=art.title, author=art.author,
        published_raw=art.published_raw, published=posted_time(art.published_raw),
        items=art.items, comments=comments,
    )
    if art.items:
        doc.kind = "listing"
    elif art.body:
        doc.kind = "article"
    elif comments:
        doc.kind = "thread"
    else:
        doc.kind = "unknown"
    return TextParse(lines, fmt if comments else None, start, raws if comments else [], kept, doc)


def detect_format(text: str) -> TextFormat | None:
    """The comment rendering :func:`parse_text_page` would use for ``text`` (None: no thread)."""
    return choose_format(Lines.split(text))


def to_comments(lines: Lines, raws: list[RawComment]) -> tuple[list[Comment], list[list[tuple]], list[int | None]]:
    """Comments with position parents (``"#N"``); comments left without text are dropped
    and their replies hang on the nearest kept ancestor. Also each comment's pasted signatures,
    and where each cut comment went (None: dropped)."""
    new_pos: list[int | None] = []
    comments: list[Comment] = []
    pasted: list[list[tuple]] = []
    for raw in raws:
        body = join(lines.text, raw.lines)
        if raw.header.inline:
            body = raw.header.inline + ("\n" + body if body else "")
        if not body:
            new_pos.append(None)
            continue
        parent = raw.parent
        while parent is not None and new_pos[parent] is None:
            parent = raws[parent].parent
        # depth follows the kept tree, so a reply under a dropped comment moves up with it
        depth = comments[new_pos[parent]].depth + 1 if parent is not None else 0  # type: ignore[index]
        h = raw.header
        comments.append(Comment(
            text=body, author=h.author, number=h.number, posted_raw=h.posted_raw,
            posted=posted_time(h.posted_raw), depth=depth,
            parent=f"#{new_pos[parent] + 1}" if parent is not None else None,  # type: ignore[operator]
        ))
        pasted.append([(p.author, p.number, p.posted_raw) for p in raw.pasted])
        new_pos.append(len(comments) - 1)
    return comments, pasted, new_pos
