"""``narrascope eval model --translated``: each layer's decisions on the same checks in several languages.

The checks are parallel: one item says one thing in English, Russian, Ukrainian and (mostly)
Belarusian, with the English gold decision (the files of ``evaluation/parallel/``, written for
narrascope; see the README there). Every text goes through the layer's registered component, as
``narrascope analyze`` runs it, so a language the model does not read answers ``unsupported``. Per
head and language a row counts the items the layer decided (anything but ``unsupported``), the
share whose decision equals the English text's decision under the same model, and the share that
matches the gold label (``accuracy``), beside ``baseline``: the accuracy of always giving the head's most
frequent gold decision. English comes first: its ``same_as_english`` is 1 by definition.

A decision is one label (toxicity: ``hatespeech`` / ``offensive`` / ``normal``; claims: ``claim`` /
``none``) or, for the multi-label layers, the sorted labels joined by ``+`` (narratives over the
whole text, techniques over every span) or ``none``. It is right when the gold label is among its labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from narrascope.errors import NarrascopeError
from narrascope.model import Comment, Document

CHECKS = Path(__file__).with_name("parallel")
COLUMNS = ("head", "data", "language", "items", "decided", "same_as_english", "accuracy", "baseline")
ITEM_COLUMNS = ("head", "id", "language", "gold", "decision", "english", "reason")
#: the order of the languages' rows; others follow in the order of their codes
FIRST = ("en", "ru", "uk", "be")
NONE, UNSUPPORTED = "none", "unsupported"


@dataclass(frozen=True)
class Head:
    """How one layer's annotations on an item become its decision."""

    #: the item is read as a comment (toxicity labels comments) rather than as an article body
    comment: bool = False
    #: only the annotations over the whole text count (narratives also annotate each sentence)
    whole: bool = False
    #: labels that describe parts of a decision rather than a decision (toxicity's spans)
    parts: tuple[str, ...] = ()


HEADS = {"claims": Head(), "narratives": Head(whole=True), "techniques": Head(),
         "toxicity": Head(comment=True, parts=("toxic_span",))}


@dataclass(frozen=True)
class Check:
    """One parallel item: its id, the English gold decision and its text in each language."""

    id: str
    gold: str
    texts: dict[str, str]


@dataclass(frozen=True)
class Decision:
    """A layer's decision on one text; ``reason`` says why it is ``unsupported``."""

    label: str
    reason: str | None = None

    @property
    def labels(self) -> list[str]:
        return self.label.split("+")


def gold_labels(head: str) -> set[str]:
    """The gold decisions an item of ``head`` may have."""
    from narrascope.narratives.taxonomy import load_taxonomy
    from narrascope.techniques.labels import TECHNIQUE_LABELS

    if head == "toxicity":
        return {"hatespeech", "offensive", "normal"}
    if head == "claims":
        return {"claim", NONE}
    if head == "narratives":
        return {n.id for n in load_taxonomy()} | {NONE}
    return {label.name for label in TECHNIQUE_LABELS} | {NONE}


