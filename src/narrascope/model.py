"""The document model: one typed structure for every page narrascope reads.

Character offsets into the stored text are the source of truth. A :class:`Document`
holds the article body (or a listing's items, whose blocks are also its body, or nothing for a bare thread) and its
comments; an :class:`Annotation` points at ``[start, end)`` of a document body or a
comment text. Ids are derived from content, so the same page gives the same ids on
every run and on every machine.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

Kind = Literal["article", "listing", "thread", "post", "unknown"]
KINDS: tuple[str, ...] = ("article", "listing", "thread", "post", "unknown")
TargetType = Literal["document", "comment"]


def content_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """Return a short stable hash of ``parts`` (``None`` and strings alike)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(b"\x1f" if part is None else b"\x1e" + str(part).encode("utf-8", "surrogatepass"))
    return prefix + h.hexdigest()[:length]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass
class Item:
    """One story on a listing page: a headline and its teaser."""

    title: str
    text: str = ""
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def block(self) -> str:
        """The item as it stands in its listing's body: the headline, then the teaser on the next line."""
        return f"{self.title}\n{self.text}" if self.text else self.title


def listing_body(items: list[Item]) -> str:
    """A listing's body: its items' blocks one after another, a blank line between two items."""
    return "\n\n".join(item.block for item in items)


def item_spans(body: str, items: list[Item]) -> list[tuple[int, int]]:
    """``[start, end)`` of each item's block in ``body``, in item order; ``[]`` when they are not all there.

    Components analyse each span as a text of its own, so that no annotation runs from one story
    into the next.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for item in items:
        start = body.find(item.block, pos)
        if start < 0:
            return []
        pos = start + len(item.block)
        spans.append((start, pos))
    return spans


@dataclass
class Comment:
    """One comment of a thread, in page order.

    ``number`` is the running number the page shows (``None`` when it shows none);
    ``depth`` is 0 for a top-level comment; ``parent`` is the parent comment's id;
    ``refs`` are ids of earlier comments the text refers to (``@NAME``, ``#12``, a
    pasted signature) - reply edges that are not nesting.
    """

    text: str
    author: str | None = None
    number: int | None = None
    posted_raw: str | None = None
    posted: datetime | None = None
    depth: int = 0
    parent: str | None = None
    refs: list[str] = field(default_factory=list)
    id: str = ""
    language: str | None = None
    #: what the platform says beyond the text (a Telegram message's id, reactions, forward, entity offsets)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "author": self.author,
            "posted": _iso(self.posted),
            "posted_raw": self.posted_raw,
            "depth": self.depth,
            "parent": self.parent,
            "text": self.text,
            "refs": list(self.refs),
            "language": self.language,
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Comment:
        return cls(
            id=data.get("id") or "",
            number=data.get("number"),
            author=data.get("author"),
            posted=_from_iso(data.get("posted")),
            posted_raw=data.get("posted_raw"),
            depth=int(data.get("depth") or 0),
            parent=data.get("parent"),
            text=data.get("text") or "",
            refs=list(data.get("refs") or []),
            language=data.get("language"),
            meta=dict(data.get("meta") or {}),
        )


@dataclass
class Annotation:
    """A label on ``[start, end)`` of a document body or a comment text.

    The id hashes what the annotation says, and ``data["level"]`` when there is one: the same span
    can carry the same label at two levels (a narrative of a one-sentence paragraph, or of a
    one-paragraph comment), and each is an annotation of its own.
    """

    target: str
    target_type: TargetType
    start: int
    end: int
    layer: str
    label: str
    score: float | None = None
    producer: str = ""
    producer_version: str = ""
    data: dict[str, Any] | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            level = (self.data or {}).get("level")
            self.id = content_id(
                self.target, self.start, self.end, self.layer, self.label, self.producer,
                self.producer_version, *([level] if level is not None else []), prefix="a",
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotation:
        fields: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__ if k in data}
        return cls(**fields)


@dataclass
class Document:
    """A page as narrascope understands it.

    ``source`` is the input path or URL; ``outlet`` the site it came from. ``published``
    is the parsed UTC time, ``published_raw`` the string the page showed. ``body`` is
    the article text (a listing's item blocks, see :func:`listing_body`; empty for bare threads); offsets of document
    annotations index into it.
    """

    source: str
    body: str = ""
    kind: str = "unknown"
    title: str | None = None
    author: str | None = None
    published_raw: str | None = None
    published: datetime | None = None
    language: str | None = None
    outlet: str | None = None
    #: every language of the body with letters of its own, most first (``language`` is the first): an English
    #: article quoting a Russian sentence is ``["en", "ru"]``; ``[]`` when not told
    languages: list[str] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)
    duplicate_of: str | None = None
    id: str = ""
    #: what the platform says beyond the text (a Telegram post's views, reactions, forward, entity offsets)
    meta: dict[str, Any] = field(default_factory=dict)

    def assign_ids(self) -> Document:
        """Give the document and its comments stable content-derived ids.

        The document id hashes what the page says (kind, title, author, time, body,
        items, comments), not where it was found, so a syndicated copy gets the same id.
        Comment ids are ``<document id>-c<position>``; parents and refs that readers set
        as positions (``"#3"``) or native ids are rewritten to these ids.
        """
        parts: list[object] = [self.kind, self.title, self.author, self.published_raw, self.body]
        for item in self.items:
            parts += ["item", item.title, item.text]
        for c in self.comments:
            parts += ["comment", c.author, c.posted_raw, c.depth, c.parent, c.text]
        self.id = content_id(*parts, prefix="d")
        old = {c.id: i for i, c in enumerate(self.comments) if c.id}
        new = [f"{self.id}-c{i + 1}" for i in range(len(self.comments))]

        def remap(ref: str | None) -> str | None:
            if ref is None:
                return None
            if ref in old:
                return new[old[ref]]
            if ref.startswith("#") and ref[1:].isdigit() and 0 < int(ref[1:]) <= len(new):
                return new[int(ref[1:]) - 1]
            return ref if ref in new else None

        for i, c in enumerate(self.comments):
            c.parent = remap(c.parent)
            c.refs = [r for r in dict.fromkeys(remap(r) for r in c.refs) if r and r != new[i]]
            c.id = new[i]
        return self

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (docs/json-format.md): what ``narrascope parse`` prints."""
        return {
            "id": self.id,
            "source": self.source,
            "outlet": self.outlet,
            "kind": self.kind,
            "title": self.title,
            "author": self.author,
            "published": _iso(self.published),
            "published_raw": self.published_raw,
            "language": self.language,
            "languages": list(self.languages),
            "body": self.body,
            "items": [i.to_dict() for i in self.items],
            "comments": [c.to_dict() for c in self.comments],
            "annotations": [a.to_dict() for a in self.annotations],
            "duplicate_of": self.duplicate_of,
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            id=data.get("id") or "",
            source=data.get("source") or "",
            outlet=data.get("outlet"),
            kind=data.get("kind") or "unknown",
            title=data.get("title"),
            author=data.get("author"),
            published=_from_iso(data.get("published")),
            published_raw=data.get("published_raw"),
            language=data.get("language"),
            languages=list(data.get("languages") or []),
            body=data.get("body") or "",
            items=[Item(**i) for i in data.get("items") or []],
            comments=[Comment.from_dict(c) for c in data.get("comments") or []],
            annotations=[Annotation.from_dict(a) for a in data.get("annotations") or []],
            duplicate_of=data.get("duplicate_of"),
            meta=dict(data.get("meta") or {}),
        )
