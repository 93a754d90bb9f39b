"""Technique spans from the int8 ONNX model through onnxruntime (no torch).

The graph maps a window of tokens to ``logits[batch, tokens, 15]`` and ``hidden[batch, tokens, 384]``.
Channel 0 says "this token is inside some propaganda span" (SI); channels 1-14 score each
technique (TC). A span's technique is the argmax of its tokens' mean technique logits - the
same as a linear head on the mean-pooled span, since a linear map commutes with the mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models.runner import Runner
from narrascope.models.version import model_version
from narrascope.models.windows import TokenizedText
from narrascope.techniques import TECHNIQUES

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = "model.int8.onnx"
EDGE_PUNCT = ".,:;!?\"'()[]-"
# onnxruntime's fused SkipLayerNormalization and BiasGelu CPU kernels are several times slower than
# Add + LayerNormalization / Add + Gelu (5.1 against 0.9 ns an element for the layer norm), so the
# exported graph holds the plain ops and these rewrites must not fuse them back
SKIPPED_FUSIONS = ("SkipLayerNormFusion", "BiasGeluFusion")


@dataclass
class TechniqueSpan:
    """``[start, end)`` of a text uses ``technique``; ``score`` is the mean SI probability of its tokens."""

    start: int
    end: int
    technique: str
    score: float
    technique_score: float
    data: dict[str, Any] = field(default_factory=dict)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def rank_techniques(logits: np.ndarray, labels: tuple[str, ...] = TECHNIQUES) -> list[tuple[str, float]]:
    """Techniques with probabilities, best first, from the mean technique logits of a span's tokens."""
    probs = softmax(logits[:, 1:].mean(axis=0))
    order = np.argsort(-probs, kind="stable")
    return [(labels[i], float(probs[i])) for i in order]


@dataclass(frozen=True)
class Decoding:
    """How token probabilities become spans (``config.json`` ``decoding``; defaults: plain runs at ``threshold``).

    A span is seeded by a token at ``threshold`` and grows over neighbours at ``extend`` (hysteresis);
    runs separated by at most ``gap`` tokens are joined; spans shorter than ``min_tokens`` tokens are
    dropped; ``whole_words`` widens a span that starts or ends inside a word to the whole word.
    """

    threshold: float = 0.3
    extend: float | None = None
    gap: int = 0
    min_tokens: int = 1
    whole_words: bool = False

    @classmethod
    def from_config(cls, config: dict[str, Any], threshold: float | None = None) -> Decoding:
        d = dict(config.get("decoding", {}))
        d["threshold"] = float(threshold if threshold is not None else d.get("threshold", config["threshold"]))
        if threshold is not None and d.get("extend") is not None:
            d["extend"] = min(float(d["extend"]), d["threshold"])
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


def _runs(on: np.ndarray, gap: int) -> list[list[int]]:
    """``[first, last]`` token runs of ``on``, runs at most ``gap`` tokens apart joined."""
    runs: list[list[int]] = []
    for i in np.flatnonzero(on).tolist():
        if runs and i - runs[-1][1] - 1 <= gap:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return runs


def _word_edges(tok: TokenizedText, first: int, last: int) -> tuple[int, int]:
    """Widen token range ``[first, last]`` over neighbouring tokens of the same word."""
    off, text = tok.offsets, tok.text

    def joined(a: int, b: int) -> bool:  # tokens a, b = a + 1 touch inside a word
        end, start = int(off[a, 1]), int(off[b, 0])
        return end == start and text[end - 1:end].isalnum() and text[start:start + 1].isalnum()

    while first > 0 and joined(first - 1, first):
        first -= 1
    while last + 1 < len(tok) and joined(last, last + 1):
        last += 1
    return first, last


