"""The simple baseline every toxicity figure stands beside: TF-IDF + logistic regression.

Trained on the same examples as the model (hard labels), scored by the same functions: its
``predict`` answers :class:`~narrascope.toxicity.inference.ToxicityResult` like the model's.
"""

from __future__ import annotations

from typing import Any

from narrascope.toxicity.blend import ngram_pipeline
from narrascope.toxicity.data import LABELS, Example
from narrascope.toxicity.inference import ToxicityResult


class TfidfBaseline:
    """Word 1-2-gram and character 2-5-gram TF-IDF, logistic regression (C=4, balanced classes):
    :func:`~narrascope.toxicity.blend.ngram_pipeline`, the n-gram model a blend mixes in."""

    def __init__(self, c: float = 4.0) -> None:
        self.c = c
        self._pipeline: Any = None

    def fit(self, examples: list[Example]) -> TfidfBaseline:
        labelled = [ex for ex in examples if ex.hard_label is not None]
        self._pipeline = ngram_pipeline(self.c)
        self._pipeline.fit([ex.text for ex in labelled], [ex.hard_label for ex in labelled])
        return self

    def predict(self, texts: list[str]) -> list[ToxicityResult]:
        classes = list(self._pipeline.classes_)
        out = []
        for row in self._pipeline.predict_proba(texts):
            scores = {name: round(float(row[classes.index(i)]) if i in classes else 0.0, 4)
                      for i, name in enumerate(LABELS)}
            out.append(ToxicityResult(max(scores, key=lambda k: scores[k]), scores))
        return out
