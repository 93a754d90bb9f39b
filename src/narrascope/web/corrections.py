"""Analysts' corrections of model annotations, kept beside the store and never over the model's rows.

A correction confirms, rejects or relabels one annotation (a technique span, a narrative,
a claim, a toxicity label); each is stored with its author and time, the latest one wins
in the views, and the model's annotation stays as it was in the store. Exported as a table
(``narrascope export --table corrections``) or as Label Studio tasks (``--format labelstudio``).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError

ACTIONS = ("confirm", "reject", "relabel")
COLUMNS = ("id", "annotation_id", "target_id", "target_type", "layer", "start_char", "end_char", "model_label",
           "model_score", "action", "label", "author", "note", "created_at")


def vocabulary(annotation: dict[str, Any]) -> tuple[str, ...]:
    """The labels a relabel of ``annotation`` may choose: its layer's own (empty: the layer has none to offer)."""
    layer = annotation["layer"]
    if layer == "techniques":
        from narrascope.techniques import TECHNIQUES

        return TECHNIQUES
    if layer == "toxicity":
        from narrascope.toxicity.data import LABELS

        # a toxic span is a span or nothing (reject it); a comment's label is one of the model's classes
        return ("toxic_span",) if annotation["label"] == "toxic_span" else LABELS
    if layer == "narratives":
        from narrascope.narratives.taxonomy import load_taxonomy

        try:
            return tuple(sorted(n.id for n in load_taxonomy()))
        except NarrascopeError as exc:
            raise NarrascopeError(f"the narrative taxonomy does not load, so no relabel can be checked: {exc}; "
                                  "fix the taxonomy file") from None
    if layer == "claims":
        return ("claim",)  # the layer's only label: a sentence that is not a claim is rejected
    return ()


def check_text(**fields: str | None) -> None:
    """Refuse text that cannot be stored as UTF-8 (a lone surrogate from JSON, say)."""
    for name, value in fields.items():
        try:
            (value or "").encode("utf-8")
        except UnicodeEncodeError:
            raise NarrascopeError(f"{name} is not valid text (it holds a lone surrogate); send it as UTF-8") from None


def check(annotation: dict[str, Any], action: str, author: str, label: str | None = None,
          note: str | None = None) -> str:
    """Validate a correction of ``annotation`` before anything is written; return the label it records."""
    check_text(action=action, author=author, label=label, note=note)
    if action not in ACTIONS:
        raise NarrascopeError(f"{action!r} is not a correction; choose confirm, reject or relabel")
    if not (author or "").strip():
        raise NarrascopeError("a correction needs the analyst's name (author)")
    if action != "relabel":
        return str(annotation["label"])
    new_label = (label or "").strip()
    if not new_label:
        raise NarrascopeError("relabel needs the new label")
    allowed = vocabulary(annotation)
    if new_label not in allowed:
        choices = ", ".join(allowed) if allowed else "none (confirm or reject it instead)"
        raise NarrascopeError(f"{new_label!r} is not a {annotation['layer']} label; choose one of: {choices}"
                              + ("; to say it is not a claim, reject it" if annotation["layer"] == "claims" else ""))
    return new_label


def add(db: sqlite3.Connection, annotation: dict[str, Any], action: str, author: str, label: str | None = None,
        note: str | None = None) -> dict[str, Any]:
    """Record one correction of ``annotation`` (a row of the store's annotations table)."""
    new_label = check(annotation, action, author, label, note)
    author = (author or "").strip()
    row = (annotation["id"], annotation["target_id"], annotation["target_type"], annotation["layer"],
           annotation["start_char"], annotation["end_char"], annotation["label"], annotation.get("score"), action,
           new_label, author[:200], (note or "")[:2000] or None, datetime.now(UTC).isoformat(timespec="seconds"))
    with db:
        cur = db.execute("INSERT INTO corrections (annotation_id, target_id, target_type, layer, start_char, "
                         "end_char, model_label, model_score, action, label, author, note, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    return dict(zip(COLUMNS, (cur.lastrowid, *row), strict=True))


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


def label_studio(db: sqlite3.Connection, store: Any) -> list[dict[str, Any]]:
    """Label Studio tasks, one per corrected text: model regions as predictions, analysts' decisions as annotations.

    ``predictions`` hold the model's regions of the corrected layers as the model produced them.
    ``annotations`` hold only regions an analyst reviewed: one annotation per analyst, credited to
    them (``completed_by``), with the regions whose latest correction is theirs, confirmed (the
    model's label) or relabelled (the analyst's); rejected regions and unreviewed model output are
    left out. Spans use a ``labels`` control named after the layer (``techniques``, ``toxicity``);
    a label of the whole text (a comment's toxicity class, a document's narrative) uses a
    ``choices`` control named ``LAYER_text`` (``toxicity_text``).
    """
    corrected = rows(db)
    by_target: dict[str, list[dict[str, Any]]] = {}
    for c in corrected:
        by_target.setdefault(c["target_id"], []).append(c)
    tasks: list[dict[str, Any]] = []
    for target, items in by_target.items():
        table = "comments" if items[0]["target_type"] == "comment" else "documents"
        column = "text" if table == "comments" else "body"
        found = store.execute(f"SELECT {column} FROM {table} WHERE id = ?", [target]).fetchone()
        if found is None:
            continue
        text = found[0] or ""
        layers = sorted({c["layer"] for c in items})
        model = store.execute(
            "SELECT id, start_char, end_char, layer, label, score FROM annotations WHERE target_id = ? "
            "AND layer IN (SELECT unnest(?)) ORDER BY start_char, end_char", [target, layers]).fetchall()

        def region(a: tuple[Any, ...], label: str, text: str = text) -> dict[str, Any]:
            if a[1] <= 0 and a[2] >= len(text) and a[4] != "toxic_span":  # a label of the whole text
                return {"id": a[0], "from_name": f"{a[3]}_text", "to_name": "text", "type": "choices",
                        "value": {"choices": [label]}}
            return {"id": a[0], "from_name": a[3], "to_name": "text", "type": "labels",
                    "value": {"start": a[1], "end": a[2], "text": text[a[1]:a[2]], "labels": [label]}}

        latest = {c["annotation_id"]: c for c in items}  # oldest first: the latest correction wins
        by_author: dict[str, list[dict[str, Any]]] = {}
        for c in latest.values():
            if c["action"] != "reject":
                by_author.setdefault(c["author"], []).append(c)
        annotations: list[dict[str, Any]] = []
        for author, mine in by_author.items():
            mine.sort(key=lambda c: (c["start_char"], c["end_char"], c["id"]))
            annotations.append({
                "completed_by": {"email": author}, "created_at": max(c["created_at"] for c in mine),
                "result": [region((c["annotation_id"], c["start_char"], c["end_char"], c["layer"], c["model_label"]),
                                  c["label"]) for c in mine]})
        tasks.append({
            "data": {"text": text, "target_id": target, "target_type": items[0]["target_type"]},
            "predictions": [{"model_version": "narrascope", "result": [
                {**region(a, a[4]), "score": a[5]} for a in model]}],
            "annotations": sorted(annotations, key=lambda done: done["created_at"]),
        })
    return tasks


def export(store: Any, side: str, format: str, out: str | None = None) -> str | None:
    """``narrascope export --table corrections``: jsonl, csv, parquet (through DuckDB) or labelstudio.

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
            text = json.dumps(label_studio(db, store) if db and found else [], ensure_ascii=False, indent=1) + "\n"
            if out is None:
                return text
            try:
                Path(out).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise NarrascopeError(f"{out}: cannot write the export ({exc.strerror or exc})") from None
            return None
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
