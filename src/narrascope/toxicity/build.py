"""One call from data to a shipped model: train, export to int8 ONNX, pick thresholds, score.

The scores of the new model stand beside those of the shipped model and of a TF-IDF + logistic
regression baseline trained on the same examples, all on the same held-out posts, in one run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)


def evaluate(model: Any, parts: dict[str, Any], trial: list[Any], functional: Any,
             span_threshold: float | None = None, functional_validation: Any = None) -> dict[str, Any]:
    """HateXplain held-out, bias, functional test (and validation) templates and SemEval trial spans."""
    from narrascope.toxicity import evaluation as ev
    from narrascope.toxicity.bias import bias_scores
    from narrascope.toxicity.functional import score

    out: dict[str, Any] = {"hatexplain_held_out": ev.classification_scores(model, parts["hx_test"]),
                           "bias": bias_scores(model, parts["hx_test"])}
    if functional:
        out["functional_test"] = score(model, functional)
    if functional_validation:
        out["functional_validation"] = score(model, functional_validation)
    if hasattr(model, "span_probabilities"):
        t = span_threshold if span_threshold is not None else float(model.span_threshold or 0.45)
        out["toxic_spans_trial_f1"] = ev.span_scores(model, trial, (t,))[t]
        results = model.predict([ex.text for ex in trial])  # once for both readings of its spans
        out["toxic_spans_trial_f1_gated"] = ev.results_span_f1(results, trial, gated=True)
        out["toxic_spans_trial_f1_predict"] = ev.results_span_f1(results, trial)
    return out


def train_and_export(data: str | Path, out: str | Path, **config: Any) -> dict[str, Any]:
    """Train on ``data``, write the int8 model to ``out`` and return the held-out scores.

    The span threshold is chosen on the held-out tenth of the toxic-spans training posts, the
    epoch and the offensive masking threshold on the validation share of HateXplain's training
    part; HateXplain scores are on its held-out fifth, span F1 on the SemEval trial set and the
    functional scores on the test templates, none of which any step trains or tunes on. The
    functional validation templates (never trained on) are scored too, for the new and the shipped
    model, to decide between them. The scores are also written to ``out/scores.json``.
    """
    from narrascope.toxicity import evaluation as ev
    from narrascope.toxicity import normal_spans
    from narrascope.toxicity.baseline import TfidfBaseline
    from narrascope.toxicity.export import export_onnx
    from narrascope.toxicity.functional import cases, parse
    from narrascope.toxicity.inference import ToxicityModel
    from narrascope.toxicity.masking import calibrate
    from narrascope.toxicity.training import TrainConfig, split_data, train

    data, out = Path(data), Path(out)
    version = str(config.pop("version", "1"))
    cfg = TrainConfig(**config)
    work = out / "torch"
    weights = train(data, work, cfg)
    export_onnx(weights, out, version=version, pooling=cfg.pooling)
    shutil.copy(work / "train_config.json", out / "train_config.json")
    parts = split_data(data, cfg.limit, cfg.validation, cfg.functional)
    model = ToxicityModel(out, threads=cfg.threads)
    dev = ev.span_scores(model, parts["tsd_dev"], THRESHOLDS)
    threshold = max(dev, key=lambda t: dev[t])
    config_path = out / "config.json"
    model_config = json.loads(config_path.read_text())
    model_config["span_threshold"] = threshold
    if parts["hx_val"]:
        val = model.predict([ex.text for ex in parts["hx_val"]])
        model_config["offensive_mask_threshold"] = calibrate(
            [r.label for r in val], [r.scores[r.label] if r.scores and r.label else 0.0 for r in val],
            [ex.hard_label != 2 for ex in parts["hx_val"]])
        model_config["normal_span_threshold"] = normal_spans.calibrate_on(
            model, parts["hx_val"], [r.label for r in val])
    config_path.write_text(json.dumps(model_config, indent=2) + "\n")
    model = ToxicityModel(out, threads=cfg.threads)
    trial = ev.trial_set(data)[:cfg.limit] if cfg.limit else ev.trial_set(data)
    suite = parse(cfg.functional) if cfg.functional else None
    functional = cases(suite, "test") if suite else []
    held = cases(suite, "validation") if suite else []
    baseline = TfidfBaseline().fit(parts["hx_train"] + parts["functional"])
    scores = {"span_threshold": threshold, "toxic_spans_dev_f1": dev[threshold],
              "offensive_mask_threshold": model_config.get("offensive_mask_threshold"),
              "normal_span_threshold": model_config.get("normal_span_threshold"),
              "new": evaluate(model, parts, trial, functional, functional_validation=held),
              "tfidf_lr": evaluate(baseline, parts, trial, functional, functional_validation=held)}
    if (work / "validation.json").exists():
        scores["validation"] = json.loads((work / "validation.json").read_text())
    if not cfg.limit:
        scores["shipped"] = evaluate(ToxicityModel(threads=cfg.threads), parts, trial, functional,
                                     functional_validation=held)
    (out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    shutil.rmtree(work)
    return scores
