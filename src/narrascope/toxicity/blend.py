"""A light second opinion mixed into the toxicity network's class scores: n-gram TF-IDF + logistic regression.

The network and a word + character n-gram model err differently (the n-gram model reads negated
praise and insults of a person better, the network counter-speech and questions). A model
directory whose ``config.json`` holds ``"blend": {"file": ..., "weight": w}`` labels a comment by
``(1 - w) * P(network) + w * P(n-gram)`` (:func:`blend_scores`); the spans and the targeted group
still come from the network alone. A blend may also name the multilingual e5 head
(``"multilingual": {"weight": b}``: :mod:`narrascope.toxicity.multilingual`, the trunk embeds each
comment once): ``(1 - a - b) * P(network) + a * P(n-gram) + b * P(e5 head)`` (:func:`mix_scores`).

The n-gram model is stored without pickle (``np.load(allow_pickle=False)``): both vocabularies, their
idf weights and the regression's coefficients, and is rebuilt with a fixed-vocabulary
``CountVectorizer``; :meth:`NgramClassifier.fit` checks that the stored form gives the fitted
pipeline's probabilities.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrascope.toxicity.data import LABELS, Example

#: the two feature sets of :func:`ngram_pipeline`: (name, analyzer, n-gram range)
FEATURES = (("word", "word", (1, 2)), ("char", "char_wb", (2, 5)))


def ngram_pipeline(c: float = 4.0) -> Any:
    """Word 1-2-gram and character 2-5-gram TF-IDF (sublinear, min_df 2), logistic regression (balanced)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(*(TfidfVectorizer(analyzer=analyzer, ngram_range=span, min_df=2, sublinear_tf=True)
                            for _, analyzer, span in FEATURES))
    return make_pipeline(features, LogisticRegression(C=c, max_iter=2000, class_weight="balanced"))


def blend_scores(network: Any, ngram: Any, weight: float) -> Any:
    """Class probabilities ``(1 - weight) * network + weight * ngram`` (rows in :data:`LABELS` order)."""
    return (1.0 - weight) * network + weight * ngram


def mix_scores(network: Any, opinions: list[tuple[Any, float]]) -> Any:
    """``(1 - sum of weights) * network + sum of weight * opinion`` over ``(probabilities, weight)`` pairs."""
    out = (1.0 - sum(w for _, w in opinions)) * network
    for probs, w in opinions:
        out = out + w * probs
    return out


class NgramClassifier:
    """The n-gram model of a blend: fitted with :func:`ngram_pipeline`, saved and loaded as plain arrays."""

    def __init__(self, c: float = 4.0) -> None:
        self.c = c
        self._arrays: dict[str, Any] | None = None
        self._vectorizers: list[Any] = []

    def fit(self, examples: list[Example]) -> NgramClassifier:
        """Fit on the examples with a hard label; keep the fitted model as arrays."""
        import numpy as np

        labelled = [ex for ex in examples if ex.hard_label is not None]
        texts = [ex.text for ex in labelled]
        pipeline = ngram_pipeline(self.c).fit(texts, [ex.hard_label for ex in labelled])
        union, lr = pipeline.steps[0][1], pipeline.steps[-1][1]
        classes = [int(k) for k in lr.classes_]
        coef = np.zeros((len(LABELS), lr.coef_.shape[1]))
        intercept = np.full(len(LABELS), -1e9)  # a class never seen in training gets no probability
        for row, k in enumerate(classes):
            coef[k], intercept[k] = lr.coef_[row], lr.intercept_[row]
        arrays: dict[str, Any] = {"coef": coef, "intercept": intercept}
        for (name, _, _), (_, vec) in zip(FEATURES, union.transformer_list, strict=True):
            vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
            arrays[f"{name}_vocab"] = np.array(vocab, dtype=str)
            arrays[f"{name}_idf"] = vec.idf_
        self._arrays, self._vectorizers = arrays, []
        sample = texts[:200]
        expected = np.zeros((len(sample), len(LABELS)))
        expected[:, classes] = pipeline.predict_proba(sample)
        if not np.allclose(self.predict_proba(sample), expected, atol=1e-6):
            raise AssertionError("the stored n-gram model does not reproduce the fitted pipeline")
        return self

    def save(self, path: str | Path) -> None:
        import numpy as np

        if self._arrays is None:
            raise ValueError("fit the n-gram model before saving it")
        np.savez_compressed(path, **self._arrays)

    @classmethod
    def load(cls, path: str | Path) -> NgramClassifier:
        import numpy as np

        model = cls()
        with np.load(path, allow_pickle=False) as z:
            model._arrays = {key: z[key] for key in z.files}
        return model

    def predict_proba(self, texts: list[str]) -> Any:
        """Rows of class probabilities in :data:`LABELS` order."""
        import numpy as np
        from scipy import sparse
        from sklearn.preprocessing import normalize

        if self._arrays is None:
            raise ValueError("fit or load the n-gram model first")
        arrays = self._arrays
        if not self._vectorizers:
            from sklearn.feature_extraction.text import CountVectorizer

            self._vectorizers = [CountVectorizer(analyzer=analyzer, ngram_range=span, vocabulary={
                str(w): i for i, w in enumerate(arrays[f"{name}_vocab"])}) for name, analyzer, span in FEATURES]
        blocks = []
        for (name, _, _), vec in zip(FEATURES, self._vectorizers, strict=True):
            counts = vec.transform(texts).astype(np.float64)
            counts.data = np.log(counts.data) + 1.0  # sublinear tf
            blocks.append(normalize(counts @ sparse.diags(arrays[f"{name}_idf"])))
        logits = sparse.hstack(blocks).tocsr() @ arrays["coef"].T + arrays["intercept"]
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True)
