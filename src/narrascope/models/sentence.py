"""The shared sentence encoder: all-MiniLM-L6-v2, mean-pooled and normalised, int8 ONNX.

One embedding per text (``[n, 384]``, unit length) for the narrative and check-worthiness heads,
narrative discovery and debunk matching. Inference needs only the ``[models]`` extra
(onnxruntime, tokenizers); :func:`export_sentence_encoder` re-creates the shipped file from the
pinned base weights (``[train]`` extra).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.runner import Runner
from narrascope.models.version import CONFIG_FILE, model_version
from narrascope.models.windows import clean_text, length_groups

MODEL_DIR = Path(__file__).resolve().parent / "sentence"
MODEL_FILE = "model.int8.onnx"
DIM = 384
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
VERSION = "minilm-l6-v2-mean-int8-1"
#: the embeddings of this many distinct texts an analysis encoder keeps (at most 30 MB at 384 dimensions)
REMEMBERED = 20_000


def _key(text: str) -> bytes:
    """A 16-byte digest of ``text`` (lone surrogates included) for an encoder's memory."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class SentenceEncoder:
    """Embed texts with the shipped int8 encoder; loads lazily, texts longer than ``max_tokens`` are cut.

    The graph runs through the shared :class:`~narrascope.models.runner.Runner`. ``threads`` is how
    many cores it uses: that many one-text calls side by side, or with ``batch_size`` above 1
    onnxruntime's intra-op threads. ``batch_size`` texts go through one call
    (sorted by length so short texts do not pad to long ones); the default, 1, makes a text's
    embedding depend on the text alone. The int8 graph quantises each call's activations with one
    scale, so texts batched together move each other's embeddings (cosine down to 0.98 at 64 a
    call): faster, but a score would change with the texts that happened to share its batch.
    ``model_file``/``output``/``dim`` let the same runner serve another pooled graph (a fine-tuned
    head's probabilities). ``remember`` keeps the embeddings of that many distinct texts (the latest) and
    returns them when the same text comes again (a sentence quoted in comments, every layer's multilingual
    head reading the same sentences through one trunk): only with ``batch_size`` 1, where a text's embedding
    is its own (exactly the vector a new call gives).
    """

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1, batch_size: int = 1,
                 max_tokens: int = 128, model_file: str = MODEL_FILE, output: str = "sentence_embedding",
                 dim: int = DIM, remember: int = 0) -> None:
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        self.model_file = model_file
        self.output = output
        self.dim = dim
        self.threads = threads
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.remember = remember
        self._runner: Runner | None = None
        self._prefix = ""
        self._memory: dict[bytes, np.ndarray] = {}

    def _load(self) -> Runner:
        if self._runner is None:
            runner = Runner(self.model_dir / self.model_file, self.model_dir / "tokenizer.json", self.threads,
                            self.batch_size)
            runner.tokenizer.enable_truncation(self.max_tokens)
            self._prefix = query_prefix(self.model_dir)
            self._runner = runner
        return self._runner

    @property
    def version(self) -> str:
        return model_version(self.model_dir)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 embeddings ``[len(texts), 384]``; an empty text gets a zero vector."""
        if not self.remember or self.batch_size != 1:
            return self._embed(texts)
        memory = self._memory
        keys = [_key(t) for t in texts]  # a digest, so a long text costs no memory to remember
        new = {k: t for k, t in zip(keys, texts, strict=True) if k not in memory}
        memory.update(zip(new, self._embed(list(new.values())), strict=True))
        out = np.stack([memory[k] for k in keys]) if texts else np.zeros((0, self.dim), dtype=np.float32)
        while len(memory) > self.remember:
            del memory[next(iter(memory))]
        return out

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        runner = self._load()
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # the tokenizer's own special tokens (e5 reads <s> ... </s>), cut at max_tokens: no windows
        # (a lone surrogate cannot reach the Rust tokenizer: read as U+FFFD, as the windowed models do)
        prefixed = [self._prefix + clean_text(t) if t else "" for t in texts]
        rows = [e.ids for e in runner.tokenizer.encode_batch(prefixed)]
        # blank texts keep their place in the batches (so batch-mates stay as they were) but are not run
        groups = [g for group in length_groups([len(r) for r in rows], self.batch_size)
                  if (g := [i for i in group if (texts[i] or "").strip()])]
        for group, (result,) in zip(groups, runner.run_rows(rows, groups, [self.output]), strict=True):
            out[group] = result
        return out


def query_prefix(model_dir: str | Path) -> str:
    """What the model in ``model_dir`` expects before every text (its ``config.json``'s ``query_prefix``;
    e5 reads ``"query: "``, MiniLM nothing)."""
    path = Path(model_dir) / CONFIG_FILE
    if not path.is_file():
        return ""
    return str(json.loads(path.read_text(encoding="utf-8")).get("query_prefix", ""))


def encoder_beside(model_dir: str | Path | None) -> SentenceEncoder | None:
    """A :class:`SentenceEncoder` on the ``model.int8.onnx`` in ``model_dir`` (a distilled student's sentence view
    beside its heads), or ``None`` where there is none (the heads then use the shipped encoder)."""
    if model_dir is None or not (Path(model_dir) / MODEL_FILE).is_file():
        return None
    return SentenceEncoder(model_dir)


class UsesSentenceEncoder:
    """For models that score shared sentence embeddings (narratives, check-worthiness).

    ``encoder`` is the one given to the constructor (``self._encoder``), else the shipped
    :class:`SentenceEncoder` with the model's ``threads``, built on first use.
    """

    threads: int
    _encoder: Any

    @property
    def encoder(self) -> Any:
        if self._encoder is None:
            self._encoder = SentenceEncoder(threads=self.threads, remember=REMEMBERED)
        return self._encoder


def export_sentence_encoder(out_dir: str | Path, base_dir: str | Path | None = None, keep_fp32: bool = False) -> Path:
    """Export the pinned base encoder with mean pooling + L2 norm to int8 ONNX in ``out_dir`` (``[train]`` extra).

    Uses the dynamo exporter (the legacy one fails with transformers 5.x) and dynamic int8
    quantisation of MatMul weights per channel, which keeps cosine to fp32 near 0.99.
    """
    import shutil

    from transformers import AutoModel

    from narrascope.models.encoder import verify_base_encoder

    base = verify_base_encoder(base_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    bert = AutoModel.from_pretrained(str(base)).float().eval()
    path = export_int8(mean_pooled(bert), out, MODEL_FILE, "model.fp32.onnx", "sentence_embedding", keep_fp32)
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    (out / CONFIG_FILE).write_text(json.dumps({"version": VERSION}, indent=2) + "\n", encoding="utf-8")
    return path


def mean_pooled(bert: Any) -> Any:
    """A torch module: ``bert``'s last hidden states, mean-pooled over the mask and L2-normalised (``[train]``)."""
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    return MeanPooled().eval()


