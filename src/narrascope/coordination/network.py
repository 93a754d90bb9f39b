"""A coordination network: authors joined by the things they did together within a time window.

Two actions are a *co-action* when two different authors act on the same key (text, link, answered
comment, forwarded original) within ``window`` seconds of each other. Co-actions on one key are
counted once per *episode* (a run of that key's actions with no gap longer than the window), so
two authors who post the same slogan together twelve times in twelve threads score twelve, and a
pair that repeats itself inside one exchange scores one.

An edge's ``weight`` sums its co-actions, each counting ``min(1, common_above / authors of the
key)``: a text or link that more than ``common_above`` authors use ("Thanks for sharing", a site's
homepage) adds a fraction, so it does not join everyone to everyone. ``co_actions`` is the plain
count. Pairs are found by sorting actions by key and time and comparing each with its next
neighbours (numpy), never by comparing all pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from narrascope.coordination.actions import Actions

EVIDENCE_PER_EDGE = 10


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(float(seconds), UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Edge:
    """Two authors and what they did together."""

    kind: str
    source: str
    target: str
    weight: float
    co_actions: int
    first: str
    last: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    #: every thread or channel of its co-actions, with how many (the evidence keeps only the first few)
    places: Counter[str] = field(default_factory=Counter, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "source": self.source, "target": self.target, "weight": self.weight,
                "co_actions": self.co_actions, "first": self.first, "last": self.last, "evidence": self.evidence}


@dataclass
class Node:
    """An author: actions in this network, everything they posted in the corpus, first and last activity."""

    id: str
    actions: int
    posts: int
    first: str
    last: str


@dataclass
class Network:
    kind: str
    window: float
    window_note: str
    nodes: list[Node]
    edges: list[Edge]
    notes: list[str] = field(default_factory=list)


def estimate_window(key: np.ndarray, author: np.ndarray, time: np.ndarray, quantile: float = 0.1,
                    share: float = 0.5, run_gap: float = 3600.0) -> tuple[float, int]:
    """CooRnet's interval, per run of actions: a key's actions split where none follows for ``run_gap``
    seconds; for every run that two or more authors took part in, the time from its first action to the
    action at ``share`` of its actions; the window is the ``quantile`` of those times, the interval
    within which the quickest tenth of repeated actions spread. Returns (seconds, runs)."""
    if not len(key):
        return 0.0, 0
    order = np.lexsort((time, key))
    k, t, a = key[order], time[order], author[order]
    run = np.cumsum(np.r_[True, (k[1:] != k[:-1]) | (np.diff(t) > run_gap)]) - 1
    users = _users_per_key(run, a)
    pick = users[run] >= 2
    run, t = run[pick], t[pick]
    if not len(run):
        return 0.0, 0
    starts = np.r_[0, np.nonzero(run[1:] != run[:-1])[0] + 1]
    counts = np.diff(np.r_[starts, len(run)])
    at = starts + np.maximum(1, np.rint(share * (counts - 1)).astype(np.int64))
    gaps = t[at] - t[starts]
    return float(max(1.0, np.round(np.quantile(gaps, quantile)))), len(gaps)


def co_action_pairs(key: np.ndarray, time: np.ndarray, window: float,
                    max_neighbours: int = 2000) -> tuple[np.ndarray, np.ndarray, bool]:
    """Index pairs (i, j), i before j in ``order``-sorted arrays, of actions on one key within ``window``.

    Returns the pairs and whether ``max_neighbours`` cut a crowded key short.
    """
    n = len(key)
    first, second = [], []
    active = np.arange(max(0, n - 1))
    d = 1
    while len(active) and d <= max_neighbours:
        active = active[active + d < n]
        j = active + d
        ok = (key[j] == key[active]) & (time[j] - time[active] <= window)
        active = active[ok]
        first.append(active)
        second.append(active + d)
        d += 1
    cut = bool(len(active)) and d > max_neighbours
    empty = np.zeros(0, dtype=np.int64)
    return np.concatenate(first or [empty]), np.concatenate(second or [empty]), cut


def key_weights(key: np.ndarray, author: np.ndarray, things: int, common_above: int) -> np.ndarray:
    """Each key's weight: 1, or ``common_above / authors`` for a key that more authors use."""
    users = _users_per_key(key, author, things)
    return np.minimum(1.0, common_above / np.maximum(users, 1))


