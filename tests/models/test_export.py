"""The shared int8 export (sentence encoder, fine-tuned narrative tagger) on a tiny graph built in code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


@pytest.mark.slow
def test_export_int8_gives_a_graph_the_sentence_encoder_runs(tmp_path: Path, tiny_tokenizer) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnxscript")
    pytest.importorskip("onnxruntime")
    from narrascope.models.sentence import SentenceEncoder, export_int8

    class Tiny(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.words = torch.nn.Embedding(2000, 16)
            self.types = torch.nn.Embedding(2, 16)
            self.proj = torch.nn.Linear(16, 8)

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.proj(self.words(input_ids) + self.types(token_type_ids))
            m = attention_mask.unsqueeze(-1).to(h.dtype)
            return torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=1)

    torch.manual_seed(0)
    model = Tiny().eval()
    path = export_int8(model, tmp_path, "tiny.int8.onnx", "tiny.fp32.onnx", "pooled")
    assert path == tmp_path / "tiny.int8.onnx" and path.is_file() and not (tmp_path / "tiny.fp32.onnx").exists()

    tiny_tokenizer.save(str(tmp_path / "tokenizer.json"))
    texts = ["the propaganda", "", "abc 42 xyz"]
    emb = SentenceEncoder(tmp_path, model_file="tiny.int8.onnx", output="pooled", dim=8).encode(texts)
    assert emb.shape == (3, 8) and not emb[1].any()
    ids = torch.tensor([tiny_tokenizer.encode(texts[0]).ids])
    with torch.no_grad():
        expected = model(ids, torch.ones_like(ids), torch.zeros_like(ids))[0].numpy()
    assert float(np.dot(emb[0], expected)) > 0.95
