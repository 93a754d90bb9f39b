"""Propaganda techniques sentence by sentence: the multilingual head on the frozen e5 trunk (issue 26).

The English tagger reads tokens; this head reads whole sentences (:func:`narrascope.sentences.sentences`).
Each sentence's features (the trunk's embedding; TF-IDF for the baseline) go through one logistic
regression per technique (one-vs-rest). A sentence gets at most one technique, its most probable, and
only when that probability reaches ``threshold`` (chosen on validation articles): the span the analyst
sees is the sentence, its score the technique's probability. The results are
:class:`~narrascope.techniques.inference.TechniqueSpan`\\ s, as the English tagger gives, so the
``techniques`` component and the web app take them unchanged.

The shipped head is ``models/multilingual/techniques.npz``: ``coef`` ``[14, 384]``, ``intercept`` ``[14]``
and ``meta`` (JSON: ``version``, ``labels``, ``threshold``, ``classify``, the training run's figures),
loaded without pickle.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.sentences import sentences
from narrascope.techniques.inference import TechniqueSpan

Features = Callable[[list[str]], Any]


def readable_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` the head scores: trimmed of surrounding spaces, holding a letter or digit."""
    return [(s, e) for s, e in sentences(text) if any(ch.isalnum() for ch in text[s:e])]


def enclosing(sentence_spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """From the first to the last sentence that ``[start, end)`` overlaps (the span itself when none does)."""
    inside = [(s, e) for s, e in sentence_spans if s < end and start < e]
    return (inside[0][0], inside[-1][1]) if inside else (start, end)


class SentenceTechniques:
    """One-vs-rest technique probabilities of sentences, top-1 at ``threshold``.

    ``features`` maps texts to a matrix (dense or sparse) with ``coef.shape[1]`` columns;
    ``classify`` says what a given span's technique is read from (the TC task): ``"span"`` its own
    words, ``"sentence"`` the sentence(s) around it.
    """

    def __init__(self, features: Features, coef: np.ndarray, intercept: np.ndarray, labels: tuple[str, ...],
                 threshold: float, classify: str = "span", version: str = "") -> None:
        if classify not in ("span", "sentence"):
            raise ValueError(f"classify must be 'span' or 'sentence', not {classify!r}")
        if coef.shape[0] != len(labels) or intercept.shape != (len(labels),):
            raise ValueError(f"a head for {len(labels)} techniques needs coef [{len(labels)}, d] and intercept "
                             f"[{len(labels)}], not {coef.shape} and {intercept.shape}")
        self.features = features
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.labels = tuple(labels)
        self.threshold = float(threshold)
        self.context = classify
        self.version = version

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """``[len(texts), len(labels)]`` probability of each technique in each text."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        logits = np.asarray(self.features(texts) @ self.coef.T, dtype=np.float32) + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30))), dtype=np.float32)

    def sentence_probabilities(self, texts: list[str]) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """Each text's readable sentences and their probabilities (all texts' sentences in one call)."""
        found = [readable_sentences(t) for t in texts]
        probs = self.probabilities([t[s:e] for t, spans in zip(texts, found, strict=True) for s, e in spans])
        out, at = [], 0
        for spans in found:
            out.append((spans, probs[at:at + len(spans)]))
            at += len(spans)
        return out

    def decide(self, spans: list[tuple[int, int]], probs: np.ndarray,
               threshold: float | None = None) -> list[TechniqueSpan]:
        """The sentences whose most probable technique reaches the threshold, with that technique."""
        limit = self.threshold if threshold is None else threshold
        out = []
        for (s, e), row in zip(spans, probs, strict=True):
            best = int(np.argmax(row))
            if row[best] >= limit:
                out.append(TechniqueSpan(s, e, self.labels[best], float(row[best]), float(row[best])))
        return out

    def spans(self, texts: list[str]) -> list[list[TechniqueSpan]]:
        """Technique spans of each text: whole sentences, at most one technique each."""
        return [self.decide(spans, probs) for spans, probs in self.sentence_probabilities(texts)]

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        """Ranked techniques for each given ``(start, end)`` of ``text`` (the TC task)."""
        if not spans:
            return []
        around = readable_sentences(text) if self.context == "sentence" else []
        read = [text[slice(*enclosing(around, s, e))] if around else text[s:e] for s, e in spans]
        probs = self.probabilities(read)
        return [[(self.labels[j], float(row[j])) for j in np.argsort(-row, kind="stable")] for row in probs]


def save_head(path: Path, coef: np.ndarray, intercept: np.ndarray, meta: dict[str, Any]) -> None:
    """Write a head file (``coef``, ``intercept`` as float32, ``meta`` as a JSON string; no pickle)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, coef=np.asarray(coef, dtype=np.float32), intercept=np.asarray(intercept, dtype=np.float32),
             meta=np.array(json.dumps(meta, ensure_ascii=False)))


def load_head(path: Path | None = None, threads: int = 1, features: Features | None = None) -> SentenceTechniques:
    """The head at ``path`` (default: the shipped one) over the trunk's embeddings (or ``features``)."""
    from narrascope.models import crosslingual

    path = Path(path) if path is not None else crosslingual.heads_file("techniques")
    try:
        with np.load(path, allow_pickle=False) as z:
            coef, intercept, meta = z["coef"], z["intercept"], json.loads(str(z["meta"]))
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"{path}: not a techniques head file (coef, intercept, meta): {exc}") from None
    if features is None:
        features = crosslingual.layer_encoder("techniques", threads).encode
    return SentenceTechniques(features, coef, intercept, tuple(meta["labels"]), float(meta["threshold"]),
                              str(meta.get("classify", "span")), crosslingual.head_version(path))
