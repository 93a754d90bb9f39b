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


def add(db: sqlite3.Connection, annotation: dict[str, Any], action: str, author: str, label: str | None = None,
        note: str | None = None) -> dict[str, Any]:
    """Record one correction of ``annotation`` (a row of the store's annotations table)."""
    author = (author or "").strip()
    if action not in ACTIONS:
        raise NarrascopeError(f"{action!r} is not a correction; choose confirm, reject or relabel")
    if not author:
        raise NarrascopeError("a correction needs the analyst's name (author)")
    new_label = (label or "").strip() if action == "relabel" else annotation["label"]
    if not new_label:
        raise NarrascopeError("relabel needs the new label")
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
    """Label Studio tasks, one per corrected text: the model's spans as predictions, corrected ones as annotations.

    Only span layers (techniques, toxicity spans, claims, narratives) of corrected targets are exported;
    a rejected span is left out of the annotation, a relabelled one carries the analyst's label.
    """
    corrected = rows(db)
    by_target: dict[str, list[dict[str, Any]]] = {}
    for c in corrected:
        by_target.setdefault(c["target_id"], []).append(c)
    tasks = []
    for target, items in by_target.items():
        table = "comments" if items[0]["target_type"] == "comment" else "documents"
        column = "text" if table == "comments" else "body"
        found = store.execute(f"SELECT {column} FROM {table} WHERE id = ?", [target]).fetchone()
        if found is None:
            continue
        text = found[0]
        layers = sorted({c["layer"] for c in items})
        model = store.execute(
            "SELECT id, start_char, end_char, layer, label, score FROM annotations WHERE target_id = ? "
            "AND layer IN (SELECT unnest(?)) ORDER BY start_char, end_char", [target, layers]).fetchall()
        last = {c["annotation_id"]: c for c in items}

        def region(a: tuple[Any, ...], label: str, text: str = text) -> dict[str, Any]:
            return {"id": a[0], "from_name": a[3], "to_name": "text", "type": "labels",
                    "value": {"start": a[1], "end": a[2], "text": text[a[1]:a[2]], "labels": [label]}}

        kept = [region(a, last[a[0]]["label"] if a[0] in last else a[4]) for a in model
                if last.get(a[0], {}).get("action") != "reject"]
        tasks.append({
            "data": {"text": text, "target_id": target, "target_type": items[0]["target_type"]},
            "predictions": [{"model_version": "narrascope", "result": [
                {**region(a, a[4]), "score": a[5]} for a in model]}],
            "annotations": [{"completed_by": {"email": items[-1]["author"]}, "created_at": items[-1]["created_at"],
                             "result": kept}],
        })
    return tasks


def export(store: Any, side: str, format: str, out: str | None = None) -> str | None:
    """``narrascope export --table corrections``: jsonl, csv, parquet (through DuckDB) or labelstudio."""
    import duckdb

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
            Path(out).write_text(text, encoding="utf-8")
            return None
    finally:
        if db is not None:
            db.close()
    options = {"jsonl": "FORMAT json", "csv": "FORMAT csv, HEADER", "parquet": "FORMAT parquet"}
    if format not in options:
        raise NarrascopeError(f"no export format {format!r}; choose jsonl, csv, parquet or labelstudio")
    mem = duckdb.connect()
    mem.execute("CREATE TABLE corrections (id BIGINT, annotation_id VARCHAR, target_id VARCHAR, target_type VARCHAR, "
                "layer VARCHAR, start_char INTEGER, end_char INTEGER, model_label VARCHAR, model_score DOUBLE, "
                "action VARCHAR, label VARCHAR, author VARCHAR, note VARCHAR, created_at TIMESTAMPTZ)")
    if found:
        mem.executemany(f"INSERT INTO corrections VALUES ({','.join('?' * len(COLUMNS))})",
                        [[r[c] for c in COLUMNS] for r in found])
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = out or str(Path(tmp) / f"corrections.{format}")
        if out is None and format == "parquet":
            raise NarrascopeError("parquet is binary: give a file with --out")
        escaped = path.replace("'", "''")
        mem.execute(f"COPY (SELECT * FROM corrections ORDER BY id) TO '{escaped}' ({options[format]})")
        mem.close()
        return None if out else Path(path).read_text(encoding="utf-8")
