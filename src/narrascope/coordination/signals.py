"""Coordination signals over stored comments, each with the evidence that raised it.

- ``near_duplicate``: near-identical comments (MinHash LSH over word shingles, Jaccard >=
  ``threshold``; exact copies of short texts too) under different names or on different pages;
- ``repeated_by_author``: one author posting the same text again and again;
- ``burst``: many comments in a short window compared with the thread's own pace;
- ``co_appearing_authors``: two authors who comment in the same threads again and again.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations
from typing import Any

from narrascope.model import content_id

_SPACE = re.compile(r"\W+")
#: what each kind of signal means and what its score measures (the glossary shows these)
SIGNAL_KINDS = {
    "near_duplicate": "Near-identical comments (Jaccard of word shingles at or above the threshold) posted under "
                      "several names, or anonymously on several pages. Score: how many comments.",
    "repeated_by_author": "One author posting the same text again and again. Score: how many times.",
    "burst": "More comments in a short window than the thread's own average pace predicts. Score: how many times "
             "the expected count the window holds.",
    "co_appearing_authors": "Two authors who comment in the same threads again and again, and rarely apart. "
                            "Score: shared threads times their Jaccard overlap.",
}


@dataclass
class Signal:
    """One coordination signal: its kind, strength, a one-line summary and the evidence."""

    kind: str
    score: float
    summary: str
    comment_ids: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        network = [self.evidence["network"]] if "network" in self.evidence else []  # one group, two networks
        return content_id(self.kind, *network, *sorted(self.comment_ids), *sorted(self.authors), prefix="s")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "score": self.score, "summary": self.summary,
                "comment_ids": self.comment_ids, "authors": self.authors, "document_ids": self.document_ids,
                "evidence": self.evidence}


@dataclass
class CommentRow:
    """What the detectors need of a comment."""

    id: str
    document_id: str
    author: str | None
    posted: datetime | None
    text: str


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text.lower()).strip()


def _groups(comments: list[CommentRow], threshold: float, min_words: int, min_chars: int) -> list[list[CommentRow]]:
    """Clusters of near-identical comments (union of LSH hits and exact normalised copies)."""
    from narrascope.dedup import NearDuplicates

    parent = list(range(len(comments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    # LSH cannot band for thresholds near 1: query looser, then keep hits at ``threshold``
    index = NearDuplicates(threshold=min(threshold, 0.9), num_perm=64, min_words=min_words)
    exact: dict[str, int] = {}
    for i, c in enumerate(comments):
        key = normalise(c.text)
        if len(key) >= min_chars:
            if key in exact:
                union(i, exact[key])
            else:
                exact[key] = i
        sig = index.signature(c.text)
        hit = index.query(sig)
        if hit and hit[1] >= threshold:
            union(i, int(hit[0]))
        index.add(str(i), sig)
    clusters: dict[int, list[CommentRow]] = defaultdict(list)
    for i, c in enumerate(comments):
        clusters[find(i)].append(c)
    return [g for g in clusters.values() if len(g) > 1]


def near_duplicates(comments: list[CommentRow], threshold: float = 0.8, min_words: int = 5,
                    min_chars: int = 30) -> list[Signal]:
    """``near_duplicate`` (several names, or anonymous on several pages) and ``repeated_by_author`` signals.

    One named author repeating a text (on one page or many) is ``repeated_by_author`` only.
    """
    out = []
    for group in _groups(comments, threshold, min_words, min_chars):
        authors = sorted({c.author for c in group if c.author})
        docs = sorted({c.document_id for c in group})
        sample = group[0].text[:200]
        names = {c.author for c in group}
        if len(names) > 1 or (names == {None} and len(docs) > 1):
            out.append(Signal("near_duplicate", float(len(group)),
                              f"{len(group)} near-identical comments by {len(authors)} names on {len(docs)} pages",
                              [c.id for c in group], authors, docs,
                              {"text": sample, "threshold": threshold,
                               "by_author": dict(Counter(c.author or "" for c in group))}))
        for author, n in Counter(c.author for c in group if c.author).items():
            if n > 1:
                mine = [c for c in group if c.author == author]
                # the author's own words; the group's ids let a reader mask them when a near copy was flagged
                out.append(Signal("repeated_by_author", float(n), f"{author} posted the same text {n} times",
                                  [c.id for c in mine], [author], sorted({c.document_id for c in mine}),
                                  {"text": mine[0].text[:200],
                                   "near_copies": [c.id for c in group if c.author != author]}))
    return out


def bursts(comments: list[CommentRow], window_share: float = 0.05, min_window_seconds: float = 60.0,
           factor: float = 4.0, min_comments: int = 5, min_thread: int = 10) -> list[Signal]:
    """``burst``: a window of ``window_share`` of a thread's time span holding ``factor`` times
    the comments the thread's average pace predicts (and at least ``min_comments``)."""
    out = []
    by_doc: dict[str, list[CommentRow]] = defaultdict(list)
    for c in comments:
        if c.posted is not None:
            by_doc[c.document_id].append(c)
    for doc_id, rows in by_doc.items():
        if len(rows) < min_thread:
            continue
        rows.sort(key=lambda c: (c.posted, c.id))
        times = [c.posted.timestamp() for c in rows]  # type: ignore[union-attr]
        span = times[-1] - times[0]
        if span <= 0:
            continue
        width = max(min_window_seconds, span * window_share)
        expected = len(rows) * width / span
        j, found = 0, []  # type: tuple[int, list[tuple[int, int]]]
        for i in range(len(rows)):
            while times[i] - times[j] > width:
                j += 1
            count = i - j + 1
            if count >= min_comments and count >= factor * expected:
                if found and j <= found[-1][1]:
                    found[-1] = (found[-1][0], i)
                else:
                    found.append((j, i))
        for a, b in found:
            part = rows[a:b + 1]
            seconds = times[b] - times[a]
            authors = sorted({c.author for c in part if c.author})
            out.append(Signal("burst", round(len(part) / expected, 2) if expected else float(len(part)),
                              f"{len(part)} comments in {seconds / 60:.1f} min (pace predicts {expected:.1f} "
                              f"per {width / 60:.1f} min)", [c.id for c in part], authors, [doc_id],
                              {"start": rows[a].posted.isoformat(), "end": rows[b].posted.isoformat(),  # type: ignore
                               "comments": len(part), "expected_per_window": round(expected, 2),
                               "window_seconds": width}))
    return out


