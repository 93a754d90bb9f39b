"""Build a blended toxicity model: a model directory's network plus an n-gram model, mixed by one weight.

The n-gram model (:class:`~narrascope.toxicity.blend.NgramClassifier`) is fitted on what the network
was fitted on and the baseline is fitted on: HateXplain's fit part and the functional suite's train
templates. The weight is chosen on validation data only (HateXplain's validation tenth, the
functional validation templates) by :func:`choose_weight`; test parts are scored only when asked
(:func:`score_test_parts`), for the network, the blend and the TF-IDF + LR baseline in one run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS

WEIGHTS = tuple(round(0.05 * i, 2) for i in range(13))  # 0.0 (the network alone) ... 0.6
NGRAM_FILE = "ngram_lr.npz"
COPIED = ("toxicity.int8.onnx", "tokenizer.json", "train_config.json")


def network_scores(results: list[Any]) -> Any:
    """Rows of class probabilities of ``predict``'s results; an unsupported one reads as certainly normal."""
    import numpy as np

    return np.array([[r.scores[n] for n in LABELS] if r.scores else [0.0, 0.0, 1.0] for r in results])


def validation_rows(network: dict[str, Any], ngram: dict[str, Any], hx_gold: list[int],
                    flagged: list[bool], supported: list[bool]) -> list[dict[str, float]]:
    """Per weight of :data:`WEIGHTS`: HateXplain validation macro-F1 and AUROC, functional validation accuracy.

    ``network`` and ``ngram`` hold the class probability rows of the ``hx`` posts and the
    ``functional`` cases; ``supported`` says which functional cases the network scored (an unsupported
    case is wrong whatever the weight, as :func:`~narrascope.toxicity.functional.score` counts it).
    """
    from narrascope.toxicity.blend import blend_scores
    from narrascope.toxicity.evaluation import auroc, macro_f1

    rows = []
    for w in WEIGHTS:
        hx = blend_scores(network["hx"], ngram["hx"], w)
        fn = blend_scores(network["functional"], ngram["functional"], w)
        right = [ok and (row.argmax() != 2) == gold for row, gold, ok in zip(fn, flagged, supported, strict=True)]
        rows.append({"weight": w, "hx_macro_f1": macro_f1(hx_gold, [int(r.argmax()) for r in hx]),
                     "hx_auroc": auroc([g != 2 for g in hx_gold], [1.0 - r[2] for r in hx]),
                     "functional_accuracy": float(sum(right)) / max(1, len(right))})
    return rows


def choose_weight(rows: list[dict[str, float]]) -> float | None:
    """The rule written before any test figure: among the weights above 0 whose HateXplain validation
    macro-F1 is not below the network's (weight 0) and whose functional validation accuracy is higher,
    the one with the highest sum of the two (ties: the smaller weight); ``None`` when no weight qualifies."""
    alone = next(r for r in rows if r["weight"] == 0.0)
    fit = [r for r in rows if r["weight"] > 0 and r["hx_macro_f1"] >= alone["hx_macro_f1"]
           and r["functional_accuracy"] > alone["functional_accuracy"]]
    if not fit:
        return None
    return max(fit, key=lambda r: (round(r["hx_macro_f1"] + r["functional_accuracy"], 9), -r["weight"]))["weight"]


def _parts(data: Path, base: Path, templates: Path) -> dict[str, Any]:
    from narrascope.toxicity.training import split_data

    validation = float(json.loads((base / "train_config.json").read_text()).get("validation") or 0.1)
    return split_data(data, None, validation, templates)


