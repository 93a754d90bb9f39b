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

import numpy as np

from narrascope.model import content_id

_SPACE = re.compile(r"\W+")
#: what each kind of signal means and what its score measures (the glossary shows these)
SIGNAL_KINDS = {
    "near_duplicate": "Near-identical comments (Jaccard of word shingles at or above the threshold) posted under "
                      "several names, or anonymously on several pages. Score: how many comments.",
    "repeated_by_author": "One author posting the same text again and again. Score: how many times.",
    "burst": "More comments in a short window than the thread's pace predicts (the normal pace of a post's comments, "
             "most in its first hours, and the thread's neighbouring windows), and unlikely by chance. Score: how "
             "many times the expected count the window holds.",
    "co_appearing_authors": "Two authors who comment in the same threads again and again, rarely apart, and far "
                            "more often than their activity alone predicts. Score: shared threads times their "
                            "Jaccard overlap.",
    "network_cluster": "Authors who posted the same text or link, answered the same comment or forwarded the same "
                       "message within minutes of each other, again and again (narrascope networks). Score: the "
                       "cluster's summed edge weight.",
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
    """Clusters of near-identical comments: near copies (:mod:`.near_copies`) joined with exact normalised copies."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from narrascope.coordination.near_copies import near_copy_groups

    near = near_copy_groups([c.text for c in comments], threshold, min_words=min_words)
    first: dict[tuple[str, object], int] = {}
    pairs = []
    for i, (c, g) in enumerate(zip(comments, near.tolist(), strict=True)):
        key = normalise(c.text)
        for k in ([("near", g)] if g >= 0 else []) + ([("exact", key)] if len(key) >= min_chars else []):
            pairs.append((i, first.setdefault(k, i)))
    n = len(comments)
    rows, cols = zip(*pairs, strict=True) if pairs else ((), ())
    _, labels = connected_components(coo_matrix(([1] * len(rows), (rows, cols)), shape=(n, n)), directed=False)
    clusters: dict[int, list[CommentRow]] = defaultdict(list)
    for c, label in zip(comments, labels.tolist(), strict=True):
        clusters[label].append(c)
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


#: edges of the bins of a comment's age over its thread's time scale (:func:`_scale`): the normal pace is pooled in them
AGE_BINS = np.r_[0.0, 2.0 ** np.arange(-6, 7)]


def _scale(ages: np.ndarray) -> float:
    """A thread's time scale: the age of its first quarter of comments (a night's pause does not stretch it)."""
    return max(float(np.quantile(ages, 0.25)), 60.0)


def normal_pace(threads: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The pace a thread's comments normally follow: the cumulative share of comments (pooled over
    ``threads``, each thread counting once) at each edge of :data:`AGE_BINS`, with ages measured
    from the thread's first comment in units of the age of its first quarter of comments. Returns (edges, shares)."""
    edges = np.r_[AGE_BINS, np.inf]
    pooled = np.zeros(len(edges) - 1)
    for ages in threads:
        pooled += np.histogram(ages / _scale(ages), bins=edges)[0] / len(ages)
    shares = np.r_[0.0, np.cumsum(pooled + 1e-3)]
    last = max((float(np.max(a) / _scale(a)) for a in threads), default=1.0)
    edges[-1] = max(last, AGE_BINS[-1]) * 1.01
    return edges, shares / shares[-1]


