"""Label Studio's own JSON export back into corrections (``narrascope import labelstudio FILE --db PATH``).

Each annotation of a task exported by :mod:`narrascope.labelstudio.tasks` is one analyst's view of
the text: its author is the ``analyst`` field (else the ``completed_by`` email, through the reversed
``--annotators`` map). Compared with that analyst's latest corrections, a region kept with its
model label is a confirm, with another label a relabel, a new region an add, a region whose
boundaries moved a reject of the old one and an add of the new, and a region the analyst had
kept but removed in Label Studio a reject. In a ``complete`` annotation every model region it
lacks is rejected (spans other analysts added are not the model's: they stay as they are); in a
``partial`` one a region never judged stays unjudged. What already
matches the analyst's latest correction writes nothing, so importing the same file twice, or
the export of an untouched project, adds no correction.

A task that cannot come back (not a narrascope task, a text the store does not hold, a region
outside its text or with a label the layer does not have) is refused whole with a message naming
the file and the task; the other tasks are imported.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.labelstudio.config import WHOLE_TEXT, text_labels, vocabularies
from narrascope.labelstudio.tasks import is_whole_text, model_annotations
from narrascope.web import corrections as fixes

KEEP_NOTE = object()  # whole-text choices carry no note: compare labels only


class TaskError(ValueError):
    """One task cannot come back; the message says why."""


@dataclass
class Imported:
    """What one file gave: tasks read and imported, corrections written, and each refusal."""

    tasks: int = 0
    imported: int = 0
    written: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class View:
    """One Label Studio annotation, read: spans by region id, notes, whole-text choices, analyst, review."""

    spans: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)
    analyst: str = ""
    review: str = "partial"


def read_tasks(path: str) -> list[Any]:
    """The tasks of a Label Studio JSON export, or an error saying why the file is not one."""
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise NarrascopeError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise NarrascopeError(f"{path}: not a Label Studio JSON export (not UTF-8 text)") from None
    except ValueError as exc:
        raise NarrascopeError(f"{path}: not a Label Studio JSON export (not JSON: {exc})") from None
    if not isinstance(found, list):
        raise NarrascopeError(f"{path}: not a Label Studio JSON export (expected a list of tasks, found a "
                              f"{type(found).__name__}); export the project from Label Studio as JSON")
    return found


def when(annotation: dict[str, Any]) -> str | None:
    """The annotation's last change in Label Studio, as narrascope writes times (None: unknown)."""
    for key in ("updated_at", "created_at"):
        try:
            return datetime.fromisoformat(str(annotation[key])).astimezone(UTC).isoformat(timespec="seconds")
        except (KeyError, ValueError, TypeError):
            continue
    return None


def author(annotation: dict[str, Any], view: View, emails: dict[str, str]) -> str:
    """The analyst's name: the ``analyst`` field, else the email Label Studio credits, mapped back to a name."""
    if view.analyst:
        return view.analyst
    done_by = annotation.get("completed_by")
    email = done_by.get("email") if isinstance(done_by, dict) else None
    if isinstance(email, str) and email:
        return emails.get(email, email)
    raise TaskError("an annotation names no analyst: fill in 'analyst' in Label Studio (or export with "
                    "completed_by expanded to emails)")


def read_view(annotation: dict[str, Any], text: str, layers: dict[str, tuple[str, ...]]) -> View:
    """The regions of one annotation, each checked against the text and the layer's labels."""
    result = annotation.get("result")
    if not isinstance(result, list):
        raise TaskError("an annotation has no result list")
    view = View()
    for item in result:
        if isinstance(item, dict) and item.get("type") == "relation":
            continue  # narrascope's config draws no relations; one drawn anyway carries no label to bring back
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            raise TaskError(f"a result item is not a region with a value: {str(item)[:80]}")
        source, value, rid = item.get("from_name"), item["value"], str(item.get("id", ""))
        words = [str(w) for w in value.get("text") or []] if isinstance(value.get("text"), list) else []
        if source in layers:
            view.spans[rid] = _span(rid, source, value, text, layers[source])
        elif source == "note" and words:
            view.notes[rid] = "\n".join(words)
        elif source == "analyst":
            view.analyst = " ".join(words).strip()[:200]
        elif source == "review":
            view.review = "complete" if value.get("choices") == ["complete"] else "partial"
        elif isinstance(source, str) and source.removesuffix("_text") in WHOLE_TEXT and source.endswith("_text"):
            layer = source.removesuffix("_text")
            chosen = [str(c) for c in value.get("choices") or []]
            allowed = text_labels(layer, layers.get(layer, ()))
            wrong = [c for c in chosen if c not in allowed]
            if wrong:
                raise TaskError(f"{wrong[0]!r} is not a {layer} label of a whole text; choose one of: "
                                f"{', '.join(allowed)}")
            view.choices[layer] = chosen
        elif source != "note":
            raise TaskError(f"region {rid!r} comes from {source!r}, which is not a control of narrascope's "
                            "labeling config (narrascope export --format labelstudio --config)")
    return view


