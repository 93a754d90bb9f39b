"""Label Studio tasks of the corrected texts (``narrascope export --table corrections --format labelstudio``).

One task per text that an analyst corrected. ``data`` holds the text, its id, title and kind,
the analysts' names (``analysts``), the full correction history (``corrections``: action, author,
note, time, span and labels of each, oldest first; ``history``: the same in lines the labeling
config shows) and the review state (``review``). ``predictions`` hold the model's regions, one
prediction per model version, each with an overall ``score`` (the mean of its regions' scores).
``annotations`` hold one annotation per analyst: the regions as that analyst left them (confirmed,
relabelled or added; a rejected region is left out), notes as per-region ``note`` text, the
analyst's name in ``analyst`` and ``review``: ``complete`` when the analyst judged every region the
model found in the text, else ``partial`` (a region missing from a partial annotation is not judged, not wrong).
Analysts are names, never Label Studio users: ``completed_by`` carries an email only where the
name -> email map (``--annotators``) gives one, as Label Studio refuses emails it does not know.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.labelstudio.config import WHOLE_TEXT, vocabularies
from narrascope.web.corrections import added, rows, target_text

ANNOTATION_COLUMNS = ("id", "target_id", "target_type", "start_char", "end_char", "layer", "label", "score",
                      "producer", "producer_version", "data")


def is_whole_text(a: dict[str, Any], text: str) -> bool:
    """Whether ``a`` labels its whole text (a ``LAYER_text`` choice) rather than a span of it."""
    return (a["layer"] in WHOLE_TEXT and a["label"] != "toxic_span" and a["start_char"] <= 0
            and a["end_char"] >= len(text) and (a["layer"] != "toxicity" or a["target_type"] == "comment"))


def span(region_id: str, layer: str, start: int, end: int, text: str, label: str) -> dict[str, Any]:
    return {"id": region_id, "from_name": layer, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def choice(layer: str, labels: list[str]) -> dict[str, Any]:
    return {"id": f"{layer}_text", "from_name": f"{layer}_text", "to_name": "text", "type": "choices",
            "value": {"choices": labels}}


def model_annotations(store: Any, target: str, text: str) -> list[dict[str, Any]]:
    """The model's annotations of the text in layers that have labels, in text order."""
    found = store.execute(f"SELECT {', '.join(ANNOTATION_COLUMNS)} FROM annotations WHERE target_id = ? AND layer IN "
                          "(SELECT unnest(?)) ORDER BY start_char, end_char, layer, label, id",
                          [target, list(vocabularies())]).fetchall()
    out = [dict(zip(ANNOTATION_COLUMNS, r, strict=True)) for r in found]
    return [a for a in out if 0 <= a["start_char"] < a["end_char"] <= len(text) or is_whole_text(a, text)]


