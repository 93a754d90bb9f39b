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

from narrascope.models.sentence import export_int8
from narrascope.toxicity.data import LABELS, TARGETS
from narrascope.toxicity.training import base_model_dir, build_network

MODEL_FILE = "toxicity.int8.onnx"
INPUTS = ("input_ids", "attention_mask")
OUTPUTS = ("scores", "span_probs", "target_probs")


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
    """Write ``toxicity.int8.onnx``, ``tokenizer.json`` and ``config.json`` to ``out_dir``.

    The graph goes through the project's one exporter (:func:`~narrascope.models.sentence.export_int8`):
    dynamo export over ``input_ids`` and ``attention_mask``, per-channel int8 MatMul/Gather weights, no
    activation shapes (as the shipped graph was exported; see ``export_int8``).
    """
    import torch

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    base = base_model_dir()
    net = build_network(base, pooling)
    net.load_state_dict(torch.load(weights, map_location="cpu"))
    export_int8(_serving_module(net.eval()), out, MODEL_FILE, "toxicity.fp32.onnx", OUTPUTS, inputs=INPUTS,
                activation_shapes=False)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    config = {"version": version, "labels": list(LABELS), "targets": list(TARGETS), "max_length": 256,
              "span_threshold": span_threshold, "target_threshold": 0.4,
              "base_model": "sentence-transformers/all-MiniLM-L6-v2"}
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    return out / MODEL_FILE
