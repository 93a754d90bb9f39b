"""Analysts' corrections of model annotations, kept beside the store and never over the model's rows.

A correction confirms, rejects or relabels one annotation (a technique span, a narrative,
a claim, a toxicity label), or adds a span the model missed; each is stored with its author
and time, the latest one wins in the views, and the model's annotation stays as it was in
the store. An added span gets an id of its own (``add-...``) that later corrections refer to.
Exported as a table (``narrascope export --table corrections``) or as Label Studio tasks
(``--format labelstudio``, :mod:`narrascope.labelstudio`), whose edits come back through
``narrascope import labelstudio``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from narrascope import registry
from narrascope.errors import NarrascopeError

ACTIONS = ("confirm", "reject", "relabel", "add")
COLUMNS = ("id", "annotation_id", "target_id", "target_type", "layer", "start_char", "end_char", "model_label",
           "model_score", "action", "label", "author", "note", "created_at")
#: labels a model gives that are no analyst's judgement (a text it could not read)
NOT_A_JUDGEMENT = ("unsupported",)
#: labels that say a text has nothing to mark: no span the model missed carries one
NOT_A_SPAN = ("normal",)


def layer_labels(layer: str) -> tuple[str, ...]:
    """Every label of ``layer`` an analyst may give, as its component declares them in the registry (empty: the
    layer has none to offer)."""
    for name in registry.components.names():
        component = registry.components.get(name)
        if getattr(component, "layer", "") != layer:
            continue
        labels = tuple(label.name for label in component.describe_labels() if label.name not in NOT_A_JUDGEMENT)
        if not labels and layer == "narratives":  # the taxonomy did not load: say why
            from narrascope.narratives.taxonomy import load_taxonomy

            try:
                load_taxonomy()
            except NarrascopeError as exc:
                raise NarrascopeError(f"the narrative taxonomy does not load, so no label can be checked: {exc}; "
                                      "fix the taxonomy file") from None
        return labels
    return ()


def span_labels(layer: str) -> tuple[str, ...]:
    """The labels the "add a span the model missed" forms offer for ``layer`` (a toxic span is hate speech,
    offensive or a toxic span, never "normal")."""
    return tuple(label for label in layer_labels(layer) if label not in NOT_A_SPAN)


def vocabulary(annotation: dict[str, Any]) -> tuple[str, ...]:
    """The labels a relabel of ``annotation`` may choose: its layer's own (empty: the layer has none to offer)."""
    labels = layer_labels(annotation["layer"])
    if annotation["layer"] == "toxicity":
        # a toxic span is a span or nothing (reject it); a comment's label is one of the model's classes
        spans = ("toxic_span",)
        return spans if annotation["label"] == "toxic_span" else tuple(x for x in labels if x not in spans)
    return labels


def check_text(**fields: str | None) -> None:
    """Refuse text that cannot be stored as UTF-8 (a lone surrogate from JSON, say)."""
    for name, value in fields.items():
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise NarrascopeError(f"{name} is not valid text (it holds a lone surrogate); send it as UTF-8") from None


def check_label(layer: str, label: str | None, allowed: tuple[str, ...], what: str = "relabel") -> str:
    """``label`` stripped, refused unless it is one of ``allowed`` (the labels of ``layer`` it may take)."""
    new_label = (label or "").strip()
    if not new_label:
        raise NarrascopeError(f"{what} needs the new label" if what == "relabel" else f"{what} needs the label")
    if new_label not in allowed:
        choices = ", ".join(allowed) if allowed else "none (confirm or reject it instead)"
        raise NarrascopeError(f"{new_label!r} is not a {layer} label; choose one of: {choices}"
                              + ("; to say it is not a claim, reject it" if layer == "claims" else ""))
    return new_label


