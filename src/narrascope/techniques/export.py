"""Export a trained tagger to ONNX, fuse it for onnxruntime and quantize it to int8 (``[train]`` extra).

The fast path traces the tagger with eager (matmul/softmax) attention through the TorchScript
exporter, then onnxruntime's transformer optimizer fuses each layer into ``Attention``,
``SkipLayerNormalization`` and ``BiasGelu`` (plus one ``EmbedLayerNormalization``), and dynamic
int8 quantisation turns them into ``QAttention`` / ``MatMulInteger`` / ``QEmbedLayerNormalization``
with per-channel weight scales. The fused graph is faster than the unfused one (2.01x torch fp32
instead of 1.58x in ``benchmarks/techniques_speed.py``) and needs half the memory; SDPA attention
and the dynamo exporter hide the attention pattern from the optimizer, so the unfused dynamo graph
stays the fallback when fusion does not find every layer.

The fused graph is then rewritten for onnxruntime's CPU kernels (:func:`_for_cpu`): each
``Attention`` becomes three int8 ``MatMul`` and a ``MultiHeadAttention`` without mask (the flash
attention kernel, which onnxruntime only uses without a mask; inference batches windows of one
length instead), and ``SkipLayerNormalization`` / ``BiasGelu`` go back to ``Add`` +
``LayerNormalization`` / ``Gelu``, whose kernels are several times faster (see
``inference.SKIPPED_FUSIONS``). Measured on 2 cores: 9,600 tokens/s with only the norms
rewritten, about 11,000-12,000 with the mask-free attention, against 8,000-8,400 before.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.techniques.inference import MODEL_FILE

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUTS = ("logits", "hidden")
FUSED_OPSET = 14
QUANTIZED_OPS = ["MatMul", "EmbedLayerNormalization", "Gather"]
CPU_OPSET = 20  # LayerNormalization (17) and Gelu (20)

log = logging.getLogger(__name__)


def _example(torch: Any) -> tuple[Any, Any, Any]:
    ids = torch.randint(1000, 2000, (2, 17))
    return ids, torch.ones_like(ids), torch.zeros_like(ids)


def _export_dynamo(model: Any, path: Path) -> None:
    """Unfused graph through the dynamo exporter (onnxscript)."""
    import onnx
    import torch

    batch, tokens = torch.export.Dim("batch", max=4096), torch.export.Dim("tokens", max=512)
    shapes = {name: {0: batch, 1: tokens} for name in INPUTS}
    program = torch.onnx.export(model, _example(torch), dynamo=True, input_names=list(INPUTS),
                                output_names=list(OUTPUTS), dynamic_shapes=shapes, optimize=True,
                                external_data=False)
    if program is None:
        raise RuntimeError(f"torch.onnx.export returned no program for {path}")
    program.save(str(path))
    proto = onnx.load(str(path))
    proto.ir_version = min(proto.ir_version, 10)  # onnxruntime reads IR <= 13; 10 is widely supported
    onnx.save(proto, str(path))


def fused_op_counts(path: Path) -> dict[str, int]:
    """How many of each fused transformer op the graph at ``path`` holds."""
    import onnx

    counts: dict[str, int] = {}
    for node in onnx.load(str(path), load_external_data=False).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    names = ("Attention", "SkipLayerNormalization", "BiasGelu", "EmbedLayerNormalization")
    return {name: counts.get(name, 0) for name in names}


def _export_fused(model: Any, path: Path) -> bool:
    """Fused fp32 graph at ``path``; False when the optimizer did not fuse every layer."""
    import warnings

    import torch
    from onnxruntime.transformers.optimizer import optimize_model

    config = model.encoder.config
    eager = copy.deepcopy(model).eval()
    eager.encoder.set_attn_implementation("eager")
    traced = path.with_suffix(".traced.onnx")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, *OUTPUTS)}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about the mask are moot: the fused graph replaces it
            torch.onnx.export(eager, _example(torch), str(traced), dynamo=False, input_names=list(INPUTS),
                              output_names=list(OUTPUTS), dynamic_axes=axes, opset_version=FUSED_OPSET,
                              do_constant_folding=True)
        fused = optimize_model(str(traced), model_type="bert", num_heads=config.num_attention_heads,
                               hidden_size=config.hidden_size, opt_level=0)
        fused.save_model_to_file(str(path))
    finally:
        traced.unlink(missing_ok=True)
    counts = fused_op_counts(path)
    layers = config.num_hidden_layers
    expected = {"Attention": layers, "SkipLayerNormalization": 2 * layers, "BiasGelu": layers,
                "EmbedLayerNormalization": 1}
    if counts != expected:
        log.warning("transformer fusion found %s, expected %s; exporting the unfused graph", counts, expected)
        return False
    return True


def _for_cpu(path: Path) -> None:
    """Rewrite the fused graph at ``path`` in place for onnxruntime's CPU kernels (see the module docstring)."""
    import onnx
    from onnx import helper, numpy_helper

    proto = onnx.load(str(path))
    graph = proto.graph
    weights = {init.name: init for init in graph.initializer}
    nodes: list[Any] = []
    make = helper.make_node
    for node in graph.node:
        name, ins, outs = node.name, list(node.input), list(node.output)
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if node.op_type == "Cast" and ins[0] == "attention_mask":
            continue
        if node.op_type == "EmbedLayerNormalization":
            nodes.append(make(node.op_type, ins[:7], outs, name=name, domain=node.domain, **attrs))
        elif node.op_type == "SkipLayerNormalization":
            summed = ins[0]
            if len(ins) > 4 and ins[4]:
                nodes.append(make("Add", [ins[0], ins[4]], [f"{name}_biased"], name=f"{name}_bias"))
                summed = f"{name}_biased"
            nodes.append(make("Add", [summed, ins[1]], [f"{name}_sum"], name=f"{name}_skip"))
            nodes.append(make("LayerNormalization", [f"{name}_sum", ins[2], ins[3]], outs[:1], name=f"{name}_norm",
                              axis=-1, epsilon=attrs["epsilon"]))
        elif node.op_type == "BiasGelu":
            nodes.append(make("Add", ins, [f"{name}_biased"], name=f"{name}_bias"))
            nodes.append(make("Gelu", [f"{name}_biased"], outs, name=f"{name}_gelu"))
        elif node.op_type == "Attention":
            qkv = numpy_helper.to_array(weights[ins[1]])
            hidden = qkv.shape[0]
            parts = []
            for k, part in enumerate("qkv"):
                w = f"{name}_{part}_weight"
                graph.initializer.append(numpy_helper.from_array(qkv[:, k * hidden:(k + 1) * hidden].copy(), w))
                nodes.append(make("MatMul", [ins[0], w], [f"{name}_{part}"], name=f"{name}_{part}_matmul"))
                parts.append(f"{name}_{part}")
            graph.initializer.remove(weights[ins[1]])
            nodes.append(make("MultiHeadAttention", [*parts, ins[2]], outs, name=f"{name}_mha",
                              domain="com.microsoft", num_heads=attrs["num_heads"]))
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    inputs = [i for i in graph.input if i.name != "attention_mask"]
    del graph.input[:]
    graph.input.extend(inputs)
    for opset in proto.opset_import:
        if opset.domain in ("", "ai.onnx"):
            opset.version = CPU_OPSET
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))


