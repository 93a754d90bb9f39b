"""The n-gram blend: stored without pickle, loaded on first use, mixed into the network's class scores."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from narrascope.toxicity.blend import NgramClassifier, blend_scores
from narrascope.toxicity.blend_training import choose_weight
from narrascope.toxicity.data import Example
from narrascope.toxicity.inference import MODEL_DIR, ToxicityModel

TOY = [("you are a stupid idiot", 1), ("what a stupid idiot he is", 1), ("all of those people are vermin", 0),
       ("those people are vermin and rats", 0), ("what a lovely sunny day", 2), ("thanks for the lovely article", 2)]


def toy_ngram() -> NgramClassifier:
    examples = [Example(f"t{i}", text, "toy", [1.0 if k == label else 0.0 for k in range(3)])
                for i, (text, label) in enumerate(TOY)]
    return NgramClassifier().fit(examples)


def blended_dir(tmp_path: Path, weight: float) -> Path:
    """The shipped network's files (linked) with a toy n-gram model blended in at ``weight``."""
    model = tmp_path / "blend"
    model.mkdir()
    for name in ("toxicity.int8.onnx", "tokenizer.json"):
        (model / name).symlink_to(MODEL_DIR / name)
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    config.update(version="toy-blend", blend={"file": "ngram_lr.npz", "weight": weight})
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    toy_ngram().save(model / "ngram_lr.npz")
    return model


def test_the_stored_ngram_model_gives_the_fitted_models_probabilities(tmp_path):
    fitted = toy_ngram()
    fitted.save(tmp_path / "ngram.npz")
    with np.load(tmp_path / "ngram.npz", allow_pickle=False) as z:  # plain arrays, no pickle
        assert {"coef", "intercept", "word_vocab", "word_idf", "char_vocab", "char_idf"} == set(z.files)
    texts = ["you stupid idiot", "a lovely day", "", "😀"]
    loaded = NgramClassifier.load(tmp_path / "ngram.npz").predict_proba(texts)
    assert loaded == pytest.approx(fitted.predict_proba(texts), abs=1e-12)
    assert loaded.sum(axis=1) == pytest.approx([1.0] * 4)
    assert int(loaded[0].argmax()) == 1 and int(loaded[1].argmax()) == 2  # offensive, normal


def test_blend_scores_mix_the_two_models_by_the_weight():
    network, ngram = np.array([0.2, 0.1, 0.7]), np.array([0.6, 0.3, 0.1])
    assert blend_scores(network, ngram, 0.25) == pytest.approx([0.3, 0.15, 0.55])
    assert blend_scores(network, ngram, 0.0) == pytest.approx(network)


def test_the_weight_needs_hatexplain_not_worse_and_functional_better():
    rows = [{"weight": 0.0, "hx_macro_f1": 0.65, "functional_accuracy": 0.83},
            {"weight": 0.1, "hx_macro_f1": 0.66, "functional_accuracy": 0.83},  # functional not higher
            {"weight": 0.2, "hx_macro_f1": 0.66, "functional_accuracy": 0.84},
            {"weight": 0.3, "hx_macro_f1": 0.67, "functional_accuracy": 0.83 + 0.01},
            {"weight": 0.4, "hx_macro_f1": 0.64, "functional_accuracy": 0.90}]  # HateXplain worse
    assert choose_weight(rows) == 0.3
    assert choose_weight(rows[:2] + rows[4:]) is None
    tie = [rows[0], {"weight": 0.2, "hx_macro_f1": 0.66, "functional_accuracy": 0.84},
           {"weight": 0.1, "hx_macro_f1": 0.66, "functional_accuracy": 0.84}]
    assert choose_weight(tie) == 0.1  # ties: the smaller weight


def test_a_blended_model_directory_loads_its_ngram_model_on_first_use(tmp_path, shipped_model):
    model = ToxicityModel(blended_dir(tmp_path, 0.25))
    assert model._ngram is None and model._runner is None  # nothing read before the first predict
    (result,) = model.predict(["what a lovely sunny day"])
    assert model._ngram is not None and model.blend_weight == 0.25 and model.version == "toy-blend"
    assert result.label == "normal"


def test_the_blended_label_is_the_mix_of_the_networks_and_the_ngram_models(tmp_path, shipped_model):
    texts = ["you are a stupid idiot", "Thank you for the clear article.", "those people are vermin"]
    model = ToxicityModel(blended_dir(tmp_path, 0.5))
    network = shipped_model.predict(texts)
    ngram = toy_ngram().predict_proba(texts)
    blended = model.predict(texts)
    for net, row, got in zip(network, ngram, blended, strict=True):
        expected = blend_scores(np.array([net.scores[k] for k in ("hatespeech", "offensive", "normal")]), row, 0.5)
        assert [got.scores[k] for k in ("hatespeech", "offensive", "normal")] == pytest.approx(expected, abs=2e-4)
        assert got.label == ("hatespeech", "offensive", "normal")[int(expected.argmax())]
    assert [r.label for r in blended] == ["offensive", "normal", "hatespeech"]
    assert [r.spans for r in blended] == [r.spans for r in network]  # spans come from the network's head


