"""Export a trained tagger to ONNX (dynamo exporter) and quantize it to int8 (``[train]`` extra).

transformers 5.x breaks the legacy ``torch.onnx.export``; the dynamo exporter (onnxscript) works.
Dynamic int8 quantisation of MatMul weights per channel keeps outputs closest to fp32.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from narrascope.techniques.inference import MODEL_FILE

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_onnx(model: Any, out_dir: Path, keep_fp32: bool = False) -> Path:
    """Write ``model.int8.onnx`` (inputs int64 ``[batch, tokens]``; outputs ``logits``, ``hidden``) to ``out_dir``."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    model = model.float().eval()
    ids = torch.randint(1000, 2000, (2, 17))
    args = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    batch, tokens = torch.export.Dim("batch", max=4096), torch.export.Dim("tokens", max=512)
    shapes = {name: {0: batch, 1: tokens} for name in INPUTS}
    fp32 = out_dir / "model.fp32.onnx"
    program = torch.onnx.export(model, args, dynamo=True, input_names=list(INPUTS), output_names=["logits", "hidden"],
                                dynamic_shapes=shapes, optimize=True, external_data=False)
    program.save(str(fp32))
    proto = onnx.load(str(fp32))
    proto.ir_version = min(proto.ir_version, 10)  # onnxruntime reads IR <= 13; 10 is widely supported
    onnx.save(proto, str(fp32))
    int8 = out_dir / MODEL_FILE
    quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"])
    if not keep_fp32:
        fp32.unlink()
    return int8


def compare(model: Any, onnx_path: Path, threads: int = 1) -> float:
    """Largest absolute difference of SI probabilities between torch and the ONNX file on a random batch."""
    import torch

    from narrascope.models.encoder import ort_session

    ids = torch.randint(1000, 20000, (3, 40))
    feeds = {"input_ids": ids.numpy(), "attention_mask": np.ones((3, 40), np.int64),
             "token_type_ids": np.zeros((3, 40), np.int64)}
    with torch.no_grad():
        ref = model(ids, torch.ones_like(ids), torch.zeros_like(ids))[0].numpy()
    got = ort_session(onnx_path, threads).run(["logits"], feeds)[0]
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    return float(np.abs(sig(ref[..., 0]) - sig(got[..., 0])).max())