def export_onnx(model: Any, out_dir: Path, keep_fp32: bool = False, fuse: bool = True) -> Path:
    """Write ``model.int8.onnx`` (inputs int64 ``[batch, tokens]``; outputs ``logits``, ``hidden``) to ``out_dir``.

    The fused graph takes ``input_ids`` and ``token_type_ids`` only (no padding, no mask).
    ``fuse=False`` (or a graph the optimizer cannot fuse) gives the unfused dynamo graph with an
    ``attention_mask`` input and int8 ``MatMul`` and ``Gather`` weights.
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    model = model.float().eval()
    fp32 = out_dir / "model.fp32.onnx"
    fused = fuse and _export_fused(model, fp32)
    if fused:
        _for_cpu(fp32)
    else:
        _export_dynamo(model, fp32)
    int8 = out_dir / MODEL_FILE
    # fused ops are in the com.microsoft domain, which shape inference cannot type: say their tensors are float
    quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=QUANTIZED_OPS if fused else ["MatMul", "Gather"],
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    if not keep_fp32:
        fp32.unlink()
    return int8


def compare(model: Any, onnx_path: Path, threads: int = 1) -> float:
    """Largest absolute difference of SI probabilities between torch and the ONNX file on a random batch.

    The last row is padded, so the attention mask of the graph is checked too; a graph without a
    mask input gets that row alone, unpadded.
    """
    import torch

    from narrascope.models.encoder import ort_session

    ids = torch.randint(1000, 20000, (3, 40))
    mask = torch.ones_like(ids)
    mask[-1, 25:] = 0
    ids[-1, 25:] = 0
    feeds = {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": np.zeros((3, 40), np.int64)}
    with torch.no_grad():
        ref = model(ids, mask, torch.zeros_like(ids))[0].numpy()
    from narrascope.techniques.inference import SKIPPED_FUSIONS

    session = ort_session(onnx_path, threads, disabled_optimizers=SKIPPED_FUSIONS)
    if "attention_mask" in {i.name for i in session.get_inputs()}:
        got = session.run(["logits"], feeds)[0]
    else:
        unmasked = {k: v for k, v in feeds.items() if k != "attention_mask"}
        got = np.zeros_like(ref)
        got[:-1] = session.run(["logits"], {k: v[:-1] for k, v in unmasked.items()})[0]
        got[-1:, :25] = session.run(["logits"], {k: v[-1:, :25] for k, v in unmasked.items()})[0]
    sig = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    valid = mask.numpy().astype(bool)
    return float(np.abs(sig(ref[..., 0]) - sig(got[..., 0]))[valid].max())