def predictions(model: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """One prediction per model version: its regions with their scores and its overall score (their mean)."""
    by_version: dict[str, list[dict[str, Any]]] = {}
    for a in model:
        by_version.setdefault(f"{a['producer'] or a['layer']} {a['producer_version'] or ''}".strip(), []).append(a)
    out = []
    for version, anns in by_version.items():
        result: list[dict[str, Any]] = []
        whole: dict[str, list[dict[str, Any]]] = {}
        for a in anns:
            if is_whole_text(a, text):
                whole.setdefault(a["layer"], []).append(a)
            else:
                result.append({**span(a["id"], a["layer"], a["start_char"], a["end_char"], text, a["label"]),
                               "score": a["score"]})
        for layer, chosen in whole.items():
            result.append({**choice(layer, sorted({a["label"] for a in chosen})),
                           "score": max((a["score"] or 0.0) for a in chosen)})
        scores = [a["score"] for a in anns if a["score"] is not None]
        out.append({"model_version": version, "score": round(sum(scores) / len(scores), 4) if scores else None,
                    "result": result})
    return out


def history_line(c: dict[str, Any], text: str) -> str:
    what = {"relabel": f"relabel {c['model_label']} -> {c['label']}", "add": f"add {c['label']}"}.get(
        c["action"], f"{c['action']} {c['label']}")
    quote = text[c["start_char"]:c["end_char"]]
    quote = quote if len(quote) <= 80 else quote[:77] + "..."
    note = f" | note: {c['note']}" if c["note"] else ""
    return f"{c['created_at']} | {c['author']} | {c['layer']}: {what} | {c['start_char']}-{c['end_char']} " \
           f"\"{quote}\"{note}"


def current(items: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Author -> annotation id -> that author's latest correction of it."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for c in items:  # oldest first: the latest wins
        out.setdefault(c["author"], {})[c["annotation_id"]] = c
    return out


def annotation(author: str, mine: dict[str, dict[str, Any]], regions: list[dict[str, Any]], text: str,
               annotators: dict[str, str]) -> dict[str, Any]:
    """One analyst's annotation: their regions as they left them, their notes, their name and the review state."""
    result: list[dict[str, Any]] = []
    whole: dict[str, list[str]] = {}
    for a in regions:
        c = mine.get(a["id"])
        if c is None or c["action"] == "reject":
            continue
        if is_whole_text(a, text):
            whole.setdefault(a["layer"], []).append(c["label"])
            continue
        result.append(span(a["id"], a["layer"], a["start_char"], a["end_char"], text, c["label"]))
        if c["note"]:
            result.append({"id": a["id"], "from_name": "note", "to_name": "text", "type": "textarea",
                           "value": {"start": a["start_char"], "end": a["end_char"], "text": [c["note"]]}})
    result += [choice(layer, sorted(set(labels))) for layer, labels in whole.items()]
    complete = all(a["id"] in mine for a in regions if not a.get("added"))
    result.append({"id": "analyst", "from_name": "analyst", "to_name": "text", "type": "textarea",
                   "value": {"text": [author]}})
    result.append({"id": "review", "from_name": "review", "to_name": "text", "type": "choices",
                   "value": {"choices": ["complete" if complete else "partial"]}})
    done = {"result": result, "was_cancelled": False, "ground_truth": False,
            "created_at": min(c["created_at"] for c in mine.values()),
            "updated_at": max(c["created_at"] for c in mine.values())}
    if annotators.get(author):
        done["completed_by"] = {"email": annotators[author]}
    return done


def task(store: Any, db: sqlite3.Connection, target: str, items: list[dict[str, Any]],
         annotators: dict[str, str]) -> dict[str, Any] | None:
    """The task of one corrected text (None when the store no longer holds the text)."""
    found = target_text(store, target)
    if found is None:
        return None
    kind, text = found
    model = model_annotations(store, target, text)
    regions = sorted(model + added(db, [target]), key=lambda a: (a["start_char"], a["end_char"], a["id"]))
    by_author = current(items)
    reviewed = {aid for mine in by_author.values() for aid in mine}
    unreviewed = [a["id"] for a in model if a["id"] not in reviewed]
    title = _title(store, target, kind)
    return {
        "data": {
            "text": text, "target_id": target, "target_type": kind, "title": title,
            "layers": sorted({a["layer"] for a in regions}), "analysts": sorted(by_author),
            "review": {"model_regions": len(model), "reviewed": len(model) - len(unreviewed),
                       "unreviewed": unreviewed,
                       "meaning": "a region missing from a 'partial' annotation was not judged by that analyst"},
            "corrections": [{k: c[k] for k in ("id", "annotation_id", "layer", "action", "model_label", "label",
                                                "author", "note", "created_at", "start_char", "end_char")}
                            for c in items],
            "history": "\n".join(history_line(c, text) for c in items),
        },
        "predictions": predictions(model, text),
        "annotations": [annotation(author, mine, regions, text, annotators) for author, mine in by_author.items()],
    }


def _title(store: Any, target: str, kind: str) -> str:
    if kind == "comment":
        row = store.execute("SELECT c.number, c.position, c.author, d.title FROM comments c JOIN documents d ON "
                            "d.id = c.document_id WHERE c.id = ?", [target]).fetchone()
        return f"comment #{row[0] or row[1]} by {row[2] or 'anonymous'} under {row[3] or '(untitled)'}"
    row = store.execute("SELECT title FROM documents WHERE id = ?", [target]).fetchone()
    return str(row[0] or "(untitled)")


def tasks(db: sqlite3.Connection, store: Any, annotators: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The tasks of every corrected text still in the store, in the order of their first correction."""
    by_target: dict[str, list[dict[str, Any]]] = {}
    for c in rows(db):
        by_target.setdefault(c["target_id"], []).append(c)
    built = (task(store, db, target, items, annotators or {}) for target, items in by_target.items())
    return [t for t in built if t is not None]


def read_annotators(path: str | None) -> dict[str, str]:
    """The analyst name -> Label Studio email map of ``--annotators`` (a JSON object), or none."""
    if path is None:
        return {}
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise NarrascopeError(f"{path}: cannot read the annotators map ({exc.strerror or exc})") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise NarrascopeError(f"{path}: the annotators map is not JSON ({exc})") from None
    if not isinstance(found, dict) or not all(isinstance(k, str) and isinstance(v, str) and "@" in v
                                               for k, v in found.items()):
        raise NarrascopeError(f'{path}: the annotators map must be a JSON object of analyst name -> email, '
                              f'like {{"Ana": "ana@desk.example"}}')
    return found


def write_json(found: list[dict[str, Any]], out: str | None) -> str | None:
    """The tasks as JSON, returned (``out`` None) or written to ``out``."""
    return write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", out, "the export")


def write_text(text: str, out: str | None, what: str) -> str | None:
    """``text`` returned (``out`` None) or written to ``out``; ``what`` names it in the error."""
    if out is None:
        return text
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NarrascopeError(f"{out}: cannot write {what} ({exc.strerror or exc})") from None
    return None
