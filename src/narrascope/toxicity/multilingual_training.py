"""Train the toxicity head on the multilingual trunk: ``narrascope train multilingual-head toxicity``.

Training data: the English data the shipped model's classes were trained on, no more: HateXplain's fit
part (:func:`narrascope.evaluation.splits.toxicity_split`) and the functional suite's train templates.
C (logistic regression, balanced classes) is chosen on the validation part: HateXplain's validation
posts (macro-F1) plus the functional validation templates (accuracy), their sum, ties to the smaller
C; the offensive masking threshold is calibrated on the HateXplain validation posts
(:func:`narrascope.toxicity.masking.calibrate`). With ``test``, the untouched HateXplain test fifth and
the functional test templates are scored once, beside the shipped English model and TF-IDF + LR trained
on the same texts. Russian data, when a licensed set is given: :mod:`narrascope.toxicity.russian`.

The trunk's embeddings of every text are cached (:mod:`narrascope.models.embedding_cache`: under
``$NARRASCOPE_E5_CACHE/toxicity/``, else ``OUT/embeddings/``), so a rerun encodes only new texts.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, Example
from narrascope.toxicity.multilingual import LAYER, MultilingualToxicityModel

log = logging.getLogger("narrascope.toxicity.multilingual_training")
C_GRID = (0.25, 1.0, 4.0, 16.0, 64.0)
VERSION = "e5-toxicity-linear-1"


def fit_head(x: Any, y: list[int], c: float) -> tuple[Any, Any]:
    """Logistic regression (multinomial, balanced classes) on embeddings: ``coef [3, d]``, ``intercept [3]``."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(x, y)
    coef = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
    intercept = np.full(len(LABELS), -1e4, dtype=np.float32)  # a class absent from training is never chosen
    for row, cls in enumerate(lr.classes_):
        coef[int(cls)], intercept[int(cls)] = lr.coef_[row], lr.intercept_[row]
    return coef, intercept


def save_head(path: Path, coef: Any, intercept: Any, meta: dict[str, Any]) -> None:
    import numpy as np

    np.savez(path, coef=coef.astype(np.float32), intercept=intercept.astype(np.float32),
             meta=np.array(json.dumps(meta, ensure_ascii=False)))


def english_parts(data: Path) -> dict[str, list[Example]]:
    """HateXplain fit / validation / test posts (toxicity_split) and the functional suite's three parts."""
    from narrascope.evaluation.splits import toxicity_split
    from narrascope.toxicity.data import load_hatexplain
    from narrascope.toxicity.functional import training_examples
    from narrascope.toxicity.scores import TEMPLATES

    posts = load_hatexplain(Path(data) / "toxicity" / "hatexplain")
    split = toxicity_split(posts)
    return {"hx_fit": [posts[i] for i in split.fit], "hx_val": [posts[i] for i in split.validation],
            "hx_test": [posts[i] for i in split.test], "functional": training_examples(TEMPLATES),
            "functional_val": training_examples(TEMPLATES, "validation")}


def choose(model: MultilingualToxicityModel, parts: dict[str, list[Example]], x: Any,
           y: list[int]) -> tuple[float, dict[str, Any]]:
    """The C of :data:`C_GRID` with the best validation sum (HateXplain macro-F1 + functional accuracy)."""
    from narrascope.toxicity.evaluation import classification_scores

    figures: dict[str, Any] = {}
    for c in C_GRID:
        save_head(model.head_file, *fit_head(x, y, c), {"version": VERSION})
        model._head = None
        hx = classification_scores(model, parts["hx_val"])
        results = model.predict([e.text for e in parts["functional_val"]])
        acc = sum((r.label != "normal") == (e.hard_label != 2)
                  for r, e in zip(results, parts["functional_val"], strict=True)) / len(results)
        figures[str(c)] = {"hatexplain_validation_macro_f1": hx["macro_f1"], "hatexplain_validation_auroc": hx["auroc"],
                           "functional_validation_accuracy": acc, "sum": hx["macro_f1"] + acc}
        log.info("C=%s %s", c, figures[str(c)])
    best = max(C_GRID, key=lambda c: (figures[str(c)]["sum"], -c))
    return best, figures


def train(data: Path, out: Path, threads: int, test: bool) -> dict[str, Any]:
    """Train the head into ``out/toxicity.npz``; with ``test`` score the English test parts once."""
    from narrascope.models import crosslingual
    from narrascope.models.embedding_cache import CachedEncoder, cache_dir
    from narrascope.toxicity.masking import calibrate
    from narrascope.toxicity.russian import russian_parts

    start = time.time()
    parts = english_parts(data)
    russian = russian_parts()
    encoder = CachedEncoder(crosslingual.encoder(threads), cache_dir(LAYER, out / "embeddings"))
    train_set = parts["hx_fit"] + parts["functional"] + russian.get("train", [])
    y = [int(e.hard_label) for e in train_set]  # type: ignore[arg-type]  # every training example is labelled
    x = encoder.encode([" ".join(e.text.split()) for e in train_set])
    model = MultilingualToxicityModel(encoder, out / f"{LAYER}.npz", VERSION)
    c, validation = choose(model, parts, x, y)
    coef, intercept = fit_head(x, y, c)
    save_head(model.head_file, coef, intercept, {"version": VERSION})
    model._head = None
    val = model.predict([e.text for e in parts["hx_val"]])
    threshold = calibrate([r.label for r in val], [(r.scores or {}).get("offensive", 0.0) for r in val],
                          [e.hard_label != 2 for e in parts["hx_val"]])
    sizes = {"hatexplain_fit": len(parts["hx_fit"]), "functional_train": len(parts["functional"]),
             "russian_train": len(russian.get("train", []))}
    meta = {"version": VERSION, "trunk": crosslingual.trunk_config().get("version"), "C": c,
            "class_weight": "balanced", "offensive_mask_threshold": threshold, "labels": list(LABELS),
            "trained_on": sizes, "russian": russian.get("source", "none")}
    save_head(model.head_file, coef, intercept, meta)
    model._head = None
    result: dict[str, Any] = {"head": str(model.head_file), "C": c, "offensive_mask_threshold": threshold,
                              "trained_on": sizes, "validation": validation,
                              "train_seconds": round(time.time() - start, 1)}
    if test:
        from narrascope.toxicity.multilingual_figures import test_figures

        result["test"] = test_figures(model, parts, train_set, russian)
    log.info("done in %.0f s", time.time() - start)
    return result

