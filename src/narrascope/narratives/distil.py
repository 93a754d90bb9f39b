"""The English model's decisions as the multilingual narratives head's targets (a distilled head, issue 26).

Issue 26 asks that a Russian text get the decision its English original gets from the English model. A head
fitted to gold labels learns the gold; a distilled head is fitted to the shipped English
:class:`~narrascope.narratives.model.NarrativeModel`'s decisions (its keyword and diary heads at their own
thresholds, as ``eval model`` scores them) on the same English texts. The English model runs once over those
texts: its probabilities are cached by text (:class:`~narrascope.models.embedding_cache.CachedEncoder`) under
``narratives-teacher``. Agreement with it (micro-F1 of a head's labels against the English model's) chooses
between heads on the validation texts (the model card's rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

TEACHER = "narratives-teacher"


class EnglishProbabilities:
    """``encode(texts)``: the shipped English model's head probabilities ``[n, labels]`` (for the cache)."""

    def __init__(self, threads: int = 1, model: Any = None) -> None:
        from narrascope.evaluation.predictors import NarrativeHeads
        from narrascope.narratives.model import NarrativeModel

        self.predictor = NarrativeHeads(model if model is not None else NarrativeModel(threads=threads))

    @property
    def labels(self) -> list[str]:
        return self.predictor.labels

    @property
    def dim(self) -> int:
        return len(self.labels)

    @property
    def version(self) -> str:
        return str(self.predictor.model.version)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.predictor.probabilities(list(texts))


def english_decisions(texts: list[str], labels: list[str], directory: Path, threads: int = 1,
                      model: Any = None) -> np.ndarray:
    """``[texts, labels]`` 0/1: the English model's decision for each of ``labels`` (0 for a label it lacks),
    its probabilities read from (or written to) the cache ``directory``."""
    from narrascope.models.embedding_cache import CachedEncoder

    teacher = EnglishProbabilities(threads, model)
    probs = CachedEncoder(teacher, directory, chunk=500).encode(texts)
    column = {label: j for j, label in enumerate(teacher.labels)}
    thresholds = np.asarray(teacher.predictor.thresholds)
    y = np.zeros((len(texts), len(labels)), dtype=np.int8)
    for k, label in enumerate(labels):
        if label in column:
            y[:, k] = probs[:, column[label]] >= thresholds[column[label]]
    return y


def head_decisions(heads: Any, emb: np.ndarray, labels: list[str]) -> np.ndarray:
    """``[n, labels]`` 0/1 of linear ``heads`` on embeddings ``emb`` (0 for a label the heads lack)."""
    probs = heads.probabilities(emb)
    column = {label: j for j, label in enumerate(heads.labels)}
    out = np.zeros((len(emb), len(labels)), dtype=np.int8)
    for k, label in enumerate(labels):
        if label in column:
            out[:, k] = probs[:, column[label]] >= heads.thresholds[column[label]]
    return out


def agreement(english: np.ndarray, decisions: np.ndarray) -> float:
    """Micro-F1 of a head's ``decisions`` against the English model's (both ``[n, labels]`` 0/1)."""
    from narrascope.narratives.training import micro_f1

    return round(micro_f1(english, decisions), 4)
