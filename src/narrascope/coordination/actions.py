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
class Posts:
    """Posts as columns (a million of them fit in memory as arrays, not as objects)."""

    id: np.ndarray
    document: np.ndarray
    author: np.ndarray
    time: np.ndarray  # float seconds, NaN where unknown
    subject: np.ndarray
    shown: np.ndarray | None = None

    @classmethod
    def of(cls, posts: Iterable[Post]) -> Posts:
        rows = list(posts)

        def column(name: str) -> np.ndarray:
            return np.array([getattr(p, name) for p in rows] or [], dtype=object)

        times = np.array([np.nan if p.time is None else p.time for p in rows], dtype=np.float64)
        return cls(column("id"), column("document"), column("author"), times, column("subject"), column("shown"))

    def __len__(self) -> int:
        return len(self.id)


@dataclass
class Actions:
    """Columns of actions: who (``author``), when (``time``), on what (``key``, an index into ``shown``),
    which post (``post``, a row of ``posts``: its id and its thread or channel)."""

    kind: str
    author: np.ndarray
    time: np.ndarray
    key: np.ndarray
    post: np.ndarray
    posts: Posts
    shown: list[str]
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.key)


def _usable(posts: Posts, notes: list[str]) -> np.ndarray:
    """Rows with an author, a time and a subject."""
    named = np.array([bool(a) and bool(str(a).strip()) for a in posts.author.tolist()], dtype=bool)
    timed = ~np.isnan(posts.time)
    subject = np.array([bool(x) for x in posts.subject.tolist()], dtype=bool)
    if (~named).sum():
        notes.append(f"{int((~named).sum())} posts without an author left out (a network joins named authors)")
    if (named & ~timed).sum():
        notes.append(f"{int((named & ~timed).sum())} posts without a time left out (a co-action is two actions "
                     "within the window)")
    return np.nonzero(named & timed & subject)[0]


def to_actions(kind: str, posts: Posts | Iterable[Post], threshold: float = 0.6, min_words: int = 4,
               band_map: BandMap | None = None) -> Actions:
    """The actions of network ``kind`` among ``posts``; ``threshold`` and ``min_words`` are co-text's
    (Jaccard similarity of word 3-grams, and the fewest words a text needs to be compared)."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a network kind; choose one of {', '.join(KINDS)}")
    posts = posts if isinstance(posts, Posts) else Posts.of(posts)
    notes: list[str] = []
    rows = _usable(posts, notes)
    shown: list[str] = []
    if kind == "co-text":
        groups = near_copy_groups(posts.subject[rows].tolist(), threshold, min_words=min_words, band_map=band_map)
        if (groups < 0).sum():
            notes.append(f"{int((groups < 0).sum())} texts under {min_words} words not compared")
        rows, groups = rows[groups >= 0], groups[groups >= 0]
        labels, first, key = np.unique(groups, return_index=True, return_inverse=True)
        shown = [" ".join(str(t).split())[:300] for t in posts.subject[rows[first]].tolist()]
        return Actions(kind, posts.author[rows], posts.time[rows], key.astype(np.int64), rows, posts, shown, notes)
    if kind in ("co-reply", "co-forward"):  # one action per post: its subject is the key
        names, first, key = np.unique(posts.subject[rows].astype(str), return_index=True, return_inverse=True)
        extra = posts.shown[rows[first]].tolist() if posts.shown is not None else [None] * len(names)
        shown = [str(x or name) for x, name in zip(extra, names.tolist(), strict=True)]
        return Actions(kind, posts.author[rows], posts.time[rows], key.astype(np.int64), rows, posts, shown, notes)
    keys: dict[str, int] = {}
    post_rows: list[int] = []
    key_rows: list[int] = []
    for r, subject in zip(rows.tolist(), posts.subject[rows].tolist(), strict=True):
        for s in [u for u in dict.fromkeys(normalise_url(x) for x in find_urls(subject)) if u]:
            if s not in keys:
                keys[s] = len(shown)
                shown.append(s)
            post_rows.append(r)
            key_rows.append(keys[s])
    taken = np.array(post_rows, dtype=np.int64)
    return Actions(kind, posts.author[taken], posts.time[taken], np.array(key_rows, dtype=np.int64), taken, posts,
                   shown, notes)
