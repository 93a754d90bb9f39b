"""Narrative discovery: cluster sentences no taxonomy narrative covers into candidate narratives.

Incremental and stable: a new batch is first assigned to existing clusters whose centroid is
close enough (``join_threshold`` cosine); only the rest is clustered with scikit-learn's HDBSCAN
(deterministic; inputs are put in a canonical order first), and a new cluster's id is derived
from its members, so the same input gives the same clusters on every run and old clusters are
never renumbered. Labels are the top c-TF-IDF words of each cluster (as BERTopic computes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from narrascope.model import content_id


@dataclass
class Candidate:
    """A sentence (or claim) ``[start, end)`` of a document or comment, with its time if known."""

    target_id: str
    start: int
    end: int
    text: str
    seen: str | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.target_id, self.start, self.end)


@dataclass
class Cluster:
    """A candidate narrative: members, centroid, c-TF-IDF keywords, representative sentences, time range."""

    id: str
    centroid: np.ndarray
    members: list[Candidate] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    representatives: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    promoted_to: str | None = None
    size: int = 0

    @property
    def label(self) -> str:
        return " / ".join(self.keywords[:4])


def ctfidf_keywords(docs: list[str], top: int = 6) -> list[list[str]]:
    """Top words of each cluster document by class-based TF-IDF (``tf * log(1 + avg_words / df)``)."""
    from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

    if not any(d.strip() for d in docs):
        return [[] for _ in docs]
    try:
        counts = CountVectorizer(stop_words="english", token_pattern=r"(?u)\b[^\W\d_]{3,}\b").fit(docs)
    except ValueError:  # only stop words
        return [[] for _ in docs]
    tf = counts.transform(docs).toarray().astype(np.float64)
    words = counts.get_feature_names_out()
    avg = tf.sum() / max(len(docs), 1)
    idf = np.log(1 + avg / np.maximum(tf.sum(axis=0), 1))
    score = tf / np.maximum(tf.sum(axis=1, keepdims=True), 1) * idf
    return [[str(words[j]) for j in np.argsort(-row, kind="stable")[:top] if row[j] > 0] for row in score]


class Discovery:
    """Cluster uncovered sentences. ``min_cluster_size``: smallest candidate narrative;
    ``join_threshold``: cosine to a centroid that puts a new sentence into an existing cluster."""

    def __init__(self, min_cluster_size: int = 5, min_samples: int | None = None, join_threshold: float = 0.6,
                 representatives: int = 5) -> None:
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.join_threshold = join_threshold
        self.representatives = representatives

    def update(self, clusters: list[Cluster], candidates: list[Candidate], emb: np.ndarray,
               member_emb: dict[str, np.ndarray] | None = None
               ) -> tuple[list[Cluster], dict[tuple[str, int, int], str]]:
        """Add ``candidates`` (embedded as ``emb``) to ``clusters``; returns clusters and ``key -> cluster id``."""
        order = sorted(range(len(candidates)), key=lambda i: candidates[i].key)
        cands = [candidates[i] for i in order]
        emb = np.asarray(emb, dtype=np.float32)[order] if len(order) else np.zeros((0, 384), np.float32)
        by_id = {c.id: c for c in clusters}
        assigned: dict[tuple[str, int, int], str] = {}
        sums = {c.id: c.centroid * max(c.size, 1) for c in clusters}
        rest = list(range(len(cands)))
        if clusters and len(cands):
            ids = [c.id for c in clusters]
            sims = emb @ np.stack([c.centroid for c in clusters]).T
            best = sims.argmax(axis=1)
            rest = []
            for i in range(len(cands)):
                if sims[i, best[i]] >= self.join_threshold:
                    cid = ids[best[i]]
                    assigned[cands[i].key] = cid
                    by_id[cid].members.append(cands[i])
                    sums[cid] = sums[cid] + emb[i]
                else:
                    rest.append(i)
        if len(rest) >= self.min_cluster_size:
            from sklearn.cluster import HDBSCAN  # type: ignore[import-untyped]

            labels = HDBSCAN(min_cluster_size=self.min_cluster_size, min_samples=self.min_samples,
                             metric="euclidean", copy=True).fit_predict(emb[rest])
            for lab in sorted(set(labels.tolist()) - {-1}):
                rows = [rest[j] for j in np.nonzero(labels == lab)[0]]
                cid = content_id(*[f"{cands[i].target_id}:{cands[i].start}:{cands[i].end}" for i in rows],
                                 prefix="n", length=10)
                cluster = Cluster(cid, np.zeros(emb.shape[1], np.float32), [cands[i] for i in rows])
                by_id[cid] = cluster
                sums[cid] = emb[rows].sum(axis=0)
                for i in rows:
                    assigned[cands[i].key] = cid
        touched = set(assigned.values())
        vecs = {c.key: emb[i] for i, c in enumerate(cands)}
        for cid in touched:
            c = by_id[cid]
            c.size = len(c.members)
            c.centroid = (sums[cid] / max(np.linalg.norm(sums[cid]), 1e-9)).astype(np.float32)
            times = sorted(m.seen for m in c.members if m.seen)
            c.first_seen, c.last_seen = (times[0], times[-1]) if times else (c.first_seen, c.last_seen)
            known = {**(member_emb or {}), **{f"{k[0]}:{k[1]}:{k[2]}": v for k, v in vecs.items()}}
            scored = [(float(known[f"{m.target_id}:{m.start}:{m.end}"] @ c.centroid), m.text) for m in c.members
                      if f"{m.target_id}:{m.start}:{m.end}" in known]
            if scored and (len(scored) == len(c.members) or not c.representatives):
                seen_text: list[str] = []
                for _, text in sorted(scored, key=lambda x: (-x[0], x[1])):
                    if text not in seen_text:
                        seen_text.append(text)
                    if len(seen_text) >= self.representatives:
                        break
                c.representatives = seen_text
        out = sorted(by_id.values(), key=lambda c: c.id)
        for c, words in zip(out, ctfidf_keywords([" ".join(m.text for m in c.members) for c in out]), strict=True):
            c.keywords = words
        return out, assigned
