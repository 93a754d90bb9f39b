"""Overlapping windows over texts of any length, with exact character offsets.

A text is tokenized once; every token keeps ``[start, end)`` offsets into the original
Python string. Windows of at most ``max_tokens`` (special tokens included) overlap by
``stride`` tokens; each token is *owned* by exactly one window (the overlap is split in the
middle, so every token sees context on both sides), and per-token outputs of the windows
stitch back into one array per text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from narrascope.models.encoder import map_calls

SPECIALS = 2  # [CLS] ... [SEP]


@dataclass
class TokenizedText:
    """A text with its token ids and ``[start, end)`` character offsets (``offsets[i]``)."""

    text: str
    ids: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character ``[start, end)`` covering tokens ``first`` to ``last`` (inclusive)."""
        return int(self.offsets[first, 0]), int(self.offsets[last, 1])


@dataclass(frozen=True)
class Window:
    """Tokens ``[start, end)`` of a text go through the encoder; outputs of ``[own_start, own_end)`` are kept."""

    start: int
    end: int
    own_start: int
    own_end: int


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD: they cannot reach the Rust tokenizer; every offset kept."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


def tokenize(text: str, tokenizer: Any) -> TokenizedText:
    """Tokenize without special tokens; drop tokens with empty or out-of-range offsets."""
    if not text:
        return TokenizedText(text, np.zeros(0, np.int64), np.zeros((0, 2), np.int64))
    enc = tokenizer.encode(clean_text(text), add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
    keep = (offsets[:, 0] < offsets[:, 1]) & (offsets[:, 0] >= 0) & (offsets[:, 1] <= len(text))
    return TokenizedText(text, ids[keep], offsets[keep])


def windows(n_tokens: int, max_tokens: int = 256, stride: int = 64) -> list[Window]:
    """Cover ``n_tokens`` with windows of ``max_tokens - 2`` content tokens overlapping by ``stride``."""
    content = max_tokens - SPECIALS
    if content < 1 or not 0 <= stride < content:
        raise ValueError(f"need 0 <= stride ({stride}) < max_tokens - 2 ({content})")
    if n_tokens <= content:
        return [Window(0, n_tokens, 0, n_tokens)]
    starts = list(range(0, n_tokens - content, content - stride)) + [n_tokens - content]
    starts = sorted(set(starts))
    out: list[Window] = []
    for k, s in enumerate(starts):
        e = s + content
        own_start = 0 if k == 0 else (s + starts[k - 1] + content) // 2
        own_end = n_tokens if k == len(starts) - 1 else (starts[k + 1] + e) // 2
        out.append(Window(s, e, own_start, own_end))
    return out


def padded(rows: Sequence[Sequence[int] | np.ndarray], pad_id: int = 0) -> dict[str, np.ndarray]:
    """Token rows (special tokens included) right-padded into ``input_ids`` / ``attention_mask`` /
    ``token_type_ids`` (int64, ``[batch, longest]``)."""
    length = max(len(r) for r in rows)
    ids = np.full((len(rows), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), length), dtype=np.int64)
    for r, row in enumerate(rows):
        ids[r, :len(row)] = row
        mask[r, :len(row)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def batches(items: Sequence[tuple[TokenizedText, Window]], cls_id: int, sep_id: int,
            pad_id: int = 0) -> dict[str, np.ndarray]:
    """Windows as ``[CLS] tokens [SEP]`` rows, padded (:func:`padded`)."""
    return padded([np.concatenate(([cls_id], tok.ids[w.start:w.end], [sep_id])) for tok, w in items], pad_id)


def stitch(window_outputs: Sequence[np.ndarray], wins: Sequence[Window], n_tokens: int) -> np.ndarray:
    """Join per-window outputs (``[length, ...]``, row 0 = [CLS]) into one ``[n_tokens, ...]`` array."""
    if not wins or n_tokens == 0:
        tail = window_outputs[0].shape[1:] if len(window_outputs) else ()
        return np.zeros((0, *tail), dtype=np.float32)
    pairs = zip(window_outputs, wins, strict=True)
    parts = [out[1 + w.own_start - w.start:1 + w.own_end - w.start] for out, w in pairs]
    return np.concatenate(parts, axis=0)


def length_groups(lengths: Sequence[int], size: int, tokens: int | None = None,
                  equal_lengths: bool = False) -> list[list[int]]:
    """Indices of ``lengths`` shortest first (ties in order), cut into batches of at most ``size`` items and
    ``tokens`` padded tokens (items x longest; a longer item goes alone), so that short rows do not pad to long
    ones; ``equal_lengths`` starts a batch wherever the length changes (no padding at all). onnxruntime keeps
    the memory of its largest batch: 32 windows of 256 tokens would hold about 1 GB."""
    out: list[list[int]] = []
    for j in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        n = lengths[j]
        last = out[-1] if out else None
        if last is None or len(last) >= size or (tokens is not None and (len(last) + 1) * n > tokens) or (
                equal_lengths and lengths[last[-1]] != n):
            out.append([j])
        else:
            last.append(j)
    return out


def window_outputs(toks: Sequence[TokenizedText], call: Callable[[dict[str, np.ndarray]], Sequence[np.ndarray]],
                   specials: tuple[int, int, int], max_tokens: int = 256, stride: int = 64, batch_size: int = 16,
                   batch_tokens: int | None = None, equal_lengths: bool = False,
                   parallel: int = 1) -> list[list[tuple[Window, tuple[np.ndarray, ...]]]]:
    """Every window of every text through ``call`` (padded batch -> outputs, each ``[batch, ...]``).

    ``specials`` are the ids of ``[CLS]``, ``[SEP]`` and padding. Windows of all texts are batched by
    :func:`length_groups`; ``parallel`` batches go side by side (:func:`~narrascope.models.encoder.map_calls`).
    Returns per text its windows, each with its row of every output (row 0 = ``[CLS]``); an empty text has none.
    """
    cls_id, sep_id, pad_id = specials
    wins = [windows(len(tok), max_tokens, stride) if len(tok) else [] for tok in toks]
    jobs = [(i, k) for i, ws in enumerate(wins) for k in range(len(ws))]
    groups = length_groups([wins[i][k].end - wins[i][k].start + SPECIALS for i, k in jobs],
                           batch_size, batch_tokens, equal_lengths)

    def run(group: list[int]) -> Sequence[np.ndarray]:
        return call(batches([(toks[i], wins[i][k]) for i, k in (jobs[j] for j in group)], cls_id, sep_id, pad_id))

    found: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}
    for group, result in zip(groups, map_calls(run, groups, parallel), strict=True):
        for row, j in enumerate(group):
            found[jobs[j]] = tuple(out[row] for out in result)
    return [[(w, found[(i, k)]) for k, w in enumerate(ws)] for i, ws in enumerate(wins)]