def _span(rid: str, layer: str, value: dict[str, Any], text: str, allowed: tuple[str, ...]) -> tuple[str, int, int,
                                                                                                        str]:
    try:
        start, end = int(value["start"]), int(value["end"])
    except (KeyError, TypeError, ValueError):
        raise TaskError(f"region {rid!r} has no start and end characters") from None
    if not 0 <= start < end <= len(text):
        raise TaskError(f"region {rid!r} at characters {start}-{end} is outside the text ({len(text):,} characters)")
    if "text" in value and value["text"] != text[start:end]:
        raise TaskError(f"region {rid!r} quotes {str(value['text'])[:60]!r} but the text at {start}-{end} is "
                        f"{text[start:end][:60]!r}: its offsets do not fit the stored text")
    labels = value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        raise TaskError(f"region {rid!r} has {len(labels) if isinstance(labels, list) else 'no'} labels; "
                        "narrascope records one label per region")
    if labels[0] not in allowed:
        raise TaskError(f"region {rid!r}: {str(labels[0])[:80]!r} is not a {layer} label; choose one of: "
                        f"{', '.join(allowed)}")
    return layer, start, end, str(labels[0])


class Analyst:
    """Brings one analyst's latest corrections of one text in line with their Label Studio annotation."""

    def __init__(self, db: sqlite3.Connection, target: tuple[str, str, str], model: list[dict[str, Any]],
                 name: str, at: str | None) -> None:
        self.db, self.target, self.name, self.at = db, target, name, at
        self.written = 0
        self.regions = {a["id"]: a for a in model + fixes.added(db, [target[0]])}
        self.mine = {c["annotation_id"]: c for c in fixes.rows(db, [target[0]]) if c["author"] == name}

    def state(self, aid: str) -> tuple[str, str | None] | str | None:
        c = self.mine.get(aid)
        if c is None:
            return None
        return "reject" if c["action"] == "reject" else (c["label"], c["note"])

    def want(self, a: dict[str, Any], label: str, note: Any = None) -> None:
        """``a`` should carry ``label`` (and ``note``) for this analyst."""
        st = self.state(a["id"])
        if isinstance(st, tuple) and st[0] == label and (note is KEEP_NOTE or st[1] == note):
            return
        action = "confirm" if label == a["label"] else "relabel"
        self._done(fixes.add(self.db, a, action, self.name, label, None if note is KEEP_NOTE else note, self.at))

    def reject(self, a: dict[str, Any]) -> None:
        if self.state(a["id"]) != "reject":
            self._done(fixes.add(self.db, a, "reject", self.name, None, None, self.at))

    def add(self, layer: str, start: int, end: int, label: str, note: Any = None) -> str:
        aid = fixes.span_id(self.target[0], layer, start, end, label)
        if aid in self.regions:
            self.want(self.regions[aid], label, note)
        else:
            row = fixes.add_span(self.db, self.target, layer, start, end, label, self.name,
                                 None if note is KEEP_NOTE else note, self.at)
            self._done(row)
            self.regions[aid] = {**row, "id": aid, "label": label, "added": True, "score": None}
        return aid

    def _done(self, row: dict[str, Any]) -> None:
        self.mine[row["annotation_id"]] = row
        self.written += 1

    def apply(self, view: View) -> int:
        text = self.target[2]
        seen: set[str] = set()
        for rid, (layer, start, end, label) in view.spans.items():
            a = self.regions.get(rid)
            note = view.notes.get(rid)
            if a is not None and a["layer"] == layer and not is_whole_text(a, text):
                seen.add(rid)
                if (a["start_char"], a["end_char"]) == (start, end):
                    self.want(a, label, note)
                    continue
                self.reject(a)  # its boundaries were moved: the model's span is not right as it is
            seen.add(self.add(layer, start, end, label, note))
        for a in list(self.regions.values()):
            if a["id"] in seen or is_whole_text(a, text):
                continue
            st = self.state(a["id"])
            if isinstance(st, tuple) or (st is None and view.review == "complete" and not a.get("added")):
                self.reject(a)  # kept before, removed now; or a model region missing from a complete review
        for layer, mode in WHOLE_TEXT.items():
            self.choose(layer, mode, view.choices.get(layer, []), view.review == "complete")
        return self.written

    def choose(self, layer: str, mode: str, chosen: list[str], complete: bool) -> None:
        """A whole-text choice: a single one relabels the model's label, several confirm, reject and add."""
        text = self.target[2]
        whole: list[dict[str, Any]] = [a for a in self.regions.values()
                                       if a["layer"] == layer and is_whole_text(a, text)]
        by_model = [a for a in whole if not a.get("added")]
        if mode == "single" and chosen and by_model:
            self.want(by_model[0], chosen[0], KEEP_NOTE)
            return
        handled: set[str] = set()
        for a in whole:
            st = self.state(a["id"])
            if isinstance(st, tuple):
                if st[0] in chosen:
                    handled.add(st[0])
                else:
                    self.reject(a)
            elif a["label"] in chosen:
                self.want(a, a["label"], KEEP_NOTE)
                handled.add(a["label"])
            elif complete and not a.get("added"):
                self.reject(a)
        for label in chosen:
            if label not in handled:
                self.add(layer, 0, len(text), label, KEEP_NOTE)


