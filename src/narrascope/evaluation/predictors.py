"""What ``narrascope eval model`` asks of a model, one small protocol per head.

Each head's scorer takes a *predictor*; the shipped classes are the default ones (directly, or
through the thin adapters below where their public API answers per document rather than per
sentence). A new model joins the table by offering these methods:

- techniques (:class:`TechniquePredictor`): ``spans(texts)`` and ``classify(text, spans)``, as
  :class:`~narrascope.techniques.inference.TechniqueModel` has them;
- toxicity (:class:`ToxicityPredictor`): ``predict(texts)`` and, for span F1,
  ``span_probabilities(texts)`` and ``span_threshold``, as
  :class:`~narrascope.toxicity.inference.ToxicityModel` has them;
- narratives (:class:`NarrativePredictor`): ``labels``, ``thresholds`` and ``probabilities(texts)``;
- check-worthiness (:class:`ClaimPredictor`): ``threshold`` and ``probabilities(texts)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TechniquePredictor(Protocol):
    def spans(self, texts: list[str]) -> list[list[Any]]:
        """Technique spans per text: objects with ``start``, ``end`` and ``technique`` (SI)."""

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        """Per given ``(start, end)`` of ``text``: ``(technique, probability)`` pairs, best first (TC)."""


@runtime_checkable
class ToxicityPredictor(Protocol):
    def predict(self, texts: list[str]) -> list[Any]:
        """Per text, a :class:`~narrascope.toxicity.inference.ToxicityResult`: ``label``, ``scores``
        ({hatespeech, offensive, normal}), ``spans`` and ``unsupported`` (a reason, or ``None``).

        For the toxic-span rows the predictor also offers ``span_threshold`` and
        ``span_probabilities(texts) -> [(token offsets [(start, end)], token probabilities)]``.
        """


@runtime_checkable
class NarrativePredictor(Protocol):
    @property
    def labels(self) -> list[str]:
        """The labels (keyword tags, ``diary:<narrative>``) of the probability columns."""

    @property
    def thresholds(self) -> np.ndarray:
        """``[len(labels)]`` decision thresholds."""

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """``[len(texts), len(labels)]`` probabilities; a label is predicted at ``>= thresholds``."""


@runtime_checkable
class ClaimPredictor(Protocol):
    @property
    def threshold(self) -> float:
        """The probability at which a sentence is check-worthy."""

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """``[len(texts)]`` check-worthiness probabilities of sentences; check-worthy at ``>= threshold``."""


def _head_probabilities(heads: Any, encoder: Any, texts: Sequence[str]) -> np.ndarray:
    """A fine-tuned tagger runs its own pass on the texts; linear heads (alone, blended) score the shared embedding."""
    from narrascope.models.tagger import FinetunedHeads

    texts = list(texts)
    if not texts:
        return np.zeros((0, len(heads.labels)), np.float32)
    emb = None if isinstance(heads, FinetunedHeads) else encoder.encode(texts)
    return np.asarray(heads.probabilities(emb, texts), dtype=np.float32)


class NarrativeHeads:
    """A :class:`~narrascope.narratives.model.NarrativeModel`'s keyword and diary heads on whole texts."""

    def __init__(self, model: Any) -> None:
        self.model = model

    @property
    def labels(self) -> list[str]:
        return list(self.model.heads.labels) if self.model.heads is not None else []

    @property
    def thresholds(self) -> np.ndarray:
        return np.asarray(self.model.heads.thresholds, dtype=np.float32)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return _head_probabilities(self.model.heads, self.model.encoder, texts)


class CheckworthyHead:
    """A :class:`~narrascope.claims.model.CheckworthyModel` on sentences (its own threshold)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    @property
    def threshold(self) -> float:
        return float(self.model.threshold)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return _head_probabilities(self.model.heads, self.model.encoder, texts)[:, 0]
