"""The simple baseline every toxicity figure stands beside: TF-IDF + logistic regression.

Trained on the same examples as the model (hard labels), scored by the same functions: its
``predict`` answers :class:`~narrascope.toxicity.inference.ToxicityResult` like the model's.
"""

from __future__ import annotations

from typing import Any

from narrascope.toxicity.data import LABELS, Example
from narrascope.toxicity.inference import ToxicityResult


class TfidfBaseline:
    """Word 1-2-gram and character 2-5-gram TF-IDF, logistic regression (C=4, balanced classes)."""

    def __init__(self, c: float = 4.0) -> None:
        self.c = c
        self._pipeline: Any = None

    def fit(self, examples: list[Example]) -> TfidfBaseline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline, make_union

        labelled = [ex for ex in examples if ex.hard_label is not None]
        features = make_union(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                              TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True))
        self._pipeline = make_pipeline(features, LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced"))
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
