"""Version 5's blend: the network, the n-gram model and the multilingual e5 head mixed by two weights; the
grid, its order and the model directories the rule walks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.toxicity.test_blend import TEMPLATES, toy_ngram

from narrascope.toxicity import multilingual
from narrascope.toxicity.blend import mix_scores
from narrascope.toxicity.blend_grid import GRID, blend_entry, grid_rows, order_points
from narrascope.toxicity.inference import MODEL_DIR, ToxicityModel

LABELS = ("hatespeech", "offensive", "normal")


def test_the_grid_has_both_weights_up_to_0_4_and_their_sum_up_to_0_6():
    assert len(GRID) == 71 and GRID[0] == (0.0, 0.0) and (0.4, 0.2) in GRID and (0.35, 0.3) not in GRID
    assert (0.4, 0.25) not in GRID and (0.2, 0.4) in GRID and max(a for a, _ in GRID) == 0.4


def test_mix_scores_weigh_each_opinion_and_the_network_takes_the_rest():
    network, ngram, e5 = np.array([0.2, 0.1, 0.7]), np.array([0.6, 0.3, 0.1]), np.array([0.0, 1.0, 0.0])
    assert mix_scores(network, [(ngram, 0.25), (e5, 0.15)]) == pytest.approx([0.27, 0.285, 0.445])
    assert mix_scores(network, [(ngram, 0.25)]) == pytest.approx([0.3, 0.15, 0.55])  # version 4's blend
    assert mix_scores(network, []) == pytest.approx(network)


def row(a: float, b: float, f1: float, acc: float, eligible: bool = True) -> dict:
    return {"ngram_weight": a, "multilingual_weight": b, "hx_macro_f1": f1, "functional_accuracy": acc,
            "eligible": eligible}


def test_points_are_ordered_by_the_sum_then_the_smaller_total_weight_then_the_smaller_a():
    rows = [row(0.0, 0.0, 0.65, 0.83, False), row(0.3, 0.0, 0.66, 0.85), row(0.1, 0.1, 0.67, 0.84),
            row(0.05, 0.1, 0.66, 0.85), row(0.1, 0.05, 0.66, 0.85), row(0.4, 0.2, 0.70, 0.90, False)]
    assert [(r["ngram_weight"], r["multilingual_weight"]) for r in order_points(rows)] == [
        (0.05, 0.1), (0.1, 0.05), (0.1, 0.1), (0.3, 0.0)]  # all four sum to 1.51


def test_a_point_is_eligible_when_hatexplain_is_not_worse_and_the_templates_are_better():
    network = {"hx": np.array([[0.1, 0.1, 0.8], [0.6, 0.3, 0.1]]), "functional": np.array([[0.2, 0.2, 0.6]])}
    hate = {"hx": np.array([[0.9, 0.05, 0.05]] * 2), "functional": np.array([[0.9, 0.05, 0.05]])}
    calm = {"hx": np.array([[0.0, 0.0, 1.0]] * 2), "functional": np.array([[0.0, 0.0, 1.0]])}
    rows = grid_rows(network, hate, calm, [2, 0], [True], [True])
    by_point = {(r["ngram_weight"], r["multilingual_weight"]): r for r in rows}
    assert by_point[(0.0, 0.0)]["functional_accuracy"] == 0.0 and not by_point[(0.0, 0.0)]["eligible"]
    assert by_point[(0.1, 0.0)]["functional_accuracy"] == 0.0  # 0.27 hatespeech against 0.54 normal
    assert by_point[(0.4, 0.0)]["functional_accuracy"] == 1.0
    assert by_point[(0.4, 0.0)]["hx_macro_f1"] == by_point[(0.0, 0.0)]["hx_macro_f1"] == pytest.approx(2 / 3)
    assert by_point[(0.0, 0.4)]["hx_macro_f1"] == pytest.approx(2 / 9)  # the hateful post read as normal
    assert by_point[(0.4, 0.0)]["eligible"] and not by_point[(0.0, 0.4)]["eligible"]
    assert grid_rows(network, hate, calm, [2, 0], [True], [False])[-1]["functional_accuracy"] == 0.0  # unsupported


def test_blend_entries_name_only_the_opinions_with_a_weight():
    assert blend_entry(0.1, 0.0, "ngram_lr.npz") == {"file": "ngram_lr.npz", "weight": 0.1}
    assert blend_entry(0.0, 0.2, "ngram_lr.npz") == {"multilingual": {"weight": 0.2}}
    assert blend_entry(0.1, 0.2, "n.npz") == {"file": "n.npz", "weight": 0.1, "multilingual": {"weight": 0.2}}


def both_dir(tmp_path: Path, a: float, b: float) -> Path:
    model = tmp_path / "both"
    model.mkdir()
    for name in ("toxicity.int8.onnx", "tokenizer.json"):
        (model / name).symlink_to(MODEL_DIR / name)
    config = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))
    config.update(version="toy-5", blend=blend_entry(a, b, "ngram_lr.npz"))
    (model / "config.json").write_text(json.dumps(config), encoding="utf-8")
    toy_ngram().save(model / "ngram_lr.npz")
    return model


def test_a_model_naming_both_opinions_labels_by_the_three_way_mix(tmp_path, shipped_model):
    texts = ["you are a stupid idiot", "Thank you for the clear article.", "those people  are vermin"]
    model = ToxicityModel(both_dir(tmp_path, 0.3, 0.3))
    network = shipped_model.predict(texts)
    ngram = toy_ngram().predict_proba(texts)
    e5 = multilingual.load().predict(texts)
    blended = model.predict(texts)
    assert (model.blend_weight, model.multilingual_weight) == (0.3, 0.3)
    for net, row_, head, got in zip(network, ngram, e5, blended, strict=True):
        expected = mix_scores(np.array([net.scores[k] for k in LABELS]),
                              [(row_, 0.3), (np.array([head.scores[k] for k in LABELS]), 0.3)])
        assert [got.scores[k] for k in LABELS] == pytest.approx(expected, abs=3e-4)
        assert got.label == LABELS[int(expected.argmax())]
    assert [r.spans for r in blended] == [r.spans for r in network]  # spans come from the network's head
    (tmp_path / "e5").mkdir()
    only_e5 = ToxicityModel(both_dir(tmp_path / "e5", 0.0, 0.5))
    (result,) = only_e5.predict(["you are a stupid idiot"])
    assert only_e5._ngram is None and only_e5.multilingual_weight == 0.5
    assert result.scores["offensive"] == pytest.approx(
        0.5 * network[0].scores["offensive"] + 0.5 * e5[0].scores["offensive"], abs=3e-4)


def test_bad_input_to_a_three_way_blend_answers_unsupported_or_a_label(tmp_path, shipped_model):
    """A lone surrogate reaches the e5 trunk as U+FFFD (it crashed the Rust tokenizer); empty and German
    comments stay unsupported; emoji-only and 100,000-character comments are scored."""
    texts = ["lone \ud800 surrogate", "", "😀" * 40, "x" * 100_000,
             "Die Regierung hat heute ein neues Gesetz über die Rente beschlossen."]
    results = ToxicityModel(both_dir(tmp_path, 0.2, 0.4)).predict(texts)
    assert [r.label is None for r in results] == [False, True, False, False, True]
    assert results[1].unsupported == "empty comment" and "language" in (results[4].unsupported or "")
    assert [sum(r.scores.values()) for r in results if r.scores] == pytest.approx([1.0] * 3, abs=1e-3)
    (same,) = multilingual.load().predict(["lone \ufffd surrogate"])
    assert multilingual.load().predict(["lone \ud800 surrogate"])[0].scores == same.scores


def test_train_toxicity_blend_multilingual_grid_writes_the_grid_and_the_walked_points(tmp_path, shipped_model):
    from tests.toxicity.conftest import write_data
    from typer.testing import CliRunner

    from narrascope.cli import app

    data = write_data(tmp_path / "toxicity", copies=10)
    templates = tmp_path / "templates.txt"
    templates.write_text(TEMPLATES, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["train", "toxicity-blend", "--data", str(data), "--out", str(out),
                                      "--functional", str(templates), "--base", str(MODEL_DIR), "--version", "toy-5",
                                      "--multilingual-grid", "--chosen", "1", "--test"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(r["ngram_weight"], r["multilingual_weight"]) for r in report["grid"]] == list(GRID)
    assert report == dict(json.loads((out / "validation.json").read_text(encoding="utf-8")), test=report["test"])
    # the network is right on both validation templates: no point is higher there, none is walked
    assert [r["functional_accuracy"] for r in report["grid"][:1]] == [1.0]
    assert not any(r["eligible"] for r in report["grid"]) and report["order"] == [] and report["walked"] == []
    assert report["blend"] is None and report["chosen_position"] is None and not (out / "points").exists()
    assert list(report["test"]) == ["network", "blend", "e5_head", "tfidf_lr", "seconds_per_1000_posts"]
    assert set(report["test"]["seconds_per_1000_posts"]) == {"network", "blend"}
    assert "toxic_spans_trial_f1" not in report["test"]["e5_head"]  # the head gives no spans
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["version"] == "toy-5" and "blend" not in config
    assert report["test"]["blend"] == report["test"]["network"]  # no blend named: the network alone


def test_the_shipped_configuration_names_no_blend():
    assert "blend" not in json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))


@pytest.mark.shared
@pytest.mark.slow
def test_the_version_5_grid_reproduces_its_recorded_order_and_figures(tmp_path, shared_data, shipped_model):
    """`train toxicity-blend --multilingual-grid` on the shared data, with the multilingual head as shipped now
    (refitted by translate-train on the fine-tuned trunk: e5-toxicity-linear-1-tt): version 2's validation
    figures, the order and the first point's figures, and the first point's label of the demo corpus's Soros
    comment (normal, 0.54). The model card's version 5 tables were recorded with the frozen trunk's head (first
    point (0.20, 0.40): 0.693 / 0.894, Soros offensive 0.41); with the fine-tuned trunk's head before
    translate-train the first point was (0.25, 0.35): 0.696 / 0.884, Soros offensive 0.38."""
    from typer.testing import CliRunner

    from narrascope.cli import app

    templates = Path(__file__).parent / "functional" / "templates.txt"
    out = tmp_path / "v5"
    args = ["--functional", str(templates), "--multilingual-grid", "--version", "5"]
    result = CliRunner().invoke(app, ["train", "toxicity-blend", "--data", str(shared_data / "toxicity"), "--out",
                                      str(out), *args])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    alone, by_point = report["grid"][0], {(r["ngram_weight"], r["multilingual_weight"]): r for r in report["grid"]}
    assert (round(alone["hx_macro_f1"], 3), round(alone["functional_accuracy"], 3)) == (0.652, 0.831)
    assert [tuple(p) for p in report["order"][:5]] == [(0.15, 0.3), (0.05, 0.35), (0.0, 0.4), (0.1, 0.35), (0.05, 0.4)]
    assert len(report["order"]) == 64 and not by_point[(0.25, 0.35)]["eligible"]
    first = by_point[(0.15, 0.3)]
    assert (round(first["hx_macro_f1"], 3), round(first["functional_accuracy"], 3)) == (0.708, 0.843)
    assert [w["offensive_mask_threshold"] for w in report["walked"]] == [0.35, 0.4, 0.4, 0.35, 0.35]
    assert report["blend"] == {"file": "ngram_lr.npz", "weight": 0.15, "multilingual": {"weight": 0.3}}
    soros = ("Wake up. Soros money is behind every one of these colour revolutions. The West wants Belarus as a "
             "NATO base on Russia's border.")
    (result_,) = ToxicityModel(out).predict([soros])
    assert (result_.label, round(result_.scores["normal"], 2)) == ("normal", 0.54)
