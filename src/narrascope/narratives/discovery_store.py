"""Discovery over a store: uncovered sentences in, ``narrative_clusters`` rows out; promotion into the taxonomy.

Every sentence a pass considers is recorded: in a cluster (``narrative_cluster_members``) or, when
HDBSCAN left it as noise, in ``narrative_discovery_noise``. A later pass considers only sentences no
pass has seen, so a rerun with no new input changes nothing and old clusters keep their ids.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from narrascope.narratives.discovery import Candidate, Cluster, Discovery
from narrascope.sentences import sentences

MIN_WORDS = 5


def _db(store: Any) -> Any:
    return getattr(store, "db", store)


def uncovered_sentences(store: Any, limit: int = 50_000) -> list[Candidate]:
    """Sentences (>= 5 words) of stored bodies and comments that carry no narrative and no pass considered yet."""
    db = _db(store)
    covered: dict[str, list[tuple[int, int]]] = {}
    for t, s, e in db.execute("SELECT target_id, start_char, end_char FROM annotations WHERE layer = 'narratives' "
                              "AND coalesce(json_extract_string(data, '$.level'), '') IN ('sentence', 'paragraph') "
                              "UNION ALL SELECT target_id, start_char, end_char FROM narrative_cluster_members "
                              "UNION ALL SELECT target_id, start_char, end_char FROM narrative_discovery_noise"
                              ).fetchall():
        covered.setdefault(t, []).append((s, e))
    rows = db.execute("SELECT id, body, CAST(published AS VARCHAR) FROM documents WHERE body <> '' AND "
                      "duplicate_of IS NULL UNION ALL SELECT c.id, c.text, CAST(coalesce(c.posted, d.published) AS "
                      "VARCHAR) FROM comments c JOIN documents d ON d.id = c.document_id ORDER BY 1").fetchall()
    out: list[Candidate] = []
    for target, text, seen in rows:
        spans = covered.get(target, [])
        for s, e in sentences(text):
            if len(text[s:e].split()) < MIN_WORDS or any(a < e and s < b for a, b in spans):
                continue
            out.append(Candidate(target, s, e, text[s:e], seen))
            if len(out) >= limit:
                return out
    return out


def load_clusters(store: Any) -> list[Cluster]:
    """Stored clusters with their members (members carry no embeddings)."""
    db = _db(store)
    members: dict[str, list[Candidate]] = {}
    for cid, t, s, e, text, seen in db.execute("SELECT cluster_id, target_id, start_char, end_char, text, "
                                               "CAST(seen AS VARCHAR) FROM narrative_cluster_members").fetchall():
        members.setdefault(cid, []).append(Candidate(t, s, e, text or "", seen))
    out = []
    for cid, kws, size, first, last, centroid, reps, promoted in db.execute(
            "SELECT id, keywords, size, CAST(first_seen AS VARCHAR), CAST(last_seen AS VARCHAR), centroid, "
            "representatives, promoted_to FROM narrative_clusters ORDER BY id").fetchall():
        out.append(Cluster(cid, np.asarray(centroid, dtype=np.float32), members.get(cid, []), list(kws or []),
                           json.loads(reps or "[]"), first, last, promoted, size))
    return out


def save_clusters(store: Any, clusters: list[Cluster], assigned: dict[tuple[str, int, int], str],
                  candidates: list[Candidate]) -> None:
    """Write clusters (upsert), the new members and the candidates left as noise (so no pass offers them again)."""
    db = _db(store)
    by_key = {c.key: c for c in candidates}
    for c in clusters:
        db.execute("INSERT OR REPLACE INTO narrative_clusters VALUES (?, ?, ?, ?, TRY_CAST(? AS TIMESTAMP), "
                   "TRY_CAST(? AS TIMESTAMP), ?, ?, ?, current_timestamp)",
                   [c.id, c.label, c.keywords, c.size, c.first_seen, c.last_seen, c.centroid.tolist(),
                    json.dumps(c.representatives, ensure_ascii=False), c.promoted_to])
    rows = [(cid, k[0], k[1], k[2], by_key[k].text, by_key[k].seen) for k, cid in assigned.items()]
    if rows:
        db.executemany("INSERT OR REPLACE INTO narrative_cluster_members VALUES (?, ?, ?, ?, ?, "
                       "TRY_CAST(? AS TIMESTAMP))", rows)
    noise = [c.key for c in candidates if c.key not in assigned]
    if noise:
        db.executemany("INSERT OR IGNORE INTO narrative_discovery_noise VALUES (?, ?, ?)", noise)


def discover(store: Any, discovery: Discovery | None = None, encoder: Any = None, limit: int = 50_000,
             log: Callable[[str], None] | None = None) -> list[Cluster]:
    """One incremental discovery pass over the sentences no pass has considered; returns every cluster."""
    discovery = discovery or Discovery()
    candidates = uncovered_sentences(store, limit)
    clusters = load_clusters(store)
    if not candidates:
        if log:
            log("no new sentences to consider: the clusters are unchanged")
        return clusters
    if encoder is None:
        from narrascope.models.sentence import SentenceEncoder

        encoder = SentenceEncoder()
    old = {c.id for c in clusters}
    clusters, assigned = discovery.update(clusters, candidates, encoder.encode([c.text for c in candidates]))
    save_clusters(store, clusters, assigned, candidates)
    if log:
        joined = sum(1 for cid in assigned.values() if cid in old)
        log(f"{len(candidates)} new sentences: {joined} joined existing clusters, {len(assigned) - joined} formed "
            f"{len({c.id for c in clusters} - old)} new clusters, {len(candidates) - len(assigned)} left as noise "
            "(not considered again)")
    return clusters


def promote(store: Any, cluster_id: str, narrative_id: str, name: str, description: str | None = None,
            parent: str | None = None, taxonomy: Any = None) -> Any:
    """Add a cluster to the analyst's taxonomy (its representative sentences become the examples)."""
    from narrascope.errors import NarrascopeError
    from narrascope.narratives.taxonomy import Narrative, add_narrative

    row = _db(store).execute("SELECT label, representatives, promoted_to FROM narrative_clusters WHERE id = ?",
                             [cluster_id]).fetchone()
    if row is None:
        raise NarrascopeError(f"no discovered cluster {cluster_id!r}; see `narrascope narratives discover`")
    if row[2]:
        raise NarrascopeError(f"cluster {cluster_id!r} was already promoted to narrative {row[2]!r}; edit that "
                              "narrative in the taxonomy file instead of promoting the cluster again")
    examples = json.loads(row[1] or "[]")
    path = add_narrative(Narrative(narrative_id, name, description or f"Discovered: {row[0]}", parent, [], [],
                                   examples, origin="user"), taxonomy)
    _db(store).execute("UPDATE narrative_clusters SET promoted_to = ? WHERE id = ?", [narrative_id, cluster_id])
    return path
