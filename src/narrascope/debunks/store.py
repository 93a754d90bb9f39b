"""Debunks in the DuckDB store: import, a persisted index, claim matching and the chain view.

Tables (schema migration "narratives and claims"): ``debunks``, ``debunk_narratives``,
``vector_indexes`` (the index BLOB), ``claim_matches``; the view ``narrative_chain`` joins
technique span -> claim -> debunk -> narrative.

Narrative tags are derived data, like the index: the fingerprint of the taxonomy (and tagger) they
were made with is kept in the ``vector_indexes`` row ``debunk_narratives``, and an import under a
different taxonomy recomputes the tags of every stored debunk (:func:`retag`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from narrascope.debunks.index import DebunkIndex
from narrascope.debunks.io import Debunk, claim_key

INDEX_NAME = "debunks"
TAGS_NAME = "debunk_narratives"
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


@dataclass
class Imported:
    """What one import did: debunks added, skipped (id already stored, or the same claim text as another),
    and stored debunks whose narrative tags were recomputed because the taxonomy changed."""

    new: int = 0
    known: int = 0
    duplicates: int = 0
    retagged: int = 0


def _db(store: Any) -> Any:
    return getattr(store, "db", store)


def _narratives(narratives: Any) -> Any:
    if narratives is None:
        from narrascope.narratives.model import NarrativeModel

        narratives = NarrativeModel()
    return narratives


def taxonomy_fingerprint(narratives: Any) -> str:
    """Hash of the tagger's version and every narrative's fields: changes when ``narratives add`` or an edit does."""
    fields = [[n.id, n.name, n.description, n.parent, n.keywords, n.diary, n.examples] for n in narratives.taxonomy]
    text = json.dumps([narratives.version, fields], ensure_ascii=False)
    return f"{narratives.taxonomy.version}:{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def tags_fingerprint(store: Any) -> str | None:
    """The fingerprint of the taxonomy the stored tags were made with (``None``: never recorded)."""
    row = _db(store).execute("SELECT data FROM vector_indexes WHERE name = ?", [TAGS_NAME]).fetchone()
    return bytes(row[0]).decode() if row else None


def _in_transaction(store: Any, write: Callable[[Any], None]) -> None:
    db = _db(store)
    db.execute("BEGIN")
    try:
        write(db)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _write_tags(db: Any, rows: list[tuple[str, str, float, str]], fingerprint: str, size: int,
                replace: bool) -> None:
    if replace:
        db.execute("DELETE FROM debunk_narratives")
    if rows:
        db.executemany("INSERT INTO debunk_narratives VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
    db.execute("INSERT OR REPLACE INTO vector_indexes VALUES (?, 'taxonomy', NULL, ?, ?, current_timestamp)",
               [TAGS_NAME, size, fingerprint.encode()])


def _stored_tag_rows(db: Any, narratives: Any) -> tuple[list[tuple[str, str, float, str]], int]:
    rows = db.execute("SELECT id, claim, keywords, embedding FROM debunks ORDER BY id").fetchall()
    out: list[tuple[str, str, float, str]] = []
    for b in range(0, len(rows), 2048):
        part = rows[b:b + 2048]
        emb = np.array([r[3] for r in part], dtype=np.float32).reshape(len(part), -1)
        out += _narrative_rows([Debunk(r[1], keywords=list(r[2] or []), id=r[0]) for r in part], emb, narratives)
    return out, len(rows)


def retag(store: Any, narratives: Any = None) -> int:
    """Recompute the narrative tags of every stored debunk with ``narratives`` (one transaction). Returns debunks."""
    narratives = _narratives(narratives)
    fingerprint = taxonomy_fingerprint(narratives)  # a broken taxonomy fails here, before any write
    rows, size = _stored_tag_rows(_db(store), narratives)
    _in_transaction(store, lambda db: _write_tags(db, rows, fingerprint, size, replace=True))
    return size


def import_debunks(store: Any, debunks: list[Debunk], encoder: Any = None, narratives: Any = None) -> Imported:
    """Embed and store ``debunks``, tag them with taxonomy narratives and rebuild the index, in one transaction.

    A debunk is skipped when its id is stored already or its claim is, up to case, whitespace and trailing
    punctuation (the same case in both EUvsDisinfo layouts); the first one stays. When the taxonomy differs
    from the one the stored tags were made with, every stored debunk is retagged too.
    """
    narratives = _narratives(narratives)
    fingerprint = taxonomy_fingerprint(narratives)  # a broken taxonomy fails here, before any write
    db = _db(store)
    stored = db.execute("SELECT id, claim FROM debunks").fetchall()
    known = {r[0] for r in stored}
    claims = {claim_key(r[1]) for r in stored}
    result = Imported()
    new = []
    for d in debunks:
        key = claim_key(d.claim)
        if d.id in known:
            result.known += 1
        elif key in claims:
            result.duplicates += 1
        else:
            known.add(d.id)
            claims.add(key)
            new.append(d)
    stale = bool(stored) and tags_fingerprint(store) != fingerprint
    tag_rows, size = _stored_tag_rows(db, narratives) if stale else ([], len(stored))
    rows: list[tuple[Any, ...]] = []
    if new:
        if encoder is None:
            encoder = getattr(narratives, "encoder", None)
        if encoder is None:
            from narrascope.models.sentence import SentenceEncoder

            encoder = SentenceEncoder()
        emb = encoder.encode([d.claim for d in new])
        rows = [(d.id, d.claim, d.review, d.url, d.date, d.keywords, d.source, d.format, e.tolist())
                for d, e in zip(new, emb, strict=True)]
        tag_rows += _narrative_rows(new, emb, narratives)
    if not new and not stale:
        return result

    def write(db: Any) -> None:
        if rows:
            db.executemany("INSERT INTO debunks (id, claim, review, url, published, keywords, source, format, "
                           "embedding) VALUES (?, ?, ?, ?, TRY_CAST(? AS DATE), ?, ?, ?, ?)", rows)
        _write_tags(db, tag_rows, fingerprint, size + len(new), replace=stale)
        if rows:
            rebuild_index(store)

    _in_transaction(store, write)
    result.new, result.retagged = len(new), size if stale else 0
    return result


def _narrative_rows(debunks: list[Debunk], emb: np.ndarray, narratives: Any) -> list[tuple[str, str, float, str]]:
    """Narratives of each debunk: from its keyword tags (score 1) and from the narrative classifier."""
    tax = list(narratives.taxonomy)
    rows: list[tuple[str, str, float, str]] = []
    if not debunks:
        return rows
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
                        "WHERE a.layer = 'claims' AND a.label = 'claim' ORDER BY a.id").fetchall()
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
    """Rows of the ``narrative_chain`` view as dicts (technique span -> claim -> debunk -> narrative), with the
    debunk's ``match_rank``; ordered by claim (target, offset), then rank, narrative and technique span."""
    cur = _db(store).execute(
        "SELECT c.*, m.rank AS match_rank FROM narrative_chain c "
        "JOIN claim_matches m ON m.claim_id = c.claim_id AND m.debunk_id = c.debunk_id "
        "ORDER BY c.target_id, c.claim_start, c.claim_end, c.claim_id, m.rank, c.narrative_id NULLS LAST, "
        f"c.technique_start NULLS LAST, c.technique_id NULLS LAST LIMIT {int(limit)}")
    names = [d[0] for d in cur.description]
    return [json.loads(json.dumps(dict(zip(names, r, strict=True)), default=str)) for r in cur.fetchall()]
