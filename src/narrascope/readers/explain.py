"""``narrascope parse --explain``: how a page was read, so that a wrong split can be reported with its evidence.

For each input: the reader that claimed it and, for plain text, which thread grammar matched
and what every line range became (furniture, title, byline or date, article, listing items,
each comment's header and text); for HTML, the extractor that found the thread and each
comment's author, time and parent.
"""

from __future__ import annotations

from typing import Any

from narrascope import registry
from narrascope.errors import ReadError
from narrascope.model import Document
from narrascope.readers import MAX_BYTES, Input, choose_reader, decompress
from narrascope.readers.decode import decode
from narrascope.readers.html import parse_html
from narrascope.threads.html import find_thread, platforms_on
from narrascope.threads.text import TextParse, read_text_page
from narrascope.threads.text_article import byline
from narrascope.threads.text_dates import date_line


def explain_input(inp: Input, reader: str | None = None, max_bytes: int | None = None) -> list[str]:
    """The explanation of one input, as lines of text (raises ReadError as ``read_input`` does)."""
    data = inp.read()
    if not data.strip():
        raise ReadError(inp.source, "empty input")
    data = decompress(data, inp.source, max_bytes or MAX_BYTES)
    chosen = registry.readers.get(reader)() if reader else choose_reader(data, inp.source)
    head = [f"== {inp.source}", f"reader: {chosen.name}" + ("" if reader else " (sniffed)")]
    if chosen.name == "text":
        return head + explain_text(read_text_page(decode(data), inp.source))
    if chosen.name == "html":
        return head + explain_html(decode(data), inp.source)
    docs = chosen.read(data, inp.source)
    return head + [f"{len(docs)} documents: " + ", ".join(f"{d.kind} {d.title or ''}".strip() for d in docs[:20])]


def _comment(doc: Document, k: int) -> str:
    c = doc.comments[k]
    ids = {other.id: n for n, other in enumerate(doc.comments, start=1) if other.id}
    if c.parent and c.parent.startswith("#"):
        parent = f", reply to comment {c.parent[1:]}"
    else:
        parent = f", reply to comment {ids[c.parent]}" if c.parent in ids else ""
    return f"comment {k + 1}: {c.author or 'no name'}, {c.posted_raw or 'no time'}, depth {c.depth}{parent}"


def line_labels(parse: TextParse) -> list[str | None]:
    """What each line of the page became (None for a blank line)."""
    text, doc = parse.lines.text, parse.document
    labels: list[str | None] = [None] * len(text)
    for k, raw in enumerate(parse.raws):
        pos = parse.kept[k] if k < len(parse.kept) else None
        if pos is None:
            name = f"header of a comment without text ({raw.header.author or 'no name'}), dropped"
            labels[raw.line:raw.line + max(1, raw.header.size)] = [name] * max(1, raw.header.size)
            continue
        size = max(1, raw.header.size)
        labels[raw.line:raw.line + size] = [f"{_comment(doc, pos)} - header"] * size
        for j in raw.lines:
            if j >= 0:
                labels[j] = f"comment {pos + 1} - text"
    body = set(doc.body.split("\n")) if doc.body else set()
    items: dict[str, str] = {}
    for n, item in enumerate(doc.items, start=1):
        items.setdefault(item.title, f"item {n} - headline")
        for line in item.text.split("\n"):
            items.setdefault(line, f"item {n} - teaser")
    title_seen = False
    for j, s in enumerate(text):
        if not s or labels[j] is not None:
            continue
        if j >= parse.start and parse.raws:
            labels[j] = f"furniture in the thread ({parse.grammar.name if parse.grammar else 'no grammar'})"
        elif not title_seen and doc.title and s.lstrip("# ") == doc.title:
            labels[j], title_seen = "title", True
        elif s in items:
            labels[j] = items[s]
        elif s in body:
            labels[j] = "article"
        elif byline(s) or date_line(s):
            labels[j] = "byline or date (metadata)"
        else:
            labels[j] = "furniture"
    return labels


def explain_text(parse: TextParse) -> list[str]:
    """Which grammar matched, then the page as ranges of lines with what each became."""
    doc = parse.document
    grammar = (f"thread grammar: {parse.grammar.name}, {len(doc.comments)} comments from line {parse.start + 1}"
               if parse.grammar else "thread grammar: none matched (no comments)")
    out = [grammar, f"kind: {doc.kind}; title: {doc.title!r}; author: {doc.author!r}; "
                    f"published: {doc.published_raw!r}; items: {len(doc.items)}"]
    labels = line_labels(parse)
    start, current = 0, None
    last = 0
    for j, label in enumerate(labels + ["<end>"]):
        if label is None:
            continue
        if label != current:
            if current is not None:
                out.append(_range(start, last, current))
            start, current = j, label
        last = j
    return out


def _range(a: int, b: int, label: str) -> str:
    where = f"line {a + 1}" if a == b else f"lines {a + 1}-{b + 1}"
    return f"  {where:<14} {label}"


def explain_html(html: str, source: str) -> list[str]:
    """The HTML extractor that found the thread, and the document's parts."""
    from trafilatura.utils import load_html  # heavy: imported when an HTML page is explained

    tree = load_html(html)
    platform, _ = find_thread(tree, html) if tree is not None else (None, [])
    doc = parse_html(html, source).assign_ids()
    marked = platforms_on(html, tree) if tree is not None else []
    out = [f"thread grammar: {platform} (HTML markup), {len(doc.comments)} comments" if platform else
           "thread grammar: none matched" + (f" (markup of {', '.join(marked)} present, no comment in it)"
                                             if marked else ""),
           f"kind: {doc.kind}; title: {doc.title!r}; author: {doc.author!r}; published: {doc.published_raw!r}",
           f"  article        {len(doc.body)} characters, {len(doc.body.splitlines())} lines (trafilatura)"]
    out += [f"  {_comment(doc, k)}" for k in range(len(doc.comments))]
    return out


def explain(inputs: list[Input], reader: str | None = None, **options: Any) -> list[str]:
    """:func:`explain_input` for each input; an input that cannot be read says why and the rest go on."""
    out: list[str] = []
    for inp in inputs:
        try:
            out += explain_input(inp, reader, options.get("max_bytes"))
        except ReadError as exc:
            out += [f"== {inp.source}", f"not read: {exc}"]
    return out