def build_blend(data: str | Path, out: str | Path, templates: str | Path, base: str | Path | None = None,
                version: str = "4", threads: int = 1) -> dict[str, Any]:
    """Fit the n-gram model, choose the weight on validation data, write a model directory to ``out``.

    ``out`` gets the network's files, ``ngram_lr.npz`` and a ``config.json`` naming the blend (when
    the rule chose a weight) with its offensive masking and normal-span thresholds calibrated on the
    HateXplain validation posts as ``train toxicity`` does, and ``validation.json``: the weight grid.
    """
    from narrascope.toxicity.blend import NgramClassifier
    from narrascope.toxicity.functional import cases, parse
    from narrascope.toxicity.inference import MODEL_DIR, ToxicityModel

    data, out, templates = Path(data), Path(out), Path(templates)
    base = Path(base) if base else MODEL_DIR
    parts = _parts(data, base, templates)
    ngram = NgramClassifier().fit(parts["hx_train"] + parts["functional"])
    held = cases(parse(templates), "validation")
    network_model = ToxicityModel(base, threads=threads)
    hx_results = network_model.predict([ex.text for ex in parts["hx_val"]])
    fn_results = network_model.predict([c.text for c in held])
    rows = validation_rows(
        {"hx": network_scores(hx_results), "functional": network_scores(fn_results)},
        {"hx": ngram.predict_proba([ex.text for ex in parts["hx_val"]]),
         "functional": ngram.predict_proba([c.text for c in held])},
        [ex.hard_label if ex.hard_label is not None else 2 for ex in parts["hx_val"]],
        [c.flagged for c in held], [r.label is not None for r in fn_results])
    weight = choose_weight(rows)
    config = write_model_dir(base, out, ngram, {"file": NGRAM_FILE, "weight": weight} if weight is not None else None,
                             version, parts["hx_val"], threads)
    report = {"weight": weight, "validation": rows, "hx_validation_posts": len(parts["hx_val"]),
              "functional_validation_cases": len(held), "ngram_training_examples":
              sum(ex.hard_label is not None for ex in parts["hx_train"] + parts["functional"]),
              "offensive_mask_threshold": config.get("offensive_mask_threshold"),
              "normal_span_threshold": config.get("normal_span_threshold")}
    (out / "validation.json").write_text(json.dumps(report, indent=2) + "\n")
    return report


def write_model_dir(base: Path, out: Path, ngram: Any, blend: dict[str, Any] | None, version: str,
                    hx_val: list[Any], threads: int = 1) -> dict[str, Any]:
    """A model directory in ``out``: the network's files, the n-gram model and a ``config.json`` naming
    ``blend`` (none: the network alone) with the offensive masking and normal-span thresholds recalibrated
    on the HateXplain validation posts as ``train toxicity`` does. Returns the config."""
    from narrascope.toxicity import normal_spans
    from narrascope.toxicity.inference import ToxicityModel
    from narrascope.toxicity.masking import calibrate

    out.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copy(base / name, out / name)
    ngram.save(out / NGRAM_FILE)
    config = json.loads((base / "config.json").read_text())
    config["version"] = version
    config.pop("blend", None)
    if blend is not None:
        config["blend"] = blend
        (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
        model = ToxicityModel(out, threads=threads)
        val = model.predict([ex.text for ex in hx_val])
        config["offensive_mask_threshold"] = calibrate(
            [r.label for r in val], [r.scores[r.label] if r.scores and r.label else 0.0 for r in val],
            [ex.hard_label != 2 for ex in hx_val])
        config["normal_span_threshold"] = normal_spans.calibrate_on(model, hx_val, [r.label for r in val])
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return config


def score_test_parts(data: str | Path, candidate: str | Path, templates: str | Path, base: str | Path | None = None,
                     threads: int = 1, e5_head: bool = False) -> dict[str, Any]:
    """The network (``base``), the blend (``candidate``), the e5 head alone (``e5_head``) and TF-IDF + LR on
    the test parts, in one run: HateXplain held-out fifth, bias, functional test (and validation) templates,
    SemEval trial spans; with ``e5_head`` also the network's and the blend's seconds per 1,000 HateXplain
    held-out posts (``seconds_per_1000_posts``, timed after a first pass has loaded both)."""
    import time

    from narrascope.toxicity import evaluation as ev
    from narrascope.toxicity.baseline import TfidfBaseline
    from narrascope.toxicity.build import evaluate
    from narrascope.toxicity.functional import cases, parse
    from narrascope.toxicity.inference import MODEL_DIR, ToxicityModel

    data, templates = Path(data), Path(templates)
    base = Path(base) if base else MODEL_DIR
    parts = _parts(data, base, templates)
    suite = parse(templates)
    functional, held, trial = cases(suite, "test"), cases(suite, "validation"), ev.trial_set(data)
    models: list[tuple[str, Any]] = [("network", ToxicityModel(base, threads=threads)),
                                     ("blend", ToxicityModel(candidate, threads=threads))]
    if e5_head:
        from narrascope.toxicity import multilingual

        models.append(("e5_head", multilingual.load(threads)))
    models.append(("tfidf_lr", TfidfBaseline().fit(parts["hx_train"] + parts["functional"])))
    out = {name: evaluate(model, parts, trial, functional, functional_validation=held) for name, model in models}
    if e5_head:
        texts = [ex.text for ex in parts["hx_test"]]
        seconds = {}
        for name, model in models[:2]:
            start = time.perf_counter()
            model.predict(texts)
            seconds[name] = round(1000 * (time.perf_counter() - start) / len(texts), 2)
        out["seconds_per_1000_posts"] = seconds
    return out