def _users_per_key(key: np.ndarray, author: np.ndarray, things: int = 0) -> np.ndarray:
    """How many distinct authors acted on each key (``key`` and ``author`` are codes from 0)."""
    span = int(author.max()) + 1 if len(author) else 1
    combos = np.unique(key.astype(np.int64) * span + author)
    return np.bincount(combos // span, minlength=max(things, int(key.max()) + 1 if len(key) else 0))


def build_network(actions: Actions, window: float | str = "auto", min_weight: float = 3.0, common_above: int = 10,
                  activity: dict[str, tuple[int, float, float]] | None = None, min_share: float = 0.05,
                  max_neighbours: int = 2000) -> Network:
    """The network of ``actions``: edges of at least ``min_weight``, and the authors they join.

    ``window`` is seconds or ``"auto"`` (:func:`estimate_window`); ``activity`` gives each author's
    posts in the whole corpus and first and last time, for the nodes. An edge is weighed against how
    active its two authors are: its co-actions must be at least ``min_share`` of the geometric mean
    of their actions, so two authors who act everywhere, and so meet by chance, are no pair.
    """
    notes = list(actions.notes)
    names, author = np.unique(actions.author.astype(str), return_inverse=True) if len(actions) else (
        np.zeros(0, dtype=str), np.zeros(0, dtype=np.int64))
    author = author.astype(np.int64)
    if window == "auto":
        seconds, basis = estimate_window(actions.key, author, actions.time)
        note = (f"window auto: {seconds:g} s, within which the quickest tenth of {basis} runs of repeated actions "
                "(two or more authors on one thing) reached half their actions" if basis else
                "window auto: nothing was acted on by two authors, so there is no window to estimate")
    else:
        seconds, note = float(window), f"window: {float(window):g} s (given)"
    if len(names) < 2:
        notes.append(f"{len(names)} named author(s) with a time: no pair can act together, the network is empty")
        return Network(actions.kind, seconds, note, [], [], notes)
    order = np.lexsort((actions.time, actions.key))
    key, time, who = actions.key[order], actions.time[order], author[order]
    i, j, cut = co_action_pairs(key, time, seconds, max_neighbours)
    if cut:
        notes.append(f"some things were acted on by more than {max_neighbours} actions within one window; "
                     f"only each action's next {max_neighbours} were paired")
    episode = np.cumsum(np.r_[True, (key[1:] != key[:-1]) | (np.diff(time) > seconds)])
    keep = who[i] != who[j]
    i, j = i[keep], j[keep]
    a, b = np.minimum(who[i], who[j]), np.maximum(who[i], who[j])
    # one co-action per pair and episode: the earliest
    first = np.lexsort((time[i], episode[i], b, a))
    a, b, i, j = a[first], b[first], i[first], j[first]
    new = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (episode[i][1:] != episode[i][:-1])][:len(a)]
    a, b, i, j = a[new], b[new], i[new], j[new]
    weights = key_weights(key, who, len(actions.shown), common_above)[key[i]]
    starts = np.r_[0, np.nonzero((a[1:] != a[:-1]) | (b[1:] != b[:-1]))[0] + 1] if len(a) else np.zeros(0, int)
    total = np.add.reduceat(weights, starts) if len(a) else np.zeros(0)
    ends = np.r_[starts[1:], len(a)]
    per_author = np.bincount(who, minlength=len(names)).astype(np.float64)
    share = (ends - starts) / np.sqrt(per_author[a[starts]] * per_author[b[starts]]) if len(a) else np.zeros(0)
    heavy = total >= min_weight - 1e-9
    strong = np.nonzero(heavy & (share >= min_share))[0]
    if heavy.sum() > len(strong):
        notes.append(f"{int(heavy.sum()) - len(strong)} pairs of weight {min_weight:g} or more left out: their "
                     f"co-actions are under {min_share:.0%} of their actions, as happens by chance to authors "
                     "who act everywhere")
    edges = []
    for e in strong.tolist():
        s, t = int(starts[e]), int(ends[e])
        rows = list(range(s, t))
        edges.append(Edge(actions.kind, str(names[a[s]]), str(names[b[s]]), round(float(total[e]), 3), t - s,
                          iso(time[i[s:t]].min()), iso(time[j[s:t]].max()),
                          [_evidence(actions, order, names, who, time, int(i[r]), int(j[r]), int(a[r]))
                           for r in rows[:EVIDENCE_PER_EDGE]], _places(actions, order, i[s:t], j[s:t])))
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    nodes = _nodes(actions, names, author, {x for e in edges for x in (e.source, e.target)}, activity or {})
    if not edges:
        notes.append(f"no two authors acted together with weight {min_weight:g} or more within {seconds:g} s")
    return Network(actions.kind, seconds, note, nodes, edges, notes)


def _places(actions: Actions, order: np.ndarray, i: np.ndarray, j: np.ndarray) -> Counter[str]:
    """Co-actions per thread or channel: each co-action counts once in each of its (one or two) places."""
    document = actions.posts.document[actions.post[order]]
    first, second = document[i].astype(str), document[j].astype(str)
    return Counter([*first.tolist(), *second[second != first].tolist()])


def _evidence(actions: Actions, order: np.ndarray, names: np.ndarray, who: np.ndarray, time: np.ndarray,
              i: int, j: int, source: int) -> dict[str, Any]:
    """One co-action, the source author's action first."""
    if who[i] != source:
        i, j = j, i
    x, y = int(actions.post[order[i]]), int(actions.post[order[j]])
    posts = actions.posts
    # a near-copy group's texts differ: each co-action shows the source's own words
    shared = (" ".join(str(posts.subject[x]).split())[:300] if actions.kind == "co-text"
              else actions.shown[int(actions.key[order[i]])])
    return {"shared": shared, "ids": [str(posts.id[x]), str(posts.id[y])],
            "times": [iso(time[i]), iso(time[j])], "documents": [str(posts.document[x]), str(posts.document[y])]}


def _nodes(actions: Actions, names: np.ndarray, author: np.ndarray, wanted: set[str],
           activity: dict[str, tuple[int, float, float]]) -> list[Node]:
    counts = np.bincount(author, minlength=len(names))
    firsts = np.full(len(names), np.inf)
    lasts = np.full(len(names), -np.inf)
    np.minimum.at(firsts, author, actions.time)
    np.maximum.at(lasts, author, actions.time)
    out = []
    for code, name in enumerate(names.tolist()):
        if name in wanted:
            posts, first, last = activity.get(name, (int(counts[code]), firsts[code], lasts[code]))
            out.append(Node(name, int(counts[code]), int(posts), iso(min(first, firsts[code])),
                            iso(max(last, lasts[code]))))
    return out
