"""Fine-tuning the multilingual trunk's top layers with the layers' heads (``train multilingual-finetune``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from narrascope.models import crosslingual
from narrascope.models.e5.finetune_run import choose


def result(reference: dict[str, float], *epochs: tuple[float, float, float]) -> dict:
    ref = {"shipped": {t: {"figure": v} for t, v in reference.items()}}
    rows = [{"epoch": i + 1, "claims": c, "narratives": n, "techniques": t} for i, (c, n, t) in enumerate(epochs)]
    return {"reference": ref, "epochs": rows}


def test_the_rule_picks_the_best_sum_among_epochs_that_keep_claims_and_ships_only_above_both() -> None:
    ref = {"claims": 0.80, "narratives": 0.65, "techniques": 0.72}
    # epoch 2 has the best sum but loses 0.02 claims F1: epoch 3 is chosen, and beats both agreements
    picked = choose(result(ref, (0.80, 0.66, 0.72), (0.78, 0.75, 0.80), (0.795, 0.70, 0.74)))
    assert (picked["epoch"], picked["ships"]) == (3, True)
    # the best sum beats narratives only: chosen, not shipped
    picked = choose(result(ref, (0.80, 0.70, 0.72), (0.80, 0.66, 0.73)))
    assert (picked["epoch"], picked["ships"]) == (1, False)
    assert choose(result(ref, (0.70, 0.90, 0.90)))["epoch"] is None


def test_the_reference_is_the_better_of_its_two_threshold_choices() -> None:
    res = result({"claims": 0.80, "narratives": 0.60, "techniques": 0.70}, (0.80, 0.64, 0.75))
    res["reference"]["thresholds chosen here"] = {"claims": {"figure": 0.79}, "narratives": {"figure": 0.65},
                                                  "techniques": {"figure": 0.69}}
    assert choose(res)["reference"] == {"claims": 0.80, "narratives": 0.65, "techniques": 0.70}
    assert choose(res)["ships"] is False


def tiny_trunk(trunk: Path) -> Path:
    """A seeded random two-layer BERT with the shipped trunk's tokenizer and pruning record (the [train] extra)."""
    import torch
    import transformers

    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=50_000, hidden_size=384, num_hidden_layers=2, num_attention_heads=12,
                                     intermediate_size=64, pad_token_id=1)
    transformers.BertModel(config, add_pooling_layer=False).save_pretrained(str(trunk))
    for name in ("tokenizer.json", "pruning.json"):
        shutil.copy(crosslingual.TRUNK / name, trunk / name)
    return trunk


@pytest.mark.slow
def test_a_tiny_trunk_is_fine_tuned_on_a_few_english_texts_and_written_as_the_layers_read_it(
        tmp_path: Path, shared_data: Path) -> None:
    torch = pytest.importorskip("torch", reason="fine-tuning needs the [train] extra")
    transformers = pytest.importorskip("transformers", reason="fine-tuning needs the [train] extra")
    if not (shared_data / "ptc").is_dir():
        pytest.skip(f"{shared_data}: no PTC, ClaimBuster and narratives data to fine-tune on")
    from narrascope.models.e5.finetune_run import finetune
    from narrascope.narratives.heads import LinearHeads
    from narrascope.techniques import TECHNIQUES
    from narrascope.techniques.sentence_head import load_head

    trunk = tiny_trunk(tmp_path / "trunk")
    summary = finetune(shared_data, trunk, tmp_path / "out", k=1, epochs=1, limit=12, validation_limit=12,
                       teacher=tmp_path / "teacher", claims_margin=1.0, log=lambda row: None)
    assert {t: (v["fit"], v["validation"]) for t, v in summary["tasks"].items()} == {
        "claims": (12, 12), "narratives": (12, 12), "techniques": (12, 12)}
    assert [row["epoch"] for row in summary["epochs_table"]] == [1]
    assert summary["choice"]["epoch"] == 1
    assert json.loads((tmp_path / "out" / "finetune-scores.json").read_text())["choice"]["epoch"] == 1
    heads = tmp_path / "out" / "heads"
    assert LinearHeads.load(heads / "claims.npz").labels == ["checkworthy"]
    assert LinearHeads.load(heads / "narratives.npz").labels == LinearHeads.load(
        crosslingual.heads_file("narratives")).labels
    assert load_head(heads / "techniques.npz", features=lambda texts: np.zeros((len(texts), 384))).labels == TECHNIQUES
    before = transformers.BertModel.from_pretrained(str(trunk)).state_dict()
    after = transformers.BertModel.from_pretrained(str(tmp_path / "out" / "trunk")).state_dict()
    frozen = "encoder.layer.0.attention.self.query.weight"
    trained = "encoder.layer.1.attention.self.query.weight"
    assert torch.equal(before[frozen], after[frozen])
    assert torch.equal(before["embeddings.word_embeddings.weight"], after["embeddings.word_embeddings.weight"])
    assert not torch.equal(before[trained], after[trained])


