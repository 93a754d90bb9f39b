"""Distillation of the shipped graphs into one student: capture, training split hygiene, exported views."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from narrascope.models.distil.capture import (  # noqa: E402
    GRAPHS,
    Capture,
    recording,
    run_layer,
    sentence_targets,
    training_items,
)
from narrascope.models.encoder import load_tokenizer, ort_session  # noqa: E402
from narrascope.models.sentence import MODEL_DIR, SentenceEncoder, encoder_beside  # noqa: E402

TEXTS = ["The senator voted against the budget 12 times since 2019.",
         "You people are all the same, go back where you came from!",
         "NATO is encircling Russia."]


def _captured(layer: str, texts: list[str]) -> Capture:
    capture = Capture(layer)
    with recording(capture, lambda: "fit"):
        run_layer(layer, texts)
    return capture


def test_recording_keeps_each_row_the_sentence_encoder_ran_and_what_it_answered(tmp_path: Path) -> None:
    capture = _captured("sentence", TEXTS[:2])
    tokenizer = load_tokenizer(MODEL_DIR)
    expected = sorted((tokenizer.encode(t).ids for t in TEXTS[:2]), key=len)  # the encoder runs shortest first
    assert [r.tolist() for r in capture.ids] == expected
    assert capture.part == ["fit", "fit"]
    embeddings = SentenceEncoder().encode(TEXTS[:2])
    by_ids = {tuple(tokenizer.encode(t).ids): e for t, e in zip(TEXTS[:2], embeddings, strict=True)}
    for ids, row in zip(capture.ids, capture.outputs["sentence_embedding"], strict=True):
        np.testing.assert_allclose(row, by_ids[tuple(ids.tolist())], atol=1e-6)
    np.testing.assert_allclose(sentence_targets(capture), np.stack(capture.outputs["sentence_embedding"]), atol=1e-6)

    capture.save(tmp_path / "sentence.npz")
    again = Capture.load(tmp_path / "sentence.npz", "sentence")
    assert [r.tolist() for r in again.ids] == expected and again.part == ["fit", "fit"]
    np.testing.assert_array_equal(np.stack(again.outputs["sentence_embedding"]),
                                  np.stack(capture.outputs["sentence_embedding"]))


def test_recording_keeps_token_outputs_per_token_and_restores_the_session_factory() -> None:
    from narrascope.models import encoder

    original = encoder.ort_session
    capture = _captured("toxicity", TEXTS[1:2])
    assert encoder.ort_session is original
    [ids] = capture.ids
    assert ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP] of the one window
    assert capture.outputs["span_probs"][0].shape == (len(ids),)
    assert capture.outputs["scores"][0].shape == (3,) and abs(float(capture.outputs["scores"][0].sum()) - 1) < 1e-4
    assert capture.outputs["target_probs"][0].shape == (10,)
    techniques = _captured("techniques", TEXTS[:1])
    assert techniques.outputs["logits"][0].shape == (len(techniques.ids[0]), 15)
    assert "hidden" not in techniques.outputs


def _test_keys(data: Path, layer: str) -> set:
    from narrascope.evaluation import splits

    if layer == "techniques":
        from narrascope.techniques.scores import read_ptc

        return set(splits.ptc_split(sorted(read_ptc(data)[0])).test)
    if layer == "toxicity":
        from narrascope.toxicity.data import load_hatexplain, load_toxic_spans

        root = data / "toxicity"
        examples = load_hatexplain(root / "hatexplain") + \
            load_toxic_spans(root / "toxic_spans_civilcomments" / "tsd_train.csv")
        return {examples[i].id for i in splits.toxicity_split(examples).test}
    if layer == "claims":
        from narrascope.claims.data import find, read_claimbuster

        cb = read_claimbuster(find(data, "claimbuster_crowdsourced.csv"))
        return set(splits.claimbuster_split(np.array([s.label for s in cb]), np.array([s.group for s in cb])).test)
    from narrascope.narratives.data import read_training_cases

    return set(splits.narratives_split(read_training_cases(data)).test)


@pytest.mark.parametrize("layer", list(GRAPHS))
def test_capture_reads_no_test_item(shared_data: Path, layer: str) -> None:
    items = training_items(shared_data, layer, limit=None)
    test = _test_keys(shared_data, layer)
    keys = {k for part in items.values() for k, _ in part}
    assert test and len(items["fit"]) > len(items["validation"]) > 0
    assert not keys & test
    sampled = training_items(shared_data, layer, limit=20, seed=3)
    assert len(sampled["fit"]) == 20 and len(sampled["validation"]) == 2
    assert {k for k, _ in sampled["fit"]} <= {k for k, _ in items["fit"]}


def test_linear_heads_read_the_sentence_encoder_beside_them(tmp_path: Path) -> None:
    assert encoder_beside(None) is None and encoder_beside(tmp_path) is None
    shutil.copy(MODEL_DIR / "model.int8.onnx", tmp_path / "model.int8.onnx")
    shutil.copy(MODEL_DIR / "tokenizer.json", tmp_path / "tokenizer.json")
    beside = encoder_beside(tmp_path)
    assert beside is not None and beside.model_dir == tmp_path
    np.testing.assert_allclose(beside.encode(TEXTS), SentenceEncoder().encode(TEXTS), atol=1e-6)


def _every_layer() -> list[Capture]:
    """Each graph's rows on two texts (fit) and a third (validation); the sentence graph's last."""
    captures = []
    for layer in GRAPHS:
        capture = Capture(layer)
        for part, texts in (("fit", TEXTS[:2]), ("validation", TEXTS[2:])):
            with recording(capture, lambda p=part: p):  # type: ignore[misc]
                run_layer(layer, texts)
        captures.append(capture)
    assert captures[-1].layer == "sentence"
    return captures


def _signature(path: Path) -> tuple[list, list]:
    session = ort_session(path)
    fixed = lambda shape: [d if isinstance(d, int) else None for d in shape]  # noqa: E731
    return ([(i.name, fixed(i.shape)) for i in session.get_inputs()],
            [(o.name, fixed(o.shape)) for o in session.get_outputs()])


@pytest.mark.slow
def test_a_tiny_student_trains_and_exports_views_shaped_as_the_shipped_graphs(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("onnxscript")
    from narrascope.models.distil.student import build_student, train_student
    from narrascope.models.distil.views import SHIPPED, write_views

    captures = _every_layer()
    for capture in captures[:-1]:
        capture.outputs["sentence_aux"] = list(sentence_targets(capture))
    torch.manual_seed(0)
    config = transformers.BertConfig(hidden_size=384, num_hidden_layers=1, num_attention_heads=2,
                                     intermediate_size=64, max_position_embeddings=512)
    student = build_student(transformers.BertModel(config))
    result = train_student(student, captures, epochs=1, tokens=512, log=lambda _: None)
    assert [e["epoch"] for e in result["epochs"]] == [0, 1] and result["chosen_epoch"] == 1  # a trained epoch
    assert set(result["epochs"][1]["validation"]) == set(GRAPHS)

    dirs = write_views(student, tmp_path)
    for layer, (shipped, name) in SHIPPED.items():
        assert _signature(dirs[layer] / name) == _signature(shipped / name), layer
        kept = {f.name for f in shipped.iterdir() if f.is_file() and not f.name.endswith((".onnx", ".md"))}
        assert kept <= {f.name for f in dirs[layer].iterdir()}
    assert (dirs["narratives"] / "model.int8.onnx").is_file() and (dirs["claims"] / "model.int8.onnx").is_file()
    assert not (dirs["toxicity"] / "MODEL_CARD.md").exists()

    from narrascope.models.distil.views import view_module

    ids = torch.from_numpy(captures[2].ids[0].astype(np.int64))[None]
    with torch.no_grad():
        expected = view_module(student, "claims")(ids, torch.ones_like(ids), torch.zeros_like(ids)).numpy()
    feed = {"input_ids": ids.numpy(), "attention_mask": np.ones_like(ids.numpy()),
            "token_type_ids": np.zeros_like(ids.numpy())}
    got = ort_session(dirs["claims"] / "finetuned.int8.onnx").run(["probabilities"], feed)[0]
    assert got.shape == (1, 1) and abs(float(got[0, 0]) - float(expected[0, 0])) < 0.05


@pytest.mark.slow
def test_train_distil_trains_on_a_capture_it_finds_and_reports_the_run(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    from typer.testing import CliRunner

    from narrascope.cli import app

    out = tmp_path / "run"
    (out / "capture").mkdir(parents=True)
    for capture in _every_layer():
        capture.save(out / "capture" / f"{capture.layer}.npz")
    base = tmp_path / "base"
    torch.manual_seed(0)
    transformers.BertModel(transformers.BertConfig(hidden_size=384, num_hidden_layers=1, num_attention_heads=2,
                                                   intermediate_size=64)).save_pretrained(str(base))
    bad = CliRunner().invoke(app, ["train", "distil", "--data", str(tmp_path), "--out", str(out),
                                   "--tokens", "opinions=10"])
    assert bad.exit_code == 2 and "'opinions=10' is not LAYER=NUMBER" in bad.output
    result = CliRunner().invoke(app, ["train", "distil", "--data", str(tmp_path), "--out", str(out), "--base",
                                      str(base), "--limit", "claims=5", "--tokens", "techniques=100", "--epochs", "1",
                                      "--lr", "1e-4", "--batch-tokens", "256", "--seed", "1", "--threads", "1",
                                      "--techniques-weight", "0.5",
                                      "--no-views"])
    assert result.exit_code == 0, result.output
    assert "reusing the capture there" in result.output and "chosen epoch" in result.output
    summary = json.loads((out / "training.json").read_text(encoding="utf-8"))
    assert summary["tokens"]["techniques"] == 100 and summary["limits"]["claims"] == 5 and summary["seed"] == 1
    assert summary["techniques_weight"] == 0.5
    assert [e["epoch"] for e in summary["epochs"]] == [0, 1] and summary["chosen_epoch"] == 1
    assert (out / "student.pt").is_file()
    assert not (out / "views").exists()