def read_checks(path: Path = CHECKS) -> dict[str, list[Check]]:
    """Every head's checks in the ``*.yaml`` files of ``path`` (or the one file ``path``), by head.

    A file holds ``head``, ``languages`` (codes, English first), optionally ``also`` (languages only some
    items are written in) and ``items`` of ``id``, ``gold`` and one text per language. A broken file or
    item is an error naming it: checks that say less than they seem to would report wrong figures."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise NarrascopeError(f"{path}: no check files (*.yaml) in it")
    out: dict[str, list[Check]] = {}
    seen: set[str] = set()
    for file in files:
        try:
            spec = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise NarrascopeError(f"{file}: not a readable YAML check file ({exc})") from None
        head = spec.get("head") if isinstance(spec, dict) else None
        if head not in HEADS:
            raise NarrascopeError(f"{file}: `head` must be one of {', '.join(sorted(HEADS))}, not {head!r}")
        languages = spec.get("languages") or []
        if not languages or languages[0] != "en":
            raise NarrascopeError(f"{file}: `languages` must list the languages' codes, English (en) first")
        also = spec.get("also") or []
        known = gold_labels(head)
        for n, item in enumerate(spec.get("items") or []):
            name = item.get("id") if isinstance(item, dict) else repr(item)
            where = f"{file}: item {n + 1} ({name})"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise NarrascopeError(f"{where}: an item needs an `id`, `gold` and a text per language")
            if item["id"] in seen:
                raise NarrascopeError(f"{where}: the id is used twice; give each item its own")
            if item.get("gold") not in known:
                raise NarrascopeError(f"{where}: gold {item.get('gold')!r} is not a {head} decision")
            missing = [lang for lang in languages if not str(item.get(lang) or "").strip()]
            missing += [lang for lang in also if lang in item and not str(item[lang] or "").strip()]
            if missing:
                raise NarrascopeError(f"{where}: no text in {', '.join(missing)}")
            seen.add(item["id"])
            out.setdefault(head, []).append(Check(item["id"], item["gold"], {
                lang: str(item[lang]).strip() for lang in [*languages, *also] if lang in item}))
    return out


def decisions(head: str, texts: list[str], component: Any = None) -> list[Decision]:
    """The decision of ``head``'s registered component (or ``component``) on each text, in one batched run."""
    from narrascope.pipeline.component import get_component

    rule = HEADS[head]
    layer = component or get_component(head)
    docs = [Document(source=f"check-{k}", comments=[Comment(text, id=f"c{k}")]) if rule.comment
            else Document(source=f"check-{k}", body=text, id=f"d{k}") for k, text in enumerate(texts)]
    out = []
    for doc in layer.pipe(docs):
        mine = [a for a in doc.annotations if a.layer == layer.layer]
        labels = sorted({a.label for a in mine if a.label not in (UNSUPPORTED, *rule.parts)
                         and (not rule.whole or (a.data or {}).get("level") in ("document", "comment"))})
        reasons = [(a.data or {}).get("reason") for a in mine if a.label == UNSUPPORTED]
        if labels:
            out.append(Decision("+".join(labels)))
        else:
            out.append(Decision(UNSUPPORTED, "; ".join(r for r in reasons if r)) if reasons else Decision(NONE))
    return out


def languages_of(checks: list[Check]) -> list[str]:
    codes = {lang for c in checks for lang in c.texts}
    return [lang for lang in FIRST if lang in codes] + sorted(codes - set(FIRST))


def head_decisions(head: str, checks: list[Check], component: Any = None) -> dict[tuple[str, str], Decision]:
    """``(item id, language) -> decision`` for every text of ``checks``, in one batched run."""
    jobs = [(c, lang) for lang in languages_of(checks) for c in checks if lang in c.texts]
    return dict(zip(((c.id, lang) for c, lang in jobs),
                    decisions(head, [c.texts[lang] for c, lang in jobs], component), strict=True))


def head_rows(head: str, checks: list[Check], data: str, found: dict[tuple[str, str], Decision]
              ) -> list[dict[str, Any]]:
    """One row per language: items, decided, same decision as in English, right by the gold label."""
    golds = [c.gold for c in checks]
    majority = max(sorted(set(golds)), key=golds.count)
    rows = []
    for lang in languages_of(checks):
        mine = [c for c in checks if lang in c.texts]
        said = [found[c.id, lang] for c in mine]
        rows.append({
            "head": head, "data": data, "language": lang, "items": len(mine),
            "decided": sum(d.label != UNSUPPORTED for d in said),
            "same_as_english": _share([d.label == found[c.id, "en"].label for c, d in zip(mine, said, strict=True)]),
            "accuracy": _share([c.gold in d.labels for c, d in zip(mine, said, strict=True)]),
            "baseline": _share([c.gold == majority for c in mine])})
    return rows


def item_rows(head: str, checks: list[Check], found: dict[tuple[str, str], Decision]) -> list[dict[str, Any]]:
    """One row per item and language: the gold label, the decision, the English text's and why unsupported."""
    return [{"head": head, "id": c.id, "language": lang, "gold": c.gold, "decision": found[c.id, lang].label,
             "english": found[c.id, "en"].label, "reason": found[c.id, lang].reason}
            for lang in languages_of(checks) for c in checks if lang in c.texts]


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def translated_rows(heads: list[str] | None = None, path: Path | None = None,
                    items: bool = False) -> list[dict[str, Any]]:
    """The rows of every asked head (every head with checks when ``heads`` is empty), from ``path``'s checks:
    one per language (:data:`COLUMNS`), or with ``items`` one per item and language (:data:`ITEM_COLUMNS`)."""
    checks = read_checks(path or CHECKS)
    unknown = [h for h in heads or [] if h not in checks]
    if unknown:
        raise NarrascopeError(f"{path or CHECKS}: no translated checks for {', '.join(unknown)}; "
                              f"heads with checks: {', '.join(sorted(checks))}")
    data = "translated checks" if path is None else f"checks of {path.name}"
    rows = []
    for head in heads or sorted(checks):
        found = head_decisions(head, checks[head])
        rows += item_rows(head, checks[head], found) if items else head_rows(head, checks[head], data, found)
    return rows
