"""The shipped int8 technique graph as a torch model (``[train]`` extra).

The repository ships only ``model.int8.onnx``; the fp32 training checkpoint is not committed.
:func:`tagger_from_onnx` rebuilds the fine-tuned :class:`~narrascope.techniques.training.TechniqueTagger`
from the graph itself: every int8 weight is dequantized (``(q - zero_point) * scale``, per tensor or
per output column) into the all-MiniLM-L6-v2 architecture of the pinned base package. The result is
the same fine-tuned model up to int8 rounding of its weights, so the speed benchmark can run the
torch side on any machine (``benchmarks/techniques_speed.py`` without ``--checkpoint``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import torch

from narrascope.techniques.training import TechniqueTagger, build_model

# a MatMulInteger output names the module whose weight it multiplies by
_MODULE = re.compile(r"^/(?P<path>(?:encoder/encoder/layer\.\d+/[a-z_/]+?/dense)|head)/MatMul_output")
_ATTENTION = re.compile(r"^Attention_(?P<layer>\d+)_(?P<part>[qkv])_weight_quantized$")
_PARTS = {"q": "query", "k": "key", "v": "value"}


def dequantized_weights(path: str | Path) -> dict[str, np.ndarray]:
    """The graph's weights as the torch state dict of a ``TechniqueTagger``, float32."""
    import onnx
    from onnx import numpy_helper

    try:
        graph = onnx.load(str(path)).graph
    except Exception as exc:  # noqa: BLE001 - protobuf's DecodeError and OSErrors alike
        raise ValueError(f"{path}: not a readable ONNX graph ({type(exc).__name__}: {exc})") from exc
    init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    if "encoder.embeddings.word_embeddings.weight_quantized" not in init or "head.bias" not in init:
        raise ValueError(f"{path}: not an int8 technique graph (no quantized embeddings or technique head)")

    def real(name: str) -> np.ndarray:  # a quantized initializer, dequantized
        q, scale, zero = (init[f"{name}_{s}"] for s in ("quantized", "scale", "zero_point"))
        return ((q.astype(np.float32) - zero.astype(np.float32)) * scale.astype(np.float32)).astype(np.float32)

    state: dict[str, np.ndarray] = {}
    for part in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
        state[f"encoder.embeddings.{part}.weight"] = real(f"encoder.embeddings.{part}.weight")
    for part in ("weight", "bias"):
        state[f"encoder.embeddings.LayerNorm.{part}"] = real(f"encoder.embeddings.LayerNorm.{part}")
    for name, value in init.items():
        if name.endswith((".bias", ".weight")) and not name.startswith("encoder.embeddings."):
            state[name] = value.astype(np.float32)
        elif m := re.fullmatch(r"Attention_(\d+)_qkv_bias", name):  # [q | k | v], one hidden size each
            for part, bias in zip(("query", "key", "value"), np.split(value, 3), strict=True):
                state[f"encoder.encoder.layer.{m[1]}.attention.self.{part}.bias"] = bias
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        weight = node.input[1].removesuffix("_quantized")
        if m := _ATTENTION.match(node.input[1]):
            module = f"encoder.encoder.layer.{m['layer']}.attention.self.{_PARTS[m['part']]}"
        elif m := _MODULE.match(node.output[0]):
            module = m["path"].replace("/", ".")
        else:
            raise ValueError(f"{path}: cannot tell which module the weight {node.input[1]} belongs to")
        state[f"{module}.weight"] = real(weight).T.copy()  # MatMul keeps [in, out]; nn.Linear [out, in]
    return state


def tagger_from_onnx(path: str | Path | None = None, base_dir: Path | None = None) -> TechniqueTagger:
    """The fine-tuned tagger rebuilt from the shipped (or given) int8 graph, in eval mode."""
    from narrascope.models.encoder import verify_base_encoder
    from narrascope.techniques.inference import MODEL_DIR, MODEL_FILE

    path = Path(path) if path else MODEL_DIR / MODEL_FILE
    state = dequantized_weights(path)  # checked before the base encoder loads
    model = build_model(verify_base_encoder(base_dir))
    expected = model.state_dict()
    # the pooler is not on the path to the logits (the graph has none); it keeps the base weights
    missing = sorted(k for k in expected if k not in state and not k.startswith("encoder.pooler."))
    if missing or set(state) - set(expected):
        raise ValueError(f"{path}: the graph's weights do not fill the tagger (missing {missing[:3]}, "
                         f"unexpected {sorted(set(state) - set(expected))[:3]})")
    model.load_state_dict({k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in state.items()}, strict=False)
    return model.eval()