def check(annotation: dict[str, Any], action: str, author: str, label: str | None = None,
          note: str | None = None) -> str:
    """Validate a correction of ``annotation`` before anything is written; return the label it records."""
    check_text(action=action, author=author, label=label, note=note)
    if action not in ACTIONS:
        raise NarrascopeError(f"{action!r} is not a correction; choose confirm, reject, relabel or add")
    if action == "add":
        raise NarrascopeError("add is a new span, not a correction of an annotation: give target_id, layer, label "
                              "and start and end (or the quoted words) instead of annotation_id")
    if not (author or "").strip():
        raise NarrascopeError("a correction needs the analyst's name (author)")
    if action != "relabel":
        return str(annotation["label"])
    return check_label(annotation["layer"], label, vocabulary(annotation))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add(db: sqlite3.Connection, annotation: dict[str, Any], action: str, author: str, label: str | None = None,
        note: str | None = None, created_at: str | None = None) -> dict[str, Any]:
    """Record one correction of ``annotation`` (a row of the store's annotations table, or an added span)."""
    new_label = check(annotation, action, author, label, note)
    model_label = None if annotation.get("added") else annotation["label"]
    return _insert(db, (annotation["id"], annotation["target_id"], annotation["target_type"], annotation["layer"],
                        annotation["start_char"], annotation["end_char"], model_label, annotation.get("score"),
                        action, new_label, author, note, created_at))


