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
                         "## derogation | hatespeech | d\ntrain: I hate {group}.\nvalidation: {Group} are rats.\n"
                         "test: {Group} are vermin.\n"
                         "## neutral | normal | n\ntrain: I met {member}.\ntest: {Group} live here.\n")
    scores = train_and_export(toxicity_data, out, epochs=2, spans_per_epoch=4, batch_size=4, limit=8, threads=1,
                              functional=str(templates), pooling="mean+max", validation=0.3, version="9")
    assert (out / "toxicity.int8.onnx").stat().st_size > 1_000_000
    config = json.loads((out / "config.json").read_text())
    assert config["labels"] == ["hatespeech", "offensive", "normal"] and config["version"] == "9"
    assert 0.35 <= config["offensive_mask_threshold"] <= 0.95
    # spans on normal comments: calibrated on the validation posts (None: no grid threshold quiet enough)
    from narrascope.toxicity.normal_spans import GRID

    assert config["normal_span_threshold"] in (None, *GRID)
    assert scores["normal_span_threshold"] == config["normal_span_threshold"]
    assert 0.0 <= scores["new"]["toxic_spans_trial_f1"] <= 1.0
    assert scores["new"]["functional_test"]["overall"]["cases"] == 4
    assert set(scores["new"]["functional_test"]) == {"derogation", "neutral", "overall"}
    # the validation templates are scored for the new model and the baseline, never trained on
    assert scores["new"]["functional_validation"]["overall"]["cases"] == 2
    assert set(scores["tfidf_lr"]["functional_validation"]) == {"derogation", "overall"}
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
                         "## derogation | hatespeech | d\ntrain: I hate {group}.\nvalidation: {Group} are rats.\n"
                         "test: {Group} are vermin.\n"
                         "## neutral | normal | n\ntrain: I met {member}.\ntest: {Group} live here.\n")
    extra = tmp_path / "extra" / "toxigen"  # one public set, in the layout --extra reads
    extra.mkdir(parents=True)
    (extra / "hate_poles_1k.txt").write_text("- poles are a plague\\n- poles steal\\n-\n", encoding="utf-8")
    (extra / "neutral_poles_1k.txt").write_text("- poles cook pierogi\\n-\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "toxicity", "--data", str(toxicity_data), "--out", str(out),
                                      "--epochs", "1", "--spans-per-epoch", "4", "--limit", "8", "--threads", "1",
                                      "--seed", "7", "--functional", str(templates), "--pooling", "mean+max",
                                      "--validation", "0.3", "--version", "9", "--functional-per-epoch", "2",
                                      "--extra", str(extra.parent), "--extra-per-epoch", "2",
                                      "--hatexplain-repeats", "2", "--davidson-offensive",
                                      "--select-on-functional"])
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    assert config["labels"] == ["hatespeech", "offensive", "normal"] and config["version"] == "9"
    scores = json.loads((out / "scores.json").read_text())
    assert scores["new"]["functional_test"]["overall"]["cases"] == 4
    assert set(scores["new"]["functional_test"]) == {"derogation", "neutral", "overall"}
    # the validation templates are scored for the new model and the baseline, never trained on
    assert scores["new"]["functional_validation"]["overall"]["cases"] == 2
    assert set(scores["tfidf_lr"]["functional_validation"]) == {"derogation", "overall"}
    [epoch] = scores["validation"]["epochs"]  # with its accuracy on the 2 functional validation cases
    assert epoch["epoch"] == 1 and epoch["functional_accuracy"] in (0.0, 0.5, 1.0)
    assert (out / "toxicity.int8.onnx").is_file()
    train_config = json.loads((out / "train_config.json").read_text())
    assert (train_config["extra"], train_config["extra_per_epoch"]) == (str(extra.parent), 2)
    assert (train_config["functional_per_epoch"], train_config["hatexplain_repeats"]) == (2, 2)
    assert train_config["davidson_offensive"] is True and train_config["select_on_functional"] is True


def test_a_partial_label_asks_only_that_the_allowed_classes_together_are_likely():
    torch = pytest.importorskip("torch")
    from narrascope.toxicity.training import TrainConfig, batch_loss

    logits = torch.tensor([[2.0, 0.0, 0.0], [2.0, 0.0, 0.0]])
    probs = torch.softmax(logits[0], -1)

    def net(ids, att):
        return logits, torch.zeros((2, 1, 2)), torch.zeros((2, 10))

    def batch(allowed):
        return {"ids": None, "att": None, "labels": torch.zeros((2, 3)), "has_label": torch.zeros(2),
                "tok": torch.zeros((2, 1, 2)), "tok_mask": torch.zeros((2, 1, 2)), "targets": torch.zeros((2, 10)),
                "has_targets": torch.zeros(2), "allowed": torch.tensor(allowed)}

    hate_only = batch_loss(net, batch([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), TrainConfig())
    assert hate_only.item() == pytest.approx(-torch.log(probs[0]).item(), abs=1e-5)
    not_hate = batch_loss(net, batch([[0.0, 1.0, 1.0], [0.0, 1.0, 1.0]]), TrainConfig())
    assert not_hate.item() == pytest.approx(-torch.log(probs[1] + probs[2]).item(), abs=1e-5)
    mixed = batch_loss(net, batch([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]]), TrainConfig())
    assert mixed.item() == pytest.approx((hate_only.item() + not_hate.item()) / 2, abs=1e-5)
    # no partial label, no soft label: nothing to learn from the class head
    assert batch_loss(net, batch([[0.0] * 3, [0.0] * 3]), TrainConfig()).item() == 0.0
