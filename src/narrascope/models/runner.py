"""One runner for every int8 graph over tokens: the sentence encoder, the toxicity and the techniques models.

A :class:`Runner` opens its onnxruntime session and tokenizer on first use, with the threads it is
given, pads token rows into batches (shortest first, so short texts do not pad to long ones), runs
one-item calls side by side, and cuts long texts into overlapping windows
(:mod:`narrascope.models.windows`). A layer keeps only its decoding: what the outputs mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.models import encoder
from narrascope.models.windows import (
    TokenizedText,
    Window,
    padded,
    special_ids,
    stitched,
    tokenize,
    window_outputs,
)

WindowParts = list[tuple[Window, tuple[np.ndarray, ...]]]


class Runner:
    """The graph at ``model_path`` with its ``tokenizer.json`` (beside it unless ``tokenizer_path``).

    ``threads`` is how many cores it uses: with ``batch_size`` 1, that many one-item calls side by
    side (one intra-op thread each: the int8 graph quantises a call's activations with one scale, so
    one item a call makes an item's outputs depend on it alone); with a larger ``batch_size``,
    onnxruntime's intra-op threads for one call at a time. ``batch_tokens`` caps a batch's padded
    tokens. A graph without an attention mask only gets batches of one length.
    ``disabled_optimizers`` names onnxruntime rewrites to skip (:func:`~narrascope.models.encoder.ort_session`).
    """

    def __init__(self, model_path: str | Path, tokenizer_path: str | Path | None = None, threads: int = 1,
                 batch_size: int = 1, batch_tokens: int | None = None,
                 disabled_optimizers: tuple[str, ...] = ()) -> None:
        self.model_path = Path(model_path)
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path else self.model_path.parent / "tokenizer.json"
        self.threads = threads
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.disabled_optimizers = disabled_optimizers
        self._session: Any = None
        self._tokenizer: Any = None
        self.inputs: frozenset[str] = frozenset()

    @property
    def side_by_side(self) -> bool:
        """Whether calls (one item each) run side by side on ``threads`` cores."""
        return self.batch_size == 1

    @property
    def loaded(self) -> bool:
        return self._session is not None

    def load(self) -> None:
        if self._session is None:
            self._tokenizer = encoder.load_tokenizer(self.tokenizer_path)
            intra = 1 if self.side_by_side else self.threads
            self._session = encoder.ort_session(self.model_path, intra, disabled_optimizers=self.disabled_optimizers)
            self.inputs = frozenset(i.name for i in self._session.get_inputs())

    @property
    def tokenizer(self) -> Any:
        self.load()
        return self._tokenizer

    @property
    def masked(self) -> bool:
        """Whether the graph takes an attention mask; graphs without one only see unpadded batches."""
        self.load()
        return "attention_mask" in self.inputs

    def call(self, batch: dict[str, np.ndarray], outputs: Sequence[str] | None = None) -> list[np.ndarray]:
        """One padded batch (:func:`~narrascope.models.windows.padded`) through the graph: the outputs named
        (``None``: all, in the graph's order); inputs the graph does not take are left out."""
        self.load()
        if not self.masked and not batch["attention_mask"].all():
            raise ValueError(f"{self.model_path} has no attention mask input: batch rows of equal length")
        feeds = {k: v for k, v in batch.items() if k in self.inputs}
        return list(self._session.run(None if outputs is None else list(outputs), feeds))

    def run_rows(self, rows: Sequence[Sequence[int] | np.ndarray], groups: Sequence[list[int]],
                 outputs: Sequence[str] | None = None) -> list[list[np.ndarray]]:
        """Each group of ``rows`` (token ids, special tokens included) as one padded batch; the outputs per group."""
        self.load()
        pad_id = special_ids(self._tokenizer)[2]
        return encoder.map_calls(lambda group: self.call(padded([rows[i] for i in group], pad_id), outputs),
                                 list(groups), self.threads if self.side_by_side else 1)

    def tokenize(self, texts: Sequence[str]) -> list[TokenizedText]:
        """Each text's tokens with exact character offsets, no special tokens
        (:func:`~narrascope.models.windows.tokenize`)."""
        return [tokenize(t, self.tokenizer) for t in texts]

    def run_windows(self, toks: Sequence[TokenizedText], max_tokens: int, stride: int,
                    outputs: Sequence[str] | None = None) -> list[WindowParts]:
        """Every window of ``max_tokens`` (overlapping by ``stride``) of every text through the graph, windows of
        all ``toks`` batched together; per text its windows, each with its row of every output."""
        self.load()
        return window_outputs(toks, lambda batch: self.call(batch, outputs), special_ids(self._tokenizer),
                              max_tokens, stride, self.batch_size, self.batch_tokens, equal_lengths=not self.masked,
                              parallel=self.threads if self.side_by_side else 1)

    def per_token(self, text: str, max_tokens: int, stride: int, output: str) -> tuple[TokenizedText, np.ndarray]:
        """One text's tokens and its per-token ``output`` ``[n_tokens, ...]``, windows stitched
        (``[0, 0]`` for a text without tokens)."""
        [tok] = self.tokenize([text])
        [parts] = self.run_windows([tok], max_tokens, stride, [output])
        return tok, stitched(tok, parts)
