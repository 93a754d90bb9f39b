"""Version 5's candidate: the network, the n-gram model and the multilingual e5 head, two weights on validation.

``P = (1 - a - b) * P(network) + a * P(n-gram) + b * P(e5 head)`` for every point of :data:`GRID`, all
scored in one run on HateXplain's validation tenth (macro-F1, AUROC) and the functional validation
templates (accuracy). The rule written before any figure (the toxicity model card, "Version 5
candidate ... the decision rule"): a point is eligible when its HateXplain macro-F1 is not below the
network's (a = b = 0) and its functional accuracy is higher; eligible points are ordered by the sum of
the two (ties: the smaller a + b, then the smaller a) (:func:`order_points`), and the first five in that
order get a model directory each with recalibrated thresholds (:func:`build_grid`), for the shared-thread
masking count and the acceptance tests, which are run outside (they need the model in the package).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

STEPS = tuple(round(0.05 * i, 2) for i in range(9))  # 0.0 ... 0.4
GRID = tuple((a, b) for a in STEPS for b in STEPS if a + b <= 0.6 + 1e-9)  # (0, 0): the network alone
WALKED = 5  # at most this many eligible points, in order, go to the masking count and the acceptance tests
MULTILINGUAL_ENTRY = {"weight": 0.0}  # the shipped head (models/multilingual/toxicity.npz) through the trunk


def grid_rows(network: dict[str, Any], ngram: dict[str, Any], e5: dict[str, Any], hx_gold: list[int],
              flagged: list[bool], supported: list[bool]) -> list[dict[str, Any]]:
    """Per point of :data:`GRID`: HateXplain validation macro-F1 and AUROC, functional validation accuracy.

    Each dict holds the class probability rows of the ``hx`` posts and the ``functional`` cases; a
    functional case the network left unsupported is wrong at every point (it gets no label)."""
    from narrascope.toxicity.blend import mix_scores
    from narrascope.toxicity.evaluation import auroc, macro_f1

    rows = []
    for a, b in GRID:
        hx = mix_scores(network["hx"], [(ngram["hx"], a), (e5["hx"], b)])
        fn = mix_scores(network["functional"], [(ngram["functional"], a), (e5["functional"], b)])
        right = [ok and (row.argmax() != 2) == gold for row, gold, ok in zip(fn, flagged, supported, strict=True)]
        rows.append({"ngram_weight": a, "multilingual_weight": b,
                     "hx_macro_f1": macro_f1(hx_gold, [int(r.argmax()) for r in hx]),
                     "hx_auroc": auroc([g != 2 for g in hx_gold], [1.0 - r[2] for r in hx]),
                     "functional_accuracy": float(sum(right)) / max(1, len(right))})
    alone = rows[0]
    for row in rows:
        row["eligible"] = bool((row["ngram_weight"] or row["multilingual_weight"])
                               and row["hx_macro_f1"] >= alone["hx_macro_f1"]
                               and row["functional_accuracy"] > alone["functional_accuracy"])
    return rows


def order_points(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The eligible rows, highest HateXplain macro-F1 + functional accuracy first (ties: smaller a + b, then a)."""
    return sorted((r for r in rows if r["eligible"]),
                  key=lambda r: (-round(r["hx_macro_f1"] + r["functional_accuracy"], 9),
                                 round(r["ngram_weight"] + r["multilingual_weight"], 9), r["ngram_weight"]))


def blend_entry(a: float, b: float, ngram_file: str) -> dict[str, Any]:
    """The ``blend`` of a model's ``config.json`` for the point (a, b)."""
    entry: dict[str, Any] = {"file": ngram_file, "weight": a} if a else {}
    if b:
        entry["multilingual"] = dict(MULTILINGUAL_ENTRY, weight=b)
    return entry


def point_name(position: int, row: dict[str, Any]) -> str:
    return f"{position}-a{row['ngram_weight']:.2f}-b{row['multilingual_weight']:.2f}"


def build_grid(data: str | Path, out: str | Path, templates: str | Path, base: str | Path | None = None,
               version: str = "5", threads: int = 1, chosen: int = 1) -> dict[str, Any]:
    """Fit the n-gram model, score every grid point on validation data, write the walk's model directories.

    ``out/points/<position>-a<a>-b<b>/`` holds the first :data:`WALKED` points in order (recalibrated
    thresholds), ``out`` itself the point at position ``chosen`` (1: the first in order; the network alone
    when none is eligible), and ``out/validation.json`` the grid, the order and each walked point's thresholds.
    """
    from narrascope.toxicity import multilingual
    from narrascope.toxicity.blend import NgramClassifier
    from narrascope.toxicity.blend_training import NGRAM_FILE, _parts, network_scores, write_model_dir
    from narrascope.toxicity.functional import cases, parse
    from narrascope.toxicity.inference import MODEL_DIR, ToxicityModel

    data, out, templates = Path(data), Path(out), Path(templates)
    base = Path(base) if base else MODEL_DIR
    parts = _parts(data, base, templates)
    ngram = NgramClassifier().fit(parts["hx_train"] + parts["functional"])
    held = cases(parse(templates), "validation")
    hx_texts, fn_texts = [ex.text for ex in parts["hx_val"]], [c.text for c in held]
    network = ToxicityModel(base, threads=threads)
    hx_results, fn_results = network.predict(hx_texts), network.predict(fn_texts)
    e5 = multilingual.load(threads)
    rows = grid_rows(
        {"hx": network_scores(hx_results), "functional": network_scores(fn_results)},
        {"hx": ngram.predict_proba(hx_texts), "functional": ngram.predict_proba(fn_texts)},
        {"hx": e5.class_probabilities(hx_texts), "functional": e5.class_probabilities(fn_texts)},
        [ex.hard_label if ex.hard_label is not None else 2 for ex in parts["hx_val"]],
        [c.flagged for c in held], [r.label is not None for r in fn_results])
    order = order_points(rows)
    walked = []
    for position, row in enumerate(order[:WALKED], start=1):
        entry = blend_entry(row["ngram_weight"], row["multilingual_weight"], NGRAM_FILE)
        directory = out / "points" / point_name(position, row)
        config = write_model_dir(base, directory, ngram, entry, version, parts["hx_val"], threads)
        walked.append({"position": position, "directory": str(directory.relative_to(out)), "blend": entry,
                       "offensive_mask_threshold": config["offensive_mask_threshold"],
                       "normal_span_threshold": config["normal_span_threshold"]})
    pick = walked[chosen - 1]["blend"] if 0 < chosen <= len(walked) else None
    config = write_model_dir(base, out, ngram, pick, version, parts["hx_val"], threads)
    report = {"grid": rows, "order": [(r["ngram_weight"], r["multilingual_weight"]) for r in order],
              "walked": walked, "chosen_position": chosen if pick is not None else None, "blend": pick,
              "offensive_mask_threshold": config.get("offensive_mask_threshold"),
              "normal_span_threshold": config.get("normal_span_threshold"),
              "hx_validation_posts": len(hx_texts), "functional_validation_cases": len(held),
              "ngram_training_examples": sum(ex.hard_label is not None
                                             for ex in parts["hx_train"] + parts["functional"])}
    (out / "validation.json").write_text(json.dumps(report, indent=2) + "\n")
    return report
