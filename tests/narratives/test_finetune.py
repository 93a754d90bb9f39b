"""The fine-tune + int8 export path of the narrative tagger, on a tiny BERT and a synthetic corpus (seconds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.narratives.test_training import corpus


@pytest.mark.slow
def test_finetune_exports_an_int8_tagger_onnxruntime_scores(tmp_path: Path, tiny_tokenizer, tiny_bert) -> None:
    ort = pytest.importorskip("onnxruntime")
    from narrascope.narratives.finetune import LABELS_FILE, ONNX_FILE, FinetunedHeads, finetune
    from narrascope.narratives.model import NarrativeModel

    base = tiny_bert
    out = tmp_path / "out"
    summary = finetune(corpus(tmp_path / "data"), out, epochs=1, base=base, log=lambda m: None)
    assert summary["heldout"]["cases"] == 60 and 0 <= summary["heldout"]["micro_f1_top20"] <= 1
    assert not (out / "finetuned.fp32.onnx").exists()

    session = ort.InferenceSession(str(out / ONNX_FILE), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input_ids", "attention_mask", "token_type_ids"]
    heads = FinetunedHeads(out)
    assert FinetunedHeads.available(out) and {"NATO", "George Soros", "Coup"} <= set(heads.labels)
    assert len(heads.thresholds) == len(heads.labels)
    texts = ["NATO is near the border", "Soros pays the protesters", "The Maidan was a coup"]
    p = heads.probabilities(np.zeros((3, 384), np.float32), texts)
    assert p.shape == (3, len(heads.labels)) and np.isfinite(p).all() and ((p >= 0) & (p <= 1)).all()
    ids = np.array([tiny_tokenizer.encode(texts[0]).ids])
    direct = session.run(["probabilities"], {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                             "token_type_ids": np.zeros_like(ids)})[0]
    assert np.allclose(direct[0], p[0], atol=0.01)  # int8 activations are scaled per batch (padding differs)
    assert isinstance(NarrativeModel(heads=out / "heads.npz").heads, FinetunedHeads)
    assert (out / LABELS_FILE).is_file()


@pytest.mark.slow
def test_finetune_blends_with_the_heads_of_the_same_run(tmp_path: Path, tiny_bert) -> None:
    from tests.narratives.test_training import HashEncoder

    from narrascope.narratives.finetune import FinetunedHeads, finetune
    from narrascope.narratives.heads import BlendedHeads, LinearHeads
    from narrascope.narratives.model import NarrativeModel
    from narrascope.narratives.training import HELDOUT_FILE, train

    data, out = corpus(tmp_path / "data"), tmp_path / "out"
    heads_f1 = train(data, out, negatives=50, encoder=HashEncoder(), log=lambda m: None)["heldout"]["micro_f1_top20"]
    with np.load(out / HELDOUT_FILE) as z:
        assert z["test"].shape[0] == 60 and z["val"].shape[1] == z["test"].shape[1] == len(z["labels"])
    summary = finetune(data, out, epochs=1, base=tiny_bert, log=lambda m: None)
    weight, held = summary["blend_weight"], summary["heldout"]
    assert weight in np.round(np.arange(0, 1.01, 0.1), 1)
    # the weight is chosen on validation cases: the heads alone (weight 0) are among the candidates
    assert held["micro_f1_top20_blend"] >= min(heads_f1, held["micro_f1_top20_int8"]) - 0.1
    chosen = NarrativeModel(heads=out / "heads.npz").heads
    assert isinstance(chosen, BlendedHeads if weight < 1 else FinetunedHeads)

    linear, tagger = LinearHeads.load(out / "heads.npz"), FinetunedHeads(out)
    texts = ["NATO is near the border", "Soros pays the protesters"]
    emb = HashEncoder().encode(texts)
    mixed = BlendedHeads(linear, tagger, 0.3)
    expected = 0.3 * tagger.probabilities(None, texts) + 0.7 * linear.probabilities(emb, texts)
    assert np.allclose(mixed.probabilities(emb, texts), expected, atol=1e-6)
    assert mixed.labels == tagger.labels and "@0.3" in mixed.meta["version"]
    linear.labels = linear.labels[::-1]
    with pytest.raises(ValueError, match="different labels"):
        BlendedHeads(linear, tagger, 0.3)


@pytest.mark.slow
def test_finetune_to_ship_holds_nothing_out_and_still_blends(tmp_path: Path, tiny_bert) -> None:
    from tests.narratives.test_training import HashEncoder, with_new_topic

    from narrascope.narratives.finetune import FinetunedHeads, finetune
    from narrascope.narratives.heads import BlendedHeads
    from narrascope.narratives.model import NarrativeModel
    from narrascope.narratives.training import train

    data, out = with_new_topic(tmp_path / "data"), tmp_path / "out"
    train(data, out, negatives=50, encoder=HashEncoder(), log=lambda m: None, holdout=0.0, validation="recent-half")
    summary = finetune(data, out, epochs=1, base=tiny_bert, log=lambda m: None, holdout=0.0, validation="recent-half")
    assert "heldout" not in summary and summary["split"]["validation_cases"] == 57
    assert summary["version"] == "narratives-minilm-finetuned-1ep-holdout0-recent-half"
    assert 0 <= summary["validation_micro_f1_top20_blend"] <= 1 and summary["blend_weight"] is not None
    heads = NarrativeModel(heads=out / "heads.npz").heads
    assert "Pandemic" in heads.labels  # the newest cases' tag, which a held-out run never learns
    assert isinstance(heads, BlendedHeads if summary["blend_weight"] < 1 else FinetunedHeads)
    assert heads.meta["version"].startswith("narratives-minilm-finetuned-1ep-holdout0-recent-half")