def import_task(store: Any, db: sqlite3.Connection, task: Any, layers: dict[str, tuple[str, ...]],
                emails: dict[str, str]) -> int:
    """Bring the corrections in line with one task's annotations; return how many were written."""
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise TaskError("not a Label Studio task (no 'data' object)")
    target = task["data"].get("target_id")
    if not isinstance(target, str) or not target:
        raise TaskError("not a narrascope task (its data has no target_id); only tasks exported by narrascope "
                        "export --format labelstudio come back")
    found = fixes.target_text(store, target)
    if found is None:
        raise TaskError(f"the store holds no document or comment {target!r}")
    kind, text = found
    if task["data"].get("text") != text:
        raise TaskError(f"its text is not the stored text of {target!r}, so its offsets would not fit")
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise TaskError("its annotations are not a list")
    done = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    views = [read_view(a, text, layers) for a in done]  # every region is checked before anything is written
    names = [author(a, v, emails) for a, v in zip(done, views, strict=True)]
    model = model_annotations(store, target, text)
    written = 0
    for a, view, name in zip(done, views, names, strict=True):
        written += Analyst(db, (target, kind, text), model, name, when(a)).apply(view)
    return written


def task_name(task: Any, n: int) -> str:
    """How a message names a task: its Label Studio id and narrascope text, else its place in the file."""
    if isinstance(task, dict):
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        tid = task.get("id")
        target = data.get("target_id") if isinstance(data, dict) else None
        return (f"task {tid}" if tid is not None else f"task #{n + 1}") + (f" ({target})" if target else "")
    return f"task #{n + 1}"


def import_file(path: str, store: Any, db: sqlite3.Connection, emails: dict[str, str] | None = None) -> Imported:
    """Import every task of one Label Studio JSON export; a task that cannot come back is named in ``errors``."""
    found = read_tasks(path)
    layers = vocabularies()
    out = Imported(tasks=len(found))
    for n, task in enumerate(found):
        try:  # every region of a task is checked before any of its corrections is written
            out.written += import_task(store, db, task, layers, emails or {})
            out.imported += 1
        except (TaskError, NarrascopeError) as exc:
            out.errors.append(f"{path}: {task_name(task, n)}: {exc}")
    return out
