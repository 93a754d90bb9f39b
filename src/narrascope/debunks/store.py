"""Debunks in the DuckDB store: import, a persisted index, claim matching and the chain view.

Tables (schema migration "narratives and claims"): ``debunks``, ``debunk_narratives``,
``vector_indexes`` (the index BLOB), ``claim_matches``; the view ``narrative_chain`` joins
technique span -> claim -> debunk -> narrative.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from narrascope.debunks.index import DebunkIndex
from narrascope.debunks.io import Debunk

INDEX_NAME = "debunks"
#: cosine similarity from which a claim counts as matching a debunk (paraphrases of one claim
#: score 0.7-0.9 with the shared encoder; unrelated claims on the same topic about 0.3-0.55)
DEFAULT_THRESHOLD = 0.65


@dataclass
class Match:
    """A claim's near debunk: ``score`` is cosine similarity; ``above_threshold`` says it counts."""

    debunk_id: str
    score: float
    rank: int
    above_threshold: bool
    claim: str = ""
    url: str | None = None


def _db(store: Any) -> Any:
    return getattr(store, "db", store)


def import_debunks(store: Any, debunks: list[Debunk], encoder: Any = None, narratives: Any = None) -> int:
    """Embed and store ``debunks`` (new ids only), tag them with taxonomy narratives, rebuild the index."""
    db = _db(store)
    known = {r[0] for r in db.execute("SELECT id FROM debunks").fetchall()}
    seen: set[str] = set()
    new = []
    for d in debunks:
        if d.id not in known and d.id not in seen:
            seen.add(d.id)
            new.append(d)
    if new:
        if encoder is None:
            from narrascope.models.sentence import SentenceEncoder

            encoder = SentenceEncoder()
        emb = encoder.encode([d.claim for d in new])
        rows = [(d.id, d.claim, d.review, d.url, d.date, d.keywords, d.source, d.format, e.tolist())
                for d, e in zip(new, emb, strict=True)]
        db.executemany("INSERT INTO debunks (id, claim, review, url, published, keywords, source, format, embedding) "
                       "VALUES (?, ?, ?, ?, TRY_CAST(? AS DATE), ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO debunk_narratives VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       _narrative_rows(new, emb, narratives))
    rebuild_index(store)
    return len(new)


def _narrative_rows(debunks: list[Debunk], emb: np.ndarray, narratives: Any) -> list[tuple[str, str, float, str]]:
    """Narratives of each debunk: from its keyword tags (score 1) and from the narrative classifier."""
    if narratives is None:
        from narrascope.narratives.model import NarrativeModel

        narratives = NarrativeModel()
    tax = list(narratives.taxonomy)
    rows: list[tuple[str, str, float, str]] = []
    scores, _ = narratives.score_embeddings(emb, [d.claim for d in debunks])
    for i, d in enumerate(debunks):
        tags = set(d.keywords)
        for k, n in enumerate(tax):
            if tags & set(n.keywords):
                rows.append((d.id, n.id, 1.0, "keywords"))
            elif scores[i, k] >= 0.5:
                rows.append((d.id, n.id, round(float(scores[i, k]), 4), "classifier"))
    return rows


def rebuild_index(store: Any, kind: str | None = None) -> DebunkIndex:
    """Build the index over every stored debunk and persist it (a BLOB in ``vector_indexes``)."""
    db = _db(store)
    rows = db.execute("SELECT id, embedding FROM debunks ORDER BY id").fetchall()
    vectors = np.array([r[1] for r in rows], dtype=np.float32).reshape(len(rows), -1) if rows else \
        np.zeros((0, 384), np.float32)
    index = DebunkIndex([r[0] for r in rows], vectors, kind)
    db.execute("INSERT OR REPLACE INTO vector_indexes VALUES (?, ?, ?, ?, ?, current_timestamp)",
               [INDEX_NAME, index.kind, int(vectors.shape[1]), len(rows), index.to_bytes()])
    return index


def load_index(store: Any) -> DebunkIndex:
    """The persisted debunk index (built if absent)."""
    row = _db(store).execute("SELECT data FROM vector_indexes WHERE name = ?", [INDEX_NAME]).fetchone()
    return DebunkIndex.from_bytes(row[0]) if row else rebuild_index(store)


def match_embeddings(store: Any, emb: np.ndarray, k: int = 3,
                     threshold: float = DEFAULT_THRESHOLD) -> list[list[Match]]:
    """The ``k`` nearest debunks of each embedded claim."""
    index = load_index(store)
    rows, sims = index.search(emb, k)
    ids = sorted({index.ids[r] for r in rows.reshape(-1) if r >= 0})
    info: dict[str, tuple[str, str | None]] = {}
    if ids:
        for i, c, u in _db(store).execute("SELECT id, claim, url FROM debunks WHERE id IN (SELECT unnest(?))",
                                          [ids]).fetchall():
            info[i] = (c, u)
    out = []
    for r_row, s_row in zip(rows, sims, strict=True):
        found = []
        for rank, (r, s) in enumerate(zip(r_row, s_row, strict=True), 1):
            if r < 0:
                continue
            did = index.ids[r]
            claim, url = info.get(did, ("", None))
            found.append(Match(did, round(float(s), 4), rank, bool(s >= threshold), claim, url))
        out.append(found)
    return out


def match_claims(store: Any, encoder: Any = None, k: int = 3, threshold: float = DEFAULT_THRESHOLD) -> int:
    """Match every stored ``claims`` annotation to its nearest debunks; rewrites ``claim_matches``. Returns matches."""
    db = _db(store)
    claims = db.execute("SELECT a.id, coalesce(json_extract_string(a.data, '$.text'), "
                        "substr(coalesce(d.body, c.text), a.start_char + 1, a.end_char - a.start_char)) "
                        "FROM annotations a LEFT JOIN documents d ON a.target_type = 'document' AND d.id = a.target_id "
                        "LEFT JOIN comments c ON a.target_type = 'comment' AND c.id = a.target_id "
                        "WHERE a.layer = 'claims' ORDER BY a.id").fetchall()
    if not claims:
        return 0
    if encoder is None:
        from narrascope.models.sentence import SentenceEncoder

        encoder = SentenceEncoder()
    matches = match_embeddings(store, encoder.encode([c[1] or "" for c in claims]), k, threshold)
    rows = [(cid, m.debunk_id, m.score, m.rank, m.above_threshold, threshold)
            for (cid, _), found in zip(claims, matches, strict=True) for m in found]
    db.execute("DELETE FROM claim_matches")
    if rows:
        db.executemany("INSERT INTO claim_matches VALUES (?, ?, ?, ?, ?, ?)", rows)
    return sum(1 for r in rows if r[4])


def chain(store: Any, limit: int = 100) -> list[dict[str, Any]]:
    """Rows of the ``narrative_chain`` view as dicts (technique span -> claim -> debunk -> narrative)."""
    cur = _db(store).execute(f"SELECT * FROM narrative_chain LIMIT {int(limit)}")
    names = [d[0] for d in cur.description]
    return [json.loads(json.dumps(dict(zip(names, r, strict=True)), default=str)) for r in cur.fetchall()]