def decode_spans(tok: TokenizedText, logits: np.ndarray, threshold: float | Decoding,
                 labels: tuple[str, ...] = TECHNIQUES) -> list[TechniqueSpan]:
    """Runs of tokens whose SI probability reaches the threshold become spans (see :class:`Decoding`).

    Punctuation tokens at either edge are dropped (gold spans never start or end with them);
    spans never overlap and come in text order.
    """
    rule = threshold if isinstance(threshold, Decoding) else Decoding(float(threshold))
    if len(tok) == 0:
        return []
    p = sigmoid(logits[:, 0])
    low = rule.threshold if rule.extend is None else min(rule.extend, rule.threshold)
    text = tok.text
    ranges: list[list[int]] = []
    for first, last in _runs(p >= low, rule.gap):
        if p[first:last + 1].max() < rule.threshold:
            continue
        while first <= last and text[tok.offsets[first, 0]:tok.offsets[first, 1]] in EDGE_PUNCT:
            first += 1
        while last >= first and text[tok.offsets[last, 0]:tok.offsets[last, 1]] in EDGE_PUNCT:
            last -= 1
        if last - first + 1 < max(1, rule.min_tokens):
            continue
        if rule.whole_words:
            first, last = _word_edges(tok, first, last)
        if ranges and first <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], last)
        else:
            ranges.append([first, last])
    spans = []
    for first, last in ranges:
        start, end = tok.char_span(first, last)
        ranked = rank_techniques(logits[first:last + 1], labels)
        spans.append(TechniqueSpan(start, end, ranked[0][0], float(p[first:last + 1].mean()), ranked[0][1]))
    return spans


def span_logits(tok: TokenizedText, logits: np.ndarray, start: int, end: int) -> np.ndarray:
    """Logits of the tokens overlapping ``[start, end)``; the nearest token when none does."""
    if len(tok) == 0:
        return np.zeros((1, len(TECHNIQUES) + 1), dtype=np.float32)
    inside = (tok.offsets[:, 0] < end) & (tok.offsets[:, 1] > start)
    if not inside.any():
        inside = np.zeros(len(tok), dtype=bool)
        inside[int(np.argmin(np.abs(tok.offsets[:, 0] - start)))] = True
    return logits[inside]


class TechniqueModel:
    """The shipped model: lazy onnxruntime session and tokenizer, windows over long texts.

    The shipped graph has no attention mask (so onnxruntime runs its flash attention kernel):
    each batch holds windows of one length, never padding.

    The graph runs through the shared :class:`~narrascope.models.runner.Runner`: ``threads`` sets
    onnxruntime's ``intra_op_num_threads`` (with ``batch_size`` 1, windows side by side on that many
    cores). ``threshold`` (``None``: the value chosen on held-out articles, in ``config.json``)
    trades SI precision for recall. Up to ``batch_size``
    windows of one text go through one call, never windows of two texts, so a text's spans depend on
    the text alone: the int8 graph quantises a call's activations with one scale, so texts batched
    together moved each other's probabilities, and the hysteresis decoding turned that into other
    span boundaries (19 of 30 PTC articles changed). One text a call was as fast.
    """

    def __init__(self, model_dir: str | Path | None = None, threads: int = 1, batch_size: int = 16,
                 threshold: float | None = None, stride: int = 64) -> None:
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        self.threads = threads
        self.batch_size = batch_size
        self.threshold = threshold
        self.stride = stride
        self._config: dict[str, Any] | None = None
        self._runner: Runner | None = None

    @property
    def config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        return self._config

    @property
    def version(self) -> str:
        return model_version(self.model_dir)

    @property
    def runner(self) -> Runner:
        """The shared :class:`~narrascope.models.runner.Runner` on this model's graph (built on first use)."""
        if self._runner is None:
            self._runner = Runner(self.model_dir / MODEL_FILE, self.model_dir / "tokenizer.json", self.threads,
                                  self.batch_size, disabled_optimizers=SKIPPED_FUSIONS)
        return self._runner

    @property
    def masked(self) -> bool:
        """Whether the graph takes an attention mask; graphs without one only see unpadded batches."""
        return self.runner.masked

    def token_logits(self, texts: list[str]) -> list[tuple[TokenizedText, np.ndarray]]:
        """Per-token logits ``[n_tokens, 15]`` for each text, windows stitched; one text at a time."""
        max_tokens = int(self.config["max_tokens"])
        stride = min(self.stride, (max_tokens - 2) // 2)
        return [self.runner.per_token(text, max_tokens, stride, "logits") for text in texts]

    def spans(self, texts: list[str]) -> list[list[TechniqueSpan]]:
        """Technique spans of each text (SI with a technique per span)."""
        rule = Decoding.from_config(self.config, self.threshold)
        labels = tuple(self.config.get("labels", TECHNIQUES))
        return [decode_spans(tok, out, rule, labels) for tok, out in self.token_logits(texts)]

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        """Ranked techniques for each given ``(start, end)`` of ``text`` (the TC task)."""
        [(tok, out)] = self.token_logits([text])
        labels = tuple(self.config.get("labels", TECHNIQUES))
        return [rank_techniques(span_logits(tok, out, s, e), labels) for s, e in spans]