def test_bad_input_to_a_blended_model_answers_unsupported_or_a_label(tmp_path, shipped_model):
    texts = ["😀" * 40, "idiot", "x" * 100_000, "Die Regierung hat heute ein neues Gesetz über die Rente beschlossen.",
             "Это совершенно обычный комментарий о политике правительства", ""]
    results = ToxicityModel(blended_dir(tmp_path, 0.25)).predict(texts)
    assert [r.label is None for r in results] == [False, False, False, True, True, True]
    assert ["language" in (r.unsupported or "") for r in results[3:]] == [True, False, False]
    assert results[4].unsupported == "not English: the toxicity model reads English only"
    assert results[5].unsupported == "empty comment"
    assert [sum(r.scores.values()) for r in results[:3]] == pytest.approx([1.0] * 3, abs=1e-3)


TEMPLATES = ("@group Poles | a Pole | Polish | Other\n## derogation | hatespeech | d\ntrain: {Group} are vermin.\n"
             "train: I hate {group}.\nvalidation: {Group} are rats.\ntest: {Group} are filth.\n"
             "## neutral | normal | n\ntrain: {Group} live here.\ntrain: I met {group}.\n"
             "validation: {Group} cook well.\ntest: {Group} like tea.\n")


def test_train_toxicity_blend_names_no_blend_when_no_weight_passes_the_rule(tmp_path, shipped_model):
    """On made-up data where the network is already right on every validation template, no weight is
    higher there: the model directory is written with the network alone, and --test scores all three."""
    from tests.toxicity.conftest import write_data
    from typer.testing import CliRunner

    from narrascope.cli import app

    data = write_data(tmp_path / "toxicity", copies=10)
    templates = tmp_path / "templates.txt"
    templates.write_text(TEMPLATES, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["train", "toxicity-blend", "--data", str(data), "--out", str(out),
                                      "--functional", str(templates), "--base", str(MODEL_DIR), "--version", "toy-4",
                                      "--threads", "1", "--test"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["weight"] is None and [r["weight"] for r in report["validation"]] == [
        0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]
    assert (report["hx_validation_posts"], report["functional_validation_cases"]) == (2, 2)
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["version"] == "toy-4" and "blend" not in config
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "ngram_lr.npz", "scores.json", "tokenizer.json",
                                                     "toxicity.int8.onnx", "train_config.json", "validation.json"]
    scores = json.loads((out / "scores.json").read_text(encoding="utf-8"))
    assert scores == report["test"] and list(scores) == ["network", "blend", "tfidf_lr"]
    assert scores["blend"] == scores["network"]  # no blend named: the directory is the network alone
    assert scores["network"]["hatexplain_held_out"]["posts"] == 8
    assert scores["tfidf_lr"]["functional_test"]["overall"] == {"cases": 2, "accuracy": 1.0}


@pytest.mark.shared
@pytest.mark.slow
def test_the_version_4_candidate_reproduces_its_weight_and_recorded_decisions(tmp_path, shared_data, shipped_model):
    """`narrascope train toxicity-blend` on the shared data: the weight and the validation figures the model
    card records, and the candidate's labels on fixed comments (the demo's Soros comment is why it is not
    shipped: hatespeech, where version 2 says normal)."""
    from typer.testing import CliRunner

    from narrascope.cli import app

    templates = Path(__file__).parent / "functional" / "templates.txt"
    result = CliRunner().invoke(app, ["train", "toxicity-blend", "--data", str(shared_data / "toxicity"), "--out",
                                      str(tmp_path / "v4"), "--functional", str(templates)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report == json.loads((tmp_path / "v4" / "validation.json").read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "v4" / "config.json").read_text(encoding="utf-8"))["blend"] == {
        "file": "ngram_lr.npz", "weight": 0.25}
    chosen = next(r for r in report["validation"] if r["weight"] == report["weight"])
    assert report["weight"] == 0.25 and report["offensive_mask_threshold"] == 0.5
    assert (round(chosen["hx_macro_f1"], 3), round(chosen["functional_accuracy"], 3)) == (0.667, 0.837)
    texts = ["Wake up. Soros money is behind every one of these colour revolutions. The West wants Belarus as a "
             "NATO base on Russia's border.",
             "It\u2019s a good thing we have no fans left because this is a dumpster fire.",
             "There is nothing good about Poles.", "You are a disgusting stupid idiot",
             "Potash exports go through Klaip\u0117da, Lithuania can squeeze them."]
    results = ToxicityModel(tmp_path / "v4").predict(texts)
    assert [r.label for r in results] == ["hatespeech", "normal", "normal", "hatespeech", "normal"]
    assert [r.scores[r.label] for r in results] == pytest.approx([0.4026, 0.441, 0.8549, 0.6001, 0.6352], abs=2e-4)
    assert [r.label for r in shipped_model.predict(texts[:2])] == ["normal", "hatespeech"]
