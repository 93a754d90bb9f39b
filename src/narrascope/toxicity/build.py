"""One call from data to a shipped model: train, export to int8 ONNX, pick the span threshold, score."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)


def train_and_export(data: str | Path, out: str | Path, **config: Any) -> dict[str, Any]:
    """Train on ``data``, write the int8 model to ``out`` and return the held-out scores.

    The span threshold is chosen on the held-out tenth of the toxic-spans training posts;
    HateXplain scores are on its held-out fifth; span F1 on the SemEval trial set, which no
    step trains or tunes on. The scores are also written to ``out/scores.json``.
    """
    from narrascope.toxicity import evaluation as ev
    from narrascope.toxicity.export import export_onnx
    from narrascope.toxicity.inference import ToxicityModel
    from narrascope.toxicity.training import TrainConfig, split_data, train

    data, out = Path(data), Path(out)
    cfg = TrainConfig(**config)
    work = out / "torch"
    weights = train(data, work, cfg)
    export_onnx(weights, out)
    shutil.copy(work / "train_config.json", out / "train_config.json")
    parts = split_data(data, cfg.limit)
    model = ToxicityModel(out, threads=cfg.threads)
    dev = ev.span_scores(model, parts["tsd_dev"], THRESHOLDS)
    threshold = max(dev, key=lambda t: dev[t])
    config_path = out / "config.json"
    model_config = json.loads(config_path.read_text())
    model_config["span_threshold"] = threshold
    config_path.write_text(json.dumps(model_config, indent=2) + "\n")
    model = ToxicityModel(out, threads=cfg.threads)
    trial = ev.trial_set(data)[:cfg.limit] if cfg.limit else ev.trial_set(data)
    scores = {"hatexplain_held_out": ev.classification_scores(model, parts["hx_test"]),
              "span_threshold": threshold, "toxic_spans_dev_f1": dev[threshold],
              "toxic_spans_trial_f1": ev.span_scores(model, trial, (threshold,))[threshold],
              "toxic_spans_trial_f1_gated": ev.gated_span_f1(model, trial)}
    (out / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    shutil.rmtree(work)
    return scores
