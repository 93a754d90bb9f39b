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
    templates = tmp_path / "templates.txt"  # a small suite in the real format: the run stays short
    templates.write_text("@group Poles | a Pole | Polish | Other\n@group women | a woman | female | Women\n"
                         "## derogation | hatespeech | d\ntrain: I hate {group}.\ntest: {Group} are vermin.\n"
                         "## neutral | normal | n\ntrain: I met {member}.\ntest: {Group} live here.\n")
    scores = train_and_export(toxicity_data, out, epochs=2, spans_per_epoch=4, batch_size=4, limit=8, threads=1,
                              functional=str(templates), pooling="mean+max", validation=0.3, version="9")
    assert (out / "toxicity.int8.onnx").stat().st_size > 1_000_000
    config = json.loads((out / "config.json").read_text())
    assert config["labels"] == ["hatespeech", "offensive", "normal"] and config["version"] == "9"
    assert 0.35 <= config["offensive_mask_threshold"] <= 0.95
    assert 0.0 <= scores["new"]["toxic_spans_trial_f1"] <= 1.0
    assert scores["new"]["functional_test"]["overall"]["cases"] == 4
    assert set(scores["new"]["functional_test"]) == {"derogation", "neutral", "overall"}
    assert scores["tfidf_lr"]["hatexplain_held_out"]["posts"] == scores["new"]["hatexplain_held_out"]["posts"]
    assert scores["validation"]["chosen_epoch"] in (1, 2) and len(scores["validation"]["epochs"]) == 2
    assert json.loads((out / "scores.json").read_text()).keys() == scores.keys()
    result = ToxicityModel(out).predict(["idiots everywhere"])[0]
    assert result.label in config["labels"]


def test_train_toxicity_command_writes_the_model_to_out(toxicity_data, tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("onnxscript")
    from typer.testing import CliRunner

    from narrascope.cli import app

    out = tmp_path / "cli-model"
    templates = tmp_path / "templates.txt"  # a small suite in the real format: the run stays short
    templates.write_text("@group Poles | a Pole | Polish | Other\n@group women | a woman | female | Women\n"
                         "## derogation | hatespeech | d\ntrain: I hate {group}.\ntest: {Group} are vermin.\n"
                         "## neutral | normal | n\ntrain: I met {member}.\ntest: {Group} live here.\n")
    result = CliRunner().invoke(app, ["train", "toxicity", "--data", str(toxicity_data), "--out", str(out),
                                      "--epochs", "1", "--spans-per-epoch", "4", "--limit", "8", "--threads", "1",
                                      "--seed", "7", "--functional", str(templates), "--pooling", "mean+max",
                                      "--validation", "0.3", "--version", "9"])
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    assert config["labels"] == ["hatespeech", "offensive", "normal"] and config["version"] == "9"
    scores = json.loads((out / "scores.json").read_text())
    assert scores["new"]["functional_test"]["overall"]["cases"] == 4
    assert set(scores["new"]["functional_test"]) == {"derogation", "neutral", "overall"}
    assert len(scores["validation"]["epochs"]) == 1
    assert (out / "toxicity.int8.onnx").is_file()
