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
