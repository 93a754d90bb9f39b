"""Posts for a coordination network, read from a store: its comments and its authored documents.

Forwards are read from a ``metadata`` JSON column of ``comments`` and ``documents`` where the store
has one (the Telegram reader's): ``forwarded_from`` names the original channel or user, and the
original message is told apart by ``forwarded_message_id`` (or ``forwarded_id``,
``original_message_id``), else by ``forwarded_date`` (or ``original_date``).
"""

from __future__ import annotations

from typing import Any

from narrascope.coordination.actions import Post

_ORIGINAL_ID = ("forwarded_message_id", "forwarded_id", "original_message_id", "original_id")
_ORIGINAL_DATE = ("forwarded_date", "original_date", "forwarded_date_unixtime")

# what each table contributes: (id, thread or channel, author, time, text)
_SOURCES = {
    "comments": "SELECT id, document_id, author, epoch(posted), {extra} FROM comments",
    "documents": "SELECT id, id, author, epoch(published), {extra} FROM documents WHERE author IS NOT NULL",
}


def _columns(store: Any, table: str) -> set[str]:
    rows = store.db.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                            [table]).fetchall()
    return {r[0] for r in rows}


def _first_of(fields: tuple[str, ...]) -> str:
    return "coalesce(" + ", ".join(f"json_extract_string(metadata, '$.{f}')" for f in fields) + ")"


def load_posts(store: Any, kind: str) -> list[Post]:
    """Every comment and authored document as a :class:`Post` of network ``kind`` (see :mod:`.actions`)."""
    db = store.db
    if kind in ("co-text", "co-link"):
        rows = [r for table in ("comments", "documents") for r in db.execute(_SOURCES[table].format(
            extra="text" if table == "comments" else "body")).fetchall()]
        if kind == "co-link":  # only posts that hold a link
            rows = [r for r in rows if r[4] and ("http" in r[4] or "www." in r[4])]
        return [Post(i, d, a, t, x) for i, d, a, t, x in rows]
    if kind == "co-reply":
        rows = db.execute(
            "SELECT c.id, c.document_id, c.author, epoch(c.posted), e.target_id, p.author, p.text "
            "FROM edges e JOIN comments c ON c.id = e.source_id LEFT JOIN comments p ON p.id = e.target_id "
            "WHERE e.kind IN ('reply', 'reference')").fetchall()
        return [Post(i, d, a, t, target, f"reply to {target_author or 'anonymous'}: "
                     f"{' '.join((text or '').split())[:200]}") for i, d, a, t, target, target_author, text in rows]
    posts = []
    for table in ("comments", "documents"):
        if "metadata" not in _columns(store, table):
            continue
        query = _SOURCES[table].format(extra="json_extract_string(metadata, '$.forwarded_from'), "
                                       f"{_first_of(_ORIGINAL_ID)}, {_first_of(_ORIGINAL_DATE)}")
        for i, d, a, t, origin, message, date in db.execute(query).fetchall():
            if origin:
                which = f"message {message}" if message else (f"of {date}" if date else "")
                posts.append(Post(i, d, a, t, f"{origin}\x1f{message or date or ''}",
                                  f"forwarded from {origin} {which}".strip()))
    return posts


def forward_notes(store: Any) -> list[str]:
    """Why a co-forward network may be empty: no store column records forwards."""
    if any("metadata" in _columns(store, t) for t in ("comments", "documents")):
        return []
    return ["this store records no forwards (no metadata column): read Telegram exports to build co-forward"]


def author_activity(store: Any) -> dict[str, tuple[int, float, float]]:
    """Each author's posts in the whole corpus, first and last time (seconds since the epoch)."""
    rows = store.db.execute(
        "SELECT author, count(*), min(t), max(t) FROM ("
        "SELECT author, epoch(posted) AS t FROM comments UNION ALL "
        "SELECT author, epoch(published) FROM documents) WHERE author IS NOT NULL AND t IS NOT NULL "
        "GROUP BY author").fetchall()
    return {a: (int(n), float(f), float(last)) for a, n, f, last in rows}


def store_network(store: Any, kind: str, window: float | str = "auto", min_weight: float = 3.0,
                  threshold: float = 0.6, common_above: int = 10, executor: str = "local") -> Any:
    """The coordination network ``kind`` of a store's posts (see :func:`~.network.build_network`)."""
    from narrascope.coordination.actions import to_actions
    from narrascope.coordination.network import build_network

    band_map = None
    if executor == "ray":
        from narrascope.coordination.ray_bands import ray_map

        band_map = ray_map
    actions = to_actions(kind, load_posts(store, kind), threshold, band_map=band_map)
    if kind == "co-forward":
        actions.notes[:0] = forward_notes(store)
    return build_network(actions, window, min_weight, common_above, author_activity(store))