def test_a_packaged_trunk_carries_the_new_version_and_its_heads_are_scored_at_their_own_thresholds(
        tmp_path: Path) -> None:
    from narrascope.models.e5.finetune_check import head_figure, package
    from narrascope.models.e5.finetune_tasks import Task
    from narrascope.models.version import model_version
    from narrascope.techniques.sentence_head import save_head

    trunk, heads = tmp_path / "trunk", tmp_path / "heads"
    trunk.mkdir()
    (trunk / "model.int8.onnx").write_bytes(b"graph")
    labels = ["Loaded_Language", "Doubt"]
    coef, intercept = np.array([[4.0, 0.0], [0.0, 4.0]]), np.array([-2.0, -2.0])
    save_head(heads / "techniques.npz", coef, intercept, {"labels": labels, "threshold": 0.6, "version": "t-1"})
    model_dir = package(trunk, heads, tmp_path / "package", "trunk-ft-2")
    assert model_version(model_dir) == "trunk-ft-2"
    assert json.loads((model_dir / "config.json").read_text())["query_prefix"] == "query: "
    assert (model_dir / "tokenizer.json").read_bytes() == (crosslingual.TRUNK / "tokenizer.json").read_bytes()
    # sigmoid(2) = 0.88 passes 0.6, sigmoid(0) = 0.5 does not: sentences say Loaded_Language, Doubt, none, none
    emb = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.0, 0.0]])
    task = Task("techniques", labels, [], np.zeros(0), ["a", "b", "c", "d"], np.array([0, 1, 2, 0]))
    assert head_figure(task, model_dir / "techniques.npz", emb) == 0.75


@pytest.mark.slow
def test_the_command_fine_tunes_a_tiny_trunk_and_packages_it_with_its_heads(tmp_path: Path, shared_data: Path) -> None:
    """`narrascope train multilingual-finetune` end to end on a tiny random trunk and 12 texts per task: the
    figures, the rule's choice of the one epoch, the states cache and, with --onnx, the int8 package carrying the
    version given and the int8 scores."""
    pytest.importorskip("transformers", reason="fine-tuning needs the [train] extra")
    pytest.importorskip("torch", reason="fine-tuning needs the [train] extra")
    if not (shared_data / "ptc").is_dir():
        pytest.skip(f"{shared_data}: no PTC, ClaimBuster and narratives data to fine-tune on")
    from typer.testing import CliRunner

    from narrascope.cli import app

    trunk = tiny_trunk(tmp_path / "trunk")
    out, states = tmp_path / "out", tmp_path / "states"
    result = CliRunner().invoke(app, [
        "train", "multilingual-finetune", "--trunk", str(trunk), "--data", str(shared_data), "--out", str(out),
        "--top", "1", "--epochs", "1", "--limit", "12", "--validation-limit", "12", "--max-tokens", "32",
        "--threads", "1", "--cache", str(states), "--onnx", "--version", "tiny-ft-1"])
    assert result.exit_code == 0, result.output
    scores = json.loads((out / "finetune-scores.json").read_text())
    assert {t: (v["fit"], v["validation"]) for t, v in scores["tasks"].items()} == {
        "claims": (12, 12), "narratives": (12, 12), "techniques": (12, 12)}
    assert [row["epoch"] for row in scores["epochs_table"]] == [1]
    assert any(states.iterdir())  # the frozen layer's states were kept where --cache said
    assert (scores["choice"]["epoch"], scores["choice"]["ships"]) == (1, False)  # a random trunk beats no shipped head
    package = json.loads((out / "int8-scores.json").read_text())
    assert package["version"] == "tiny-ft-1" and package["model.int8.onnx bytes"] > 0
