"""What authors did, as a coordination network counts it: one row per action on a shared thing.

A *post* is anything an author wrote at a time (a comment, a channel post). Each network kind
turns posts into *actions* with a key that says what was shared:

- ``co-text``: the group of near-identical texts the post belongs to (:mod:`.near_copies`);
- ``co-link``: a normalised link written in the post (one action per distinct link);
- ``co-reply``: the comment the post answers;
- ``co-forward``: the original message the post forwards.

Posts without an author or a time cannot be part of a co-action; they are counted in the notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from narrascope.coordination.near_copies import BandMap, near_copy_groups
from narrascope.coordination.urls import find_urls, normalise_url

KINDS = ("co-text", "co-link", "co-reply", "co-forward")


@dataclass(slots=True)
class Post:
    """One thing an author did. ``subject`` is the text (co-text, co-link), the answered comment's id
    (co-reply) or the forwarded original's key (co-forward); ``shown`` is what evidence prints for it."""

    id: str
    document: str
    author: str | None
    time: float | None  # seconds since the epoch, UTC
    subject: str | None
    shown: str = ""


@dataclass
class Actions:
    """Columns of actions: who (``author``), when (``time``), on what (``key``, an index into ``shown``),
    which post (``ref``) in which thread or channel (``document``)."""

    kind: str
    author: np.ndarray
    time: np.ndarray
    key: np.ndarray
    ref: np.ndarray
    document: np.ndarray
    shown: list[str]
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.key)


def _usable(posts: Iterable[Post], notes: list[str]) -> list[Post]:
    kept, nameless, timeless = [], 0, 0
    for p in posts:
        if not (p.author or "").strip():
            nameless += 1
        elif p.time is None or p.time != p.time:
            timeless += 1
        elif p.subject:
            kept.append(p)
    if nameless:
        notes.append(f"{nameless} posts without an author left out (a network joins named authors)")
    if timeless:
        notes.append(f"{timeless} posts without a time left out (a co-action is two actions within the window)")
    return kept


def _columns(kind: str, rows: list[tuple[Post, int]], shown: list[str], notes: list[str]) -> Actions:
    return Actions(kind, np.array([p.author for p, _ in rows], dtype=object),
                   np.array([p.time for p, _ in rows], dtype=np.float64),
                   np.array([k for _, k in rows], dtype=np.int64),
                   np.array([p.id for p, _ in rows], dtype=object),
                   np.array([p.document for p, _ in rows], dtype=object), shown, notes)


def to_actions(kind: str, posts: Iterable[Post], threshold: float = 0.6, min_words: int = 4,
               band_map: BandMap | None = None) -> Actions:
    """The actions of network ``kind`` among ``posts``; ``threshold`` and ``min_words`` are co-text's
    (Jaccard similarity of word 3-grams, and the fewest words a text needs to be compared)."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a network kind; choose one of {', '.join(KINDS)}")
    notes: list[str] = []
    kept = _usable(posts, notes)
    rows: list[tuple[Post, int]] = []
    shown: list[str] = []
    if kind == "co-text":
        groups = near_copy_groups([p.subject or "" for p in kept], threshold, min_words=min_words, band_map=band_map)
        number: dict[int, int] = {}
        for p, g in zip(kept, groups.tolist(), strict=True):
            if g >= 0:
                if g not in number:
                    number[g] = len(shown)
                    shown.append(" ".join((p.subject or "").split())[:300])
                rows.append((p, number[g]))
        short = int((groups < 0).sum())
        if short:
            notes.append(f"{short} texts under {min_words} words not compared")
        return _columns(kind, rows, shown, notes)
    keys: dict[str, int] = {}
    for p in kept:
        subjects = ([u for u in dict.fromkeys(normalise_url(x) for x in find_urls(p.subject or "")) if u]
                    if kind == "co-link" else [p.subject or ""])
        for s in subjects:
            if s not in keys:
                keys[s] = len(shown)
                shown.append(s if kind == "co-link" else (p.shown or s))
            rows.append((p, keys[s]))
    return _columns(kind, rows, shown, notes)


def describe(actions: Actions) -> dict[str, Any]:
    """How many actions, authors and shared things the network was built from."""
    return {"actions": len(actions), "authors": len(set(actions.author.tolist())),
            "things": len(set(actions.key.tolist()))}