def export_int8(model: Any, out_dir: Path, int8_file: str, fp32_file: str, output: str | Sequence[str],
                keep_fp32: bool = False, inputs: Sequence[str] = INPUTS, activation_shapes: bool = True) -> Path:
    """Export a MiniLM graph over ``input_ids``/``attention_mask``/``token_type_ids`` to int8 ONNX in ``out_dir``.

    ``model`` takes the tensors named by ``inputs`` positionally (its ``forward`` may name them as it
    likes; ``input_ids`` first, then an attention mask of ones and token type ids of zeros as examples).
    Dynamic batch and length; the dynamo exporter (the legacy one fails with transformers 5.x),
    then dynamic int8 quantisation of MatMul/Gather weights per channel. ``output`` names the
    graph's output (or outputs); the fp32 export (``fp32_file``) is removed unless ``keep_fp32``.
    ``activation_shapes=False`` drops the exporter's shapes of activations too (the toxicity graph is
    exported so): onnxruntime fuses a graph by the shapes it holds, which moves int8 outputs by up to 0.01.
    """
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic  # type: ignore[import-untyped]

    ids = torch.randint(1000, 2000, (2, 17))
    names = list(inputs)
    example = tuple(ids if n == "input_ids" else torch.ones_like(ids) if n == "attention_mask" else
                    torch.zeros_like(ids) for n in names)
    batch, tokens = torch.export.Dim("batch", max=4096), torch.export.Dim("tokens", max=512)
    program = torch.onnx.export(model, example, dynamo=True,
                                input_names=names, output_names=[output] if isinstance(output, str) else list(output),
                                dynamic_shapes=tuple({0: batch, 1: tokens} for _ in names), optimize=True,
                                external_data=False)
    assert program is not None
    fp32 = out_dir / fp32_file
    program.save(str(fp32))
    proto = onnx.load(str(fp32))
    proto.ir_version = min(proto.ir_version, 10)
    # The exporter also records the shapes of weights; quantize_dynamic turns a Gemm with transB (a 2-D
    # linear layer such as a tagger's head) into MatMul by transposing its weight in place, and the
    # stale shape then fails its shape inference ("existing shape differ"). Weights need no value_info.
    weights = {t.name for t in proto.graph.initializer}
    kept = [v for v in proto.graph.value_info if v.name not in weights] if activation_shapes else []
    del proto.graph.value_info[:]
    proto.graph.value_info.extend(kept)
    onnx.save(proto, str(fp32))
    quantize_dynamic(str(fp32), str(out_dir / int8_file), per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Gather"])
    if not keep_fp32:
        fp32.unlink()
    return out_dir / int8_file
