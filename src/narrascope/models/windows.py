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


def _clean(text: str) -> str:
    # lone surrogates cannot reach the Rust tokenizer; replacing them keeps every offset
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)


def tokenize(text: str, tokenizer: Any) -> TokenizedText:
    """Tokenize without special tokens; drop tokens with empty or out-of-range offsets."""
    if not text:
        return TokenizedText(text, np.zeros(0, np.int64), np.zeros((0, 2), np.int64))
    enc = tokenizer.encode(_clean(text), add_special_tokens=False)
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


def batches(items: Sequence[tuple[TokenizedText, Window]], cls_id: int, sep_id: int,
            pad_id: int = 0) -> dict[str, np.ndarray]:
    """Pad windows into ``input_ids`` / ``attention_mask`` / ``token_type_ids`` (int64, ``[batch, length]``)."""
    length = max(w.end - w.start for _, w in items) + SPECIALS
    ids = np.full((len(items), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(items), length), dtype=np.int64)
    for row, (tok, w) in enumerate(items):
        n = w.end - w.start
        ids[row, 0] = cls_id
        ids[row, 1:n + 1] = tok.ids[w.start:w.end]
        ids[row, n + 1] = sep_id
        mask[row, :n + 2] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}


def stitch(window_outputs: Sequence[np.ndarray], wins: Sequence[Window], n_tokens: int) -> np.ndarray:
    """Join per-window outputs (``[length, ...]``, row 0 = [CLS]) into one ``[n_tokens, ...]`` array."""
    if not wins or n_tokens == 0:
        tail = window_outputs[0].shape[1:] if len(window_outputs) else ()
        return np.zeros((0, *tail), dtype=np.float32)
    pairs = zip(window_outputs, wins, strict=True)
    parts = [out[1 + w.own_start - w.start:1 + w.own_end - w.start] for out, w in pairs]
    return np.concatenate(parts, axis=0)


def _chunks(jobs: list[tuple[int, int, Window]], batch_size: int,
            equal_lengths: bool) -> list[list[tuple[int, int, Window]]]:
    """Consecutive runs of at most ``batch_size`` jobs (sorted by length), split where the length changes if asked."""
    chunks: list[list[tuple[int, int, Window]]] = []
    for job in jobs:
        length = job[2].end - job[2].start
        last = chunks[-1] if chunks else None
        if last is None or len(last) >= batch_size or (
                equal_lengths and last[-1][2].end - last[-1][2].start != length):
            chunks.append([job])
        else:
            last.append(job)
    return chunks


def per_token_outputs(texts: Sequence[str], tokenizer: Any, run: Callable[[dict[str, np.ndarray]], np.ndarray],
                      max_tokens: int = 256, stride: int = 64,
                      batch_size: int = 16, equal_lengths: bool = False) -> list[tuple[TokenizedText, np.ndarray]]:
    """Run ``run`` (padded batch -> ``[batch, length, C]``) over every window of every text.

    Windows of all texts are sorted by length and batched together, so short comments do
    not pad to the length of a long article. ``equal_lengths`` puts only windows of one length
    in a batch (no padding at all, for graphs without an attention mask). Returns
    ``(tokens, outputs[n_tokens, C])`` per text.
    """
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    pad_id = tokenizer.token_to_id("[PAD]") or 0
    toks = [tokenize(t, tokenizer) for t in texts]
    jobs = [(i, k, w) for i, tok in enumerate(toks) if len(tok) for k, w in
            enumerate(windows(len(tok), max_tokens, stride))]
    jobs.sort(key=lambda j: j[2].end - j[2].start)
    results: dict[tuple[int, int], np.ndarray] = {}
    for chunk in _chunks(jobs, batch_size, equal_lengths):
        out = run(batches([(toks[i], w) for i, _, w in chunk], cls_id, sep_id, pad_id))
        for row, (i, k, _) in enumerate(chunk):
            results[(i, k)] = out[row]
    stitched: list[tuple[TokenizedText, np.ndarray]] = []
    for i, tok in enumerate(toks):
        if not len(tok):
            stitched.append((tok, np.zeros((0, 0), dtype=np.float32)))
            continue
        wins = windows(len(tok), max_tokens, stride)
        stitched.append((tok, stitch([results[(i, k)] for k in range(len(wins))], wins, len(tok))))
    return stitched
