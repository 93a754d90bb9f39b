"""Export trained toxicity weights to ONNX (dynamo exporter) and quantise them to int8.

The exported graph takes ``input_ids`` and ``attention_mask`` and returns class
probabilities (hatespeech, offensive, normal), per-token toxic-span probabilities and
target-group probabilities, so inference needs onnxruntime and tokenizers only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, TARGETS
from narrascope.toxicity.training import base_model_dir, build_network

MODEL_FILE = "toxicity.int8.onnx"


def _serving_module(net: Any) -> Any:
    import torch

    class Serve(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any, Any]:
            logits, tokens, targets = self.net(input_ids, attention_mask)
            return torch.softmax(logits, -1), torch.sigmoid(tokens[..., 0]), torch.sigmoid(targets)

    return Serve().eval()


def export_onnx(weights: str | Path, out_dir: str | Path, span_threshold: float = 0.5,
                version: str = "1", pooling: str = "mean") -> Path:
    """Write ``toxicity.int8.onnx``, ``tokenizer.json`` and ``config.json`` to ``out_dir``."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = base_model_dir()
    net = build_network(base, pooling)
    net.load_state_dict(torch.load(weights, map_location="cpu"))
    serve = _serving_module(net.eval())
    ids = torch.ones((2, 16), dtype=torch.long)
    att = torch.ones((2, 16), dtype=torch.long)
    batch, seq = torch.export.Dim("batch", min=1, max=1024), torch.export.Dim("seq", min=2, max=512)
    fp32 = out / "toxicity.fp32.onnx"
    program = torch.onnx.export(serve, (ids, att), dynamo=True, input_names=["input_ids", "attention_mask"],
                                output_names=["scores", "span_probs", "target_probs"],
                                dynamic_shapes={"input_ids": {0: batch, 1: seq}, "attention_mask": {0: batch, 1: seq}})
    if program is None:
        raise RuntimeError("the ONNX exporter returned no program")
    program.save(str(fp32))
    model = onnx.load(str(fp32))
    del model.graph.value_info[:]  # the dynamo exporter's shape annotations upset quantisation's inference
    onnx.save(model, str(fp32), save_as_external_data=False)
    quantize_dynamic(str(fp32), str(out / MODEL_FILE), per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"])
    fp32.unlink()
    for extra in out.glob("toxicity.fp32.onnx*"):
        extra.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    config = {"version": version, "labels": list(LABELS), "targets": list(TARGETS), "max_length": 256,
              "span_threshold": span_threshold, "target_threshold": 0.4,
              "base_model": "sentence-transformers/all-MiniLM-L6-v2"}
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return out / MODEL_FILE