def _insert(db: sqlite3.Connection, row: tuple[Any, ...]) -> dict[str, Any]:
    *first, author, note, created_at = row
    row = (*first, (author or "").strip()[:200], (note or "")[:2000] or None, created_at or now())
    with db:
        cur = db.execute("INSERT INTO corrections (annotation_id, target_id, target_type, layer, start_char, "
                         "end_char, model_label, model_score, action, label, author, note, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    return dict(zip(COLUMNS, (cur.lastrowid, *row), strict=True))


def span_id(target_id: str, layer: str, start: int, end: int, label: str) -> str:
    """The id of a span an analyst added: the same span with the same label is the same id."""
    key = f"{target_id}\x00{layer}\x00{start}\x00{end}\x00{label}".encode()
    return "add-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16]


def target_text(cur: Any, target_id: str) -> tuple[str, str] | None:
    """``("document", body)`` or ``("comment", text)`` of a stored text, None if the store has no such text."""
    found = cur.execute("SELECT body FROM documents WHERE id = ?", [target_id]).fetchone()
    if found is not None:
        return "document", found[0] or ""
    found = cur.execute("SELECT text FROM comments WHERE id = ?", [target_id]).fetchone()
    return ("comment", found[0] or "") if found is not None else None


def locate(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int]:
    """The characters of ``quote`` in ``text`` (its ``occurrence``-th appearance, counted from 1)."""
    if not quote.strip():
        raise NarrascopeError("give the span as start and end, or as the quoted words")
    places: list[int] = []
    at = text.find(quote)
    while at >= 0 and len(places) < 1000:
        places.append(at)
        at = text.find(quote, at + 1)
    if not places:
        raise NarrascopeError(f"the words {quote[:80]!r} are not in the text; copy them exactly as shown")
    if occurrence is None and len(places) > 1:
        raise NarrascopeError(f"the words {quote[:80]!r} appear {len(places)} times in the text; say which "
                              f"(occurrence 1 to {len(places)}) or give start and end")
    n = occurrence or 1
    if not 1 <= n <= len(places):
        raise NarrascopeError(f"the words {quote[:80]!r} appear {len(places)} time(s); occurrence {n} is not one")
    return places[n - 1], places[n - 1] + len(quote)


def add_span(db: sqlite3.Connection, target: tuple[str, str, str], layer: str, start: int, end: int,
             label: str | None, author: str, note: str | None = None,
             created_at: str | None = None) -> dict[str, Any]:
    """Record a span the model missed: ``target`` is ``(target_id, target_type, text)``."""
    target_id, target_type, text = target
    check_text(layer=layer, label=label, author=author, note=note)
    if not (author or "").strip():
        raise NarrascopeError("a correction needs the analyst's name (author)")
    if not layer_labels(layer):
        raise NarrascopeError(f"no layer {layer!r} to add a span to; choose techniques, toxicity, narratives or "
                              "claims")
    new_label = check_label(layer, label, layer_labels(layer), "add")
    if not 0 <= start < end <= len(text):
        raise NarrascopeError(f"the span {start}-{end} is not inside the text ({len(text):,} characters): start "
                              "must be at least 0 and below end, end at most the text's length")
    return _insert(db, (span_id(target_id, layer, start, end, new_label), target_id, target_type, layer, start, end,
                        None, None, "add", new_label, author, note, created_at))


def new_span(cur: Any, db: sqlite3.Connection, target_id: str | None, layer: str | None, label: str | None,
             author: str, note: str | None = None, start: int | None = None, end: int | None = None,
             quote: str | None = None, occurrence: int | None = None) -> dict[str, Any]:
    """Add a span the model missed, given by characters or by the quoted words (LookupError: no such text)."""
    if not target_id or not layer:
        raise NarrascopeError("add needs target_id (the document or comment) and layer")
    found = target_text(cur, target_id)
    if found is None:
        raise LookupError(f"no document or comment {target_id!r}")
    kind, text = found
    if start is None or end is None:
        start, end = locate(text, quote or "", occurrence)
    return add_span(db, (target_id, kind, text), layer, start, end, label, author, note)


def added(db: sqlite3.Connection, target_ids: list[str]) -> list[dict[str, Any]]:
    """The spans analysts added to these texts, shaped like the store's annotations (``added`` true)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows(db, target_ids):
        if r["action"] == "add" and r["annotation_id"] not in out:
            out[r["annotation_id"]] = {
                "id": r["annotation_id"], "target_id": r["target_id"], "target_type": r["target_type"],
                "start_char": r["start_char"], "end_char": r["end_char"], "layer": r["layer"], "label": r["label"],
                "score": None, "producer": "analyst", "producer_version": None,
                "data": {"added_by": r["author"]}, "added": True}
    return sorted(out.values(), key=lambda a: (a["start_char"], a["end_char"], a["id"]))


def added_span(db: sqlite3.Connection, annotation_id: str) -> dict[str, Any] | None:
    """The added span with this id, shaped like an annotation (None: no analyst added it)."""
    found = db.execute("SELECT target_id FROM corrections WHERE annotation_id = ? AND action = 'add' LIMIT 1",
                       [annotation_id]).fetchone()
    if found is None:
        return None
    return next((a for a in added(db, [found[0]]) if a["id"] == annotation_id), None)


def rows(db: sqlite3.Connection, target_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """Corrections (of the given targets), oldest first."""
    sql = f"SELECT {', '.join(COLUMNS)} FROM corrections"
    params: list[Any] = []
    if target_ids is not None:
        if not target_ids:
            return []
        sql += f" WHERE target_id IN ({','.join('?' * len(target_ids))})"
        params = list(target_ids)
    return [dict(zip(COLUMNS, r, strict=True)) for r in db.execute(sql + " ORDER BY id", params)]


def latest(db: sqlite3.Connection, target_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Annotation id -> its latest correction."""
    return {r["annotation_id"]: r for r in rows(db, target_ids)}


def export(store: Any, side: str, format: str, out: str | None = None,
           annotators: dict[str, str] | None = None) -> str | None:
    """``narrascope export --table corrections``: jsonl, csv, parquet (through DuckDB) or labelstudio.

    ``annotators`` (labelstudio only) maps analysts' names to the Label Studio emails credited with their work.
    CSV cells are made safe for spreadsheets as in every CSV export (``narrascope.store.export.csv_safe_query``).
    """
    import duckdb

    from narrascope.store.export import EXPORT_FORMATS, copy_to, csv_safe_query

    if format not in (*EXPORT_FORMATS, "labelstudio"):
        raise NarrascopeError(f"no export format {format!r}; choose jsonl, csv, parquet or labelstudio")
    if not Path(side).exists():
        found: list[dict[str, Any]] = []
        db = None
    else:
        db = sqlite3.connect(side)
        found = rows(db) if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'corrections'").fetchone() else []
    try:
        if format == "labelstudio":
            from narrascope.labelstudio.tasks import tasks, write_json

            return write_json(tasks(db, store, annotators) if db and found else [], out)
    finally:
        if db is not None:
            db.close()
    mem = duckdb.connect()
    try:
        mem.execute("CREATE TABLE corrections (id BIGINT, annotation_id VARCHAR, target_id VARCHAR, "
                    "target_type VARCHAR, layer VARCHAR, start_char INTEGER, end_char INTEGER, model_label VARCHAR, "
                    "model_score DOUBLE, action VARCHAR, label VARCHAR, author VARCHAR, note VARCHAR, "
                    "created_at TIMESTAMPTZ)")
        if found:
            mem.executemany(f"INSERT INTO corrections VALUES ({','.join('?' * len(COLUMNS))})",
                            [[r[c] for c in COLUMNS] for r in found])
        query = "SELECT * FROM corrections ORDER BY id"
        return copy_to(mem, csv_safe_query(mem, query) if format == "csv" else query, format, out)
    finally:
        mem.close()