def bursts(comments: list[CommentRow], window_share: float = 0.05, min_window_seconds: float = 60.0,
           factor: float = 4.0, min_comments: int = 5, min_thread: int = 10, around: int = 3,
           alpha: float = 0.001) -> list[Signal]:
    """``burst``: a window (``window_share`` of the thread's time scale, the age of its first quarter, at least
    ``min_window_seconds``) holding ``factor`` times the comments the thread's pace predicts for it
    (and at least ``min_comments``).

    The pace is not flat: most of a post's comments come in its first hours. The prediction is the
    larger of two: the normal pace learnt from the corpus (:func:`normal_pace`, a shape over each
    thread's own time scale) and the thread's own rate in the ``around`` windows on either side. So a
    thread's ordinary opening rush, or its morning wave, is no burst; a crowd arriving at once is.
    A thread has as many windows as comments, and one of them is bound to be full by chance: a window
    must also be unlikely under the prediction (Poisson, below ``alpha`` divided by the windows).
    """
    from scipy.stats import poisson

    by_doc: dict[str, list[CommentRow]] = defaultdict(list)
    for c in comments:
        if c.posted is not None:
            by_doc[c.document_id].append(c)
    threads = []
    for doc_id, rows in by_doc.items():
        if len(rows) >= min_thread:
            rows.sort(key=lambda c: (c.posted, c.id))
            times = np.array([c.posted.timestamp() for c in rows])  # type: ignore[union-attr]
            if times[-1] > times[0]:
                threads.append((doc_id, rows, times - times[0]))
    edges, shares = normal_pace([ages for _, _, ages in threads])
    out = []
    for doc_id, rows, ages in threads:
        scale = _scale(ages)
        width = max(min_window_seconds, scale * window_share)
        starts = np.searchsorted(ages, ages - width, side="left")
        counts = np.arange(len(ages)) - starts + 1
        cdf = np.interp(ages / scale, edges, shares)
        expected = len(ages) * (cdf - np.interp(np.maximum(ages - width, 0) / scale, edges, shares))
        low, high = np.maximum(ages - (around + 1) * width, 0), np.minimum(ages + around * width, ages[-1])
        nearby = np.searchsorted(ages, high, side="right") - np.searchsorted(ages, low, side="left") - counts
        expected = np.maximum(expected, nearby * width / np.maximum(high - low - width, width))
        hot = (counts >= min_comments) & (counts >= factor * expected)
        hot[hot] = poisson.sf(counts[hot] - 1, expected[hot]) * len(ages) < alpha
        found: list[tuple[int, int]] = []
        for i in np.nonzero(hot)[0].tolist():
            j = int(starts[i])
            if found and j <= found[-1][1]:
                found[-1] = (found[-1][0], i)
            else:
                found.append((j, i))
        for a, b in found:
            part = rows[a:b + 1]
            predicted = float(np.max(expected[a:b + 1]))
            authors = sorted({c.author for c in part if c.author})
            out.append(Signal("burst", round(len(part) / max(predicted, 1e-9), 2),
                              f"{len(part)} comments in {(ages[b] - ages[a]) / 60:.1f} min (the normal pace "
                              f"predicts {predicted:.1f} per {width / 60:.1f} min at this age of the thread)",
                              [c.id for c in part], authors, [doc_id],
                              {"start": rows[a].posted.isoformat(), "end": rows[b].posted.isoformat(),  # type: ignore
                               "comments": len(part), "expected_per_window": round(predicted, 2),
                               "window_seconds": width}))
    return out


def co_appearing_authors(comments: list[CommentRow], min_threads: int = 3, min_jaccard: float = 0.5,
                         max_authors_per_thread: int = 300, min_lift: float = 2.0, alpha: float = 0.05) -> list[Signal]:
    """``co_appearing_authors``: author pairs sharing at least ``min_threads`` threads, Jaccard >= ``min_jaccard``,
    and at least ``min_lift`` times the threads their activity alone would make them share.

    Two authors in a and b of the corpus's N threads share a x b / N of them by chance: two people who
    comment everywhere share nearly every thread, and that is no signal. The score is shared
    threads x Jaccard: many threads together, and rarely apart. Among thousands of occasional
    commenters some pair shares a few threads by chance: the overlap must also be unlikely
    (hypergeometric tail, times the pairs compared, below ``alpha``).
    """
    from scipy.stats import hypergeom

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
    corpus = len({c.document_id for c in comments if c.author})
    out = []
    for (a, b), n in together.items():
        if n < min_threads:
            continue
        jaccard = n / len(threads[a] | threads[b])
        chance = len(threads[a]) * len(threads[b]) / corpus
        if jaccard >= min_jaccard and n >= min_lift * chance and (
                hypergeom.sf(n - 1, corpus, len(threads[a]), len(threads[b])) * len(together) < alpha):
            shared = sorted(threads[a] & threads[b])
            out.append(Signal("co_appearing_authors", round(n * jaccard, 3),
                              f"{a} and {b} comment together in {n} threads (Jaccard {jaccard:.2f}; their activity "
                              f"alone predicts {chance:.1f})", [], [a, b], shared,
                              {"shared_threads": n, "expected_by_activity": round(chance, 2),
                               "threads": {a: len(threads[a]), b: len(threads[b])}}))
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
