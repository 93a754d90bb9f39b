"""Coordinated commenting: near-identical comments under several names, repeats, bursts, co-appearing authors,
and the clusters of coordination networks across the corpus (co-text, co-link, co-reply, co-forward).

:func:`detect` reads a store's comments, runs every detector of :mod:`.signals` and
(``save=True``) replaces the store's ``signals`` table with what it found.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from narrascope.coordination.signals import CommentRow, Signal, find_signals

__all__ = ["CommentRow", "Signal", "detect", "find_signals", "load_comments", "save_signals", "stored_signals"]


def load_comments(store: Any) -> list[CommentRow]:
    """Every stored comment with what the detectors need, in thread order."""
    rows = store.db.execute("SELECT id, document_id, author, posted, text FROM comments "
                            "ORDER BY document_id, position").fetchall()
    return [CommentRow(i, d, a, p.replace(tzinfo=UTC) if p else None, t or "") for i, d, a, p, t in rows]


def save_signals(store: Any, signals: list[Signal], network: str | None = None) -> int:
    """Replace the ``signals`` table with ``signals`` (one transaction); returns how many were stored.

    With ``network`` (``co-text``...) only that network's stored clusters are replaced.
    """
    rows = {s.id: s for s in signals}
    store.db.execute("BEGIN")
    try:
        if network is None:
            store.db.execute("DELETE FROM signals")
        else:
            store.db.execute("DELETE FROM signals WHERE kind = 'network_cluster' AND "
                             "json_extract_string(evidence, '$.network') = ?", [network])
            store.db.execute(f"DELETE FROM signals WHERE id IN ({', '.join('?' for _ in rows) or 'NULL'})",
                             list(rows))
        for s in rows.values():
            store.db.execute("INSERT INTO signals (id, kind, score, summary, comment_ids, authors, document_ids, "
                             "evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             [s.id, s.kind, s.score, s.summary, s.comment_ids, s.authors, s.document_ids,
                              json.dumps(s.evidence, ensure_ascii=False)])
        store.db.execute("COMMIT")
    except Exception:
        store.db.execute("ROLLBACK")
        raise
    return len(rows)


def stored_signals(store: Any) -> list[Signal]:
    """The signals stored by the last :func:`detect` with ``save=True``."""
    rows = store.db.execute("SELECT kind, score, summary, comment_ids, authors, document_ids, evidence "
                            "FROM signals ORDER BY kind, score DESC, id").fetchall()
    return [Signal(k, s, m, list(c or []), list(a or []), list(d or []), json.loads(e) if e else {})
            for k, s, m, c, a, d, e in rows]


def detect(store: Any, threshold: float = 0.8, save: bool = True, **options: Any) -> list[Signal]:
    """Find coordination signals among a store's comments; store them unless ``save`` is False.

    Besides the per-thread signals, the clusters of every coordination network at its default
    settings (:mod:`.networks_cli`) are ``network_cluster`` signals.
    """
    from narrascope.coordination.actions import KINDS
    from narrascope.coordination.clusters import cluster_signals, find_clusters
    from narrascope.coordination.load import store_network

    signals = find_signals(load_comments(store), threshold, **options)
    for kind in KINDS:
        network = store_network(store, kind)
        signals += cluster_signals(find_clusters(network), network.window)
    if save:
        save_signals(store, signals)
    return signals