def co_appearing_authors(comments: list[CommentRow], min_threads: int = 3, min_jaccard: float = 0.5,
                         max_authors_per_thread: int = 300) -> list[Signal]:
    """``co_appearing_authors``: author pairs sharing at least ``min_threads`` threads, Jaccard >= ``min_jaccard``.

    The score is shared threads x Jaccard: many threads together, and rarely apart.
    """
    threads: dict[str, set[str]] = defaultdict(set)
    for c in comments:
        if c.author:
            threads[c.author].add(c.document_id)
    by_doc: dict[str, set[str]] = defaultdict(set)
    for author, docs in threads.items():
        if len(docs) >= min_threads:
            for d in docs:
                by_doc[d].add(author)
    together: Counter[tuple[str, str]] = Counter()
    for authors in by_doc.values():
        if len(authors) <= max_authors_per_thread:
            together.update(combinations(sorted(authors), 2))
    out = []
    for (a, b), n in together.items():
        if n < min_threads:
            continue
        jaccard = n / len(threads[a] | threads[b])
        if jaccard >= min_jaccard:
            shared = sorted(threads[a] & threads[b])
            out.append(Signal("co_appearing_authors", round(n * jaccard, 3),
                              f"{a} and {b} comment together in {n} threads (Jaccard {jaccard:.2f})",
                              [], [a, b], shared, {"shared_threads": n, "threads": {a: len(threads[a]),
                                                                                   b: len(threads[b])}}))
    return out


def find_signals(comments: list[CommentRow], threshold: float = 0.8, **options: Any) -> list[Signal]:
    """Every detector over ``comments``, strongest signals of each kind first.

    ``options``: ``burst_factor`` (4.0), ``min_threads`` (3) and ``min_jaccard`` (0.5) for co-appearing authors.
    """
    from narrascope.errors import NarrascopeError

    if not 0 < threshold <= 1:
        raise NarrascopeError(f"threshold {threshold!r} is not a Jaccard similarity: give one above 0 and at most 1")
    if not options.get("burst_factor", 4.0) > 0:
        raise NarrascopeError(f"burst_factor {options['burst_factor']!r}: give a number above 0")
    found = (near_duplicates(comments, threshold) + bursts(comments, factor=options.get("burst_factor", 4.0))
             + co_appearing_authors(comments, options.get("min_threads", 3), options.get("min_jaccard", 0.5)))
    order = {"near_duplicate": 0, "repeated_by_author": 1, "burst": 2, "co_appearing_authors": 3}
    return sorted(found, key=lambda s: (order[s.kind], -s.score, s.id))
