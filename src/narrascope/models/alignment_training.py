"""``narrascope train multilingual-align``: fit and choose the cross-lingual alignment (translate-train).

Data: the parallel items of ``training/translate-train/*.yaml`` (the format of ``evaluation/parallel``: one item
says one thing in English, Russian, Ukrainian and Belarusian; written for narrascope, see the README there). An
item goes to the validation part when the salted sha256 of its id falls in the first quarter
(:func:`validation_item`), to the fitting part otherwise; whole items, so no translation of a validation
item is fitted on.

Candidates (:data:`CANDIDATES`): no map; the mean shift alone; the mean shift and a ridge map (``ridge`` in
:data:`RIDGES`); each per language or one map shared by the three languages. Each is fitted on every
fitting item of every head. The rule (written before any figure, in the model card): the candidate whose
validation items in Russian and Ukrainian get the English text's decision most often, over the narratives,
techniques and toxicity heads together (toxicity read with its multilingual head on), through the layers'
registered components as ``narrascope eval model --translated --checks`` reads them; ties go to the simpler
candidate (earlier in :data:`CANDIDATES`). It is written to ``OUT/alignment.npz`` with the layers it gains on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.evaluation.translated import Check, head_decisions, read_checks
from narrascope.models import crosslingual
from narrascope.models.alignment import Alignment, fit

SALT = "narrascope-translate-train"
LANGUAGES = ("ru", "uk", "be")
SCORED = ("ru", "uk")
HEADS = ("narratives", "techniques", "toxicity")
RIDGES = (0.3, 1.0, 10.0, 100.0)
#: ``(name, per_language, ridge)``: ridge ``None`` is the mean shift alone; the first is no map at all
CANDIDATES: tuple[tuple[str, bool, float | None], ...] = (
    ("none", False, None), ("shift-shared", False, None), ("shift-per-language", True, None),
    *((f"ridge{r:g}-shared", False, r) for r in RIDGES), *((f"ridge{r:g}-per-language", True, r) for r in RIDGES))
VERSION = "translate-train-alignment-1"


def validation_item(item_id: str) -> bool:
    """Whether the parallel item ``item_id`` belongs to the validation quarter (salted sha256 of its id)."""
    return hashlib.sha256(f"{SALT}:{item_id}".encode()).digest()[0] < 64


def parts(checks: dict[str, list[Check]]) -> tuple[dict[str, list[Check]], dict[str, list[Check]]]:
    """``(fitting, validation)`` items by head."""
    fitting = {h: [c for c in items if not validation_item(c.id)] for h, items in checks.items()}
    validation = {h: [c for c in items if validation_item(c.id)] for h, items in checks.items()}
    return fitting, validation


def fit_alignment(encoder: Any, items: list[Check], per_language: bool, ridge: float | None,
                  meta: dict[str, Any]) -> Alignment:
    """The map of one candidate fitted on ``items`` (every pair of an English text and its translation)."""
    shift, centre, weights = {}, {}, {}
    pairs = {lang: [c for c in items if lang in c.texts] for lang in LANGUAGES}
    own = {lang: encoder.encode([c.texts[lang] for c in pairs[lang]]) for lang in LANGUAGES}
    english = {lang: encoder.encode([c.texts["en"] for c in pairs[lang]]) for lang in LANGUAGES}
    if not per_language:
        shared = fit(np.concatenate([own[lang] for lang in LANGUAGES]),
                     np.concatenate([english[lang] for lang in LANGUAGES]), ridge)
    for lang in LANGUAGES:
        shift[lang], centre[lang], weights[lang] = fit(own[lang], english[lang], ridge) if per_language else shared
    return Alignment(shift, centre, weights, meta)


@contextlib.contextmanager
def aligned_by(path: Path | None) -> Iterator[None]:
    """Within the block the layers read through the alignment at ``path`` (None: no alignment)."""
    before = crosslingual.ALIGNMENT
    crosslingual.ALIGNMENT = path
    crosslingual._alignment.cache_clear()  # a candidate file may have been rewritten at the same path
    try:
        yield
    finally:
        crosslingual.ALIGNMENT = before
        crosslingual._alignment.cache_clear()


def component(head: str, threads: int) -> Any:
    from narrascope.pipeline.component import get_component

    return get_component(head, threads=threads, **({"multilingual": True} if head == "toxicity" else {}))


def agreement(checks: dict[str, list[Check]], threads: int) -> dict[str, dict[str, int]]:
    """Per head and language: how many items get the English text's decision, of how many."""
    out: dict[str, dict[str, int]] = {}
    for head in HEADS:
        items = checks.get(head, [])
        if not items:
            continue
        found = head_decisions(head, items, component(head, threads))
        for lang in LANGUAGES:
            mine = [c for c in items if lang in c.texts]
            out.setdefault(head, {})[lang] = sum(found[c.id, lang].label == found[c.id, "en"].label for c in mine)
            out[head][f"{lang}_items"] = len(mine)
    return out