def stitched(tok: TokenizedText, parts: Sequence[tuple[Window, tuple[np.ndarray, ...]]], output: int = 0) -> np.ndarray:
    """One text's per-token ``output`` from :func:`window_outputs`' parts (``[0, 0]`` for a text without tokens)."""
    if not parts:
        return np.zeros((0, 0), dtype=np.float32)
    return stitch([out[output] for _, out in parts], [w for w, _ in parts], len(tok))


def per_token_outputs(texts: Sequence[str], tokenizer: Any, run: Callable[[dict[str, np.ndarray]], np.ndarray],
                      max_tokens: int = 256, stride: int = 64,
                      batch_size: int = 16, equal_lengths: bool = False) -> list[tuple[TokenizedText, np.ndarray]]:
    """Run ``run`` (padded batch -> ``[batch, length, C]``) over every window of every text.

    Windows of all texts are sorted by length and batched together, so short comments do
    not pad to the length of a long article. ``equal_lengths`` puts only windows of one length
    in a batch (no padding at all, for graphs without an attention mask). Returns
    ``(tokens, outputs[n_tokens, C])`` per text.
    """
    toks = [tokenize(t, tokenizer) for t in texts]
    parts = window_outputs(toks, lambda batch: [run(batch)], special_ids(tokenizer), max_tokens, stride,
                           batch_size, equal_lengths=equal_lengths)
    return [(tok, stitched(tok, p)) for tok, p in zip(toks, parts, strict=True)]


def special_ids(tokenizer: Any) -> tuple[int, int, int]:
    """``[CLS]``, ``[SEP]`` and padding ids of a BERT-style tokenizer (padding 0 where it has no ``[PAD]``)."""
    return tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]"), tokenizer.token_to_id("[PAD]") or 0
