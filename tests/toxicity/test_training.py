"""The training path end to end on a few made-up posts (seconds, not a real model)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow


def test_train_export_and_predict(toxicity_data, tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("onnxscript")
    from narrascope.toxicity.build import train_and_export
    from narrascope.toxicity.inference import ToxicityModel

    out = tmp_path / "model"
    scores = train_and_export(toxicity_data, out, epochs=1, spans_per_epoch=4, batch_size=4, limit=8, threads=1)
    assert (out / "toxicity.int8.onnx").stat().st_size > 1_000_000
    config = json.loads((out / "config.json").read_text())
    assert config["labels"] == ["hatespeech", "offensive", "normal"]
    assert 0.0 <= scores["toxic_spans_trial_f1"] <= 1.0
    assert json.loads((out / "scores.json").read_text()).keys() == scores.keys()
    result = ToxicityModel(out).predict(["idiots everywhere"])[0]
    assert result.label in config["labels"]