def refit_head(layer: str, items: list[Check], validation: dict[str, list[Check]], out: Path,
               threads: int) -> dict[str, Any]:
    """The shipped head of ``layer`` refitted on ``items`` for each rho of
    :data:`~narrascope.models.translate_train.RHOS` (:func:`~narrascope.models.translate_train.refit`); the one
    whose Russian and Ukrainian validation items of ``layer`` agree with English most often is written to
    ``out/LAYER.npz`` when it beats the shipped head (ties keep the shipped head)."""
    from narrascope.models import translate_train as tt

    if not validation.get(layer) or not items:
        return {"chosen": "shipped", "skipped": "no fitting or no validation items for this head"}
    shipped = tt.load_head(layer, crosslingual.heads_file(layer))
    targets = tt.teacher_targets(layer, items, shipped["labels"], threads)
    x, y = tt.rows(crosslingual.layer_encoder(layer, threads), items, targets)
    if shipped["kind"] == "softmax":
        keep = y.sum(axis=1) == 1
        x, y = x[keep], y[keep]
    only = {layer: validation.get(layer, [])}
    results = {"shipped": sum(agreement(only, threads)[layer][lang] for lang in SCORED)}
    for rho in tt.RHOS:
        path = out / f"candidate-{layer}-{rho:g}.npz"
        w, b = tt.refit(shipped["w"], shipped["b"], x, y, rho, shipped["kind"])
        tt.save_head(layer, shipped, w, b, tt.summary(rho, len(items), len(x)), path)
        crosslingual.HEAD_OVERRIDES[layer] = path
        try:
            results[f"{rho:g}"] = sum(agreement(only, threads)[layer][lang] for lang in SCORED)
        finally:
            crosslingual.HEAD_OVERRIDES.pop(layer, None)
    best = max(results, key=lambda k: results[k])  # the first of equal counts: the shipped head
    for rho in tt.RHOS:
        path = out / f"candidate-{layer}-{rho:g}.npz"
        if f"{rho:g}" == best:
            path.replace(out / f"{layer}.npz")
        path.unlink(missing_ok=True)
    return {"validation_ru_uk_same_as_english": results, "chosen": best, "rows": len(x),
            "validation_items": len(only[layer])}


def toxicity_rule(validation: dict[str, list[Check]], threads: int) -> dict[str, Any]:
    """The model card's rule for turning the toxicity head on, with the heads and map as they now are."""
    items = validation.get("toxicity", [])
    found = head_decisions("toxicity", items, component("toxicity", threads))
    said = [(c, lang) for c in items for lang in SCORED if lang in c.texts]
    same = sum(found[c.id, lang].label == found[c.id, "en"].label for c, lang in said) / max(len(said), 1)
    normal = [(c, lang) for c, lang in said if found[c.id, "en"].label == "normal"]
    flagged = sum(found[c.id, lang].label in ("hatespeech", "offensive") for c, lang in normal) / max(len(normal), 1)
    return {"same_as_english": round(same, 4), "flagged_english_normal": round(flagged, 4),
            "texts": len(said), "english_normal_texts": len(normal), "on": same >= 0.8 and flagged <= 0.1}


def score(found: dict[str, dict[str, int]]) -> int:
    return sum(found[h][lang] for h in found for lang in SCORED)


def train(parallel: Path, out: Path, threads: int = 2) -> dict[str, Any]:
    """Fit every candidate, score each on the validation items, write the chosen one to ``out/alignment.npz``."""
    start = time.monotonic()
    checks = read_checks(parallel)
    fitting, validation = parts(checks)
    fit_items = [c for h in HEADS for c in fitting.get(h, [])]
    base = crosslingual.encoder(threads)
    out.mkdir(parents=True, exist_ok=True)
    tried: dict[str, Any] = {}
    for name, per_language, ridge in CANDIDATES:
        path = None
        if name != "none":
            meta = {"version": VERSION, "candidate": name, "ridge": ridge, "per_language": per_language,
                    "layers": list(HEADS), "cyrillic_fallback": "ru"}
            path = out / f"candidate-{name}.npz"
            fit_alignment(base, fit_items, per_language, ridge, meta).save(path)
        with aligned_by(path):
            found = agreement(validation, threads)
        tried[name] = {"score": score(found), "by_head": found}
    best = max(tried, key=lambda n: tried[n]["score"])  # max keeps the first of equal scores: the simpler
    none = tried["none"]["by_head"]
    gains = [h for h in HEADS if h in none and sum(tried[best]["by_head"][h][lang] for lang in SCORED)
             > sum(none[h][lang] for lang in SCORED)]
    report: dict[str, Any] = {
        "chosen": best, "layers": gains, "tried": tried, "trunk": crosslingual.trunk_config().get("version"),
        "items": {h: {"fit": len(fitting.get(h, [])), "validation": len(validation.get(h, []))} for h in checks},
        "seconds": 0.0}
    aligned = None
    if best != "none" and gains:
        chosen = Alignment.load(out / f"candidate-{best}.npz")
        aligned = out / "alignment.npz"
        Alignment(chosen.shift, chosen.centre, chosen.weights,
                  {**chosen.meta, "layers": gains, "fit_items": len(fit_items),
                   "validation_same_as_english": tried[best]["score"],
                   "validation_same_as_english_without": tried["none"]["score"]}).save(aligned)
    for name, *_ in CANDIDATES:
        (out / f"candidate-{name}.npz").unlink(missing_ok=True)
    with aligned_by(aligned):
        report["heads"] = {layer: refit_head(layer, fit_items, validation, out, threads) for layer in HEADS}
        if (out / "toxicity.npz").is_file():
            crosslingual.HEAD_OVERRIDES["toxicity"] = out / "toxicity.npz"
        try:
            report["toxicity_on"] = toxicity_rule(validation, threads)
        finally:
            crosslingual.HEAD_OVERRIDES.pop("toxicity", None)
    report["seconds"] = round(time.monotonic() - start, 1)
    (out / "alignment.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report
