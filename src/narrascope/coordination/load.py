"""Posts for a coordination network, read from a store: its comments and its authored documents.

Forwards are read from the store's ``metadata`` table (``Document.meta`` / ``Comment.meta``, as the
Telegram reader records them): ``forwarded_from`` (or ``forwarded_from_id``) names the original
channel or user, and the original message is told apart by ``forwarded_message_id`` where a
platform gives one, else by ``forwarded_date``, the original's time, else (a Telegram Desktop export
records neither) by the forwarded text.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from narrascope.coordination.actions import Posts

_ORIGINAL_ID = ("forwarded_message_id", "forwarded_id", "original_message_id")
_ORIGINAL_DATE = ("forwarded_date", "forwarded_date_unixtime", "original_date")

# what each table contributes: id, thread or channel, author, time and {extra}
_SOURCES = {
    "comments": "SELECT id, document_id AS document, author, epoch(posted) AS time, {extra} FROM comments",
    "documents": "SELECT id, id AS document, author, epoch(published) AS time, {extra} FROM documents "
                 "WHERE author IS NOT NULL",
}
_LINK = "(subject LIKE '%http%' OR subject ILIKE '%www.%')"


def _has_metadata(store: Any) -> bool:
    return bool(store.db.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'metadata'")
                .fetchone()[0])


def _first_of(fields: tuple[str, ...]) -> str:
    return "coalesce(" + ", ".join(f"json_extract_string(m.data, '$.{f}')" for f in fields) + ")"


def _posts(store: Any, query: str) -> Posts:
    columns = store.db.execute(query).fetchnumpy()

    def column(name: str) -> np.ndarray:
        return np.asarray(columns[name], dtype=object) if name in columns else np.zeros(len(columns["id"]), object)

    time = np.ma.filled(np.ma.asarray(columns["time"], dtype=np.float64), np.nan)
    return Posts(column("id"), column("document"), column("author"), time, column("subject"),
                 column("shown") if "shown" in columns else None)


def load_posts(store: Any, kind: str) -> Posts:
    """Every comment and authored document as :class:`Posts` of network ``kind`` (see :mod:`.actions`)."""
    if kind in ("co-text", "co-link"):
        query = (_SOURCES["comments"].format(extra="text AS subject") + " UNION ALL "
                 + _SOURCES["documents"].format(extra="body AS subject"))
        return _posts(store, f"SELECT * FROM ({query})" + (f" WHERE {_LINK}" if kind == "co-link" else ""))
    if kind == "co-reply":
        return _posts(store, "SELECT c.id, c.document_id AS document, c.author, epoch(c.posted) AS time, "
                             "e.target_id AS subject, 'reply to ' || coalesce(p.author, 'anonymous') || ': ' || "
                             "left(regexp_replace(coalesce(p.text, ''), '\\s+', ' ', 'g'), 200) AS shown "
                             "FROM edges e JOIN comments c ON c.id = e.source_id "
                             "LEFT JOIN comments p ON p.id = e.target_id WHERE e.kind IN ('reply', 'reference')")
    if not _has_metadata(store):
        return Posts.of([])
    origin = "json_extract_string(m.data, '$.forwarded_from')"
    source = f"coalesce(json_extract_string(m.data, '$.forwarded_from_id'), {origin})"
    message, date = _first_of(_ORIGINAL_ID), _first_of(_ORIGINAL_DATE)
    # no id or date of the original (a Telegram Desktop export): the forwarded text tells originals apart
    text = "regexp_replace(trim(coalesce(t.said, '')), '\\s+', ' ', 'g')"
    extra = (f"{source} || chr(31) || coalesce({message}, {date}, 'text ' || md5({text})) AS subject, "
             f"'forwarded from ' || coalesce({origin}, {source}) || coalesce(' message ' || {message}, "
             f"' of ' || {date}, ': ' || left({text}, 200)) AS shown")
    said = {"comments": "text AS said", "documents": "body AS said"}
    parts = [f"SELECT t.id, t.document, t.author, t.time, {extra} FROM ({_SOURCES[table].format(extra=said[table])}) t "
             f"JOIN metadata m ON m.target_id = t.id AND m.target_type = '{target}' WHERE {source} IS NOT NULL"
             for table, target in (("comments", "comment"), ("documents", "document"))]
    return _posts(store, " UNION ALL ".join(parts))


def forward_notes(store: Any) -> list[str]:
    """Why a co-forward network may be empty: nothing in the store records a forward."""
    if _has_metadata(store) and store.db.execute(
            "SELECT count(*) FROM metadata WHERE json_extract_string(data, '$.forwarded_from') IS NOT NULL "
            "OR json_extract_string(data, '$.forwarded_from_id') IS NOT NULL").fetchone()[0]:
        return []
    return ["this store records no forwards (no forwarded_from in any metadata): read Telegram exports "
            "(narrascope ingest) to build co-forward"]


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
