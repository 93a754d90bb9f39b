"""The check-worthiness head's rows for ``narrascope eval model``.

- ClaimBuster: positive-class F1 on the test debates of
  :func:`~narrascope.evaluation.splits.claimbuster_split` (sentences check-worthy at or above the
  predictor's threshold);
- CheckThat! 2019 Task 1: MAP (mean over debates of the average precision of the sentence ranking)
  over the debates :func:`~narrascope.evaluation.splits.checkthat_debates` returns, those sharing no
  sentence with the ClaimBuster sentences outside the test part.

Baseline: TF-IDF + logistic regression fitted on the fit debates, its threshold chosen on the
validation debates (as :func:`narrascope.claims.training.tfidf_baseline`), in the same run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope import registry
from narrascope.claims.data import Sentence, find, read_claimbuster, read_clef2019
from narrascope.evaluation.predictors import CheckworthyHead, ClaimPredictor


def positive_f1(predictor: ClaimPredictor, sentences: Sequence[Sentence]) -> float:
    """F1 of the check-worthy class on ``sentences``."""
    from sklearn.metrics import f1_score  # type: ignore[import-untyped]

    if not sentences:
        return 0.0
    p = predictor.probabilities([s.text for s in sentences])
    return float(f1_score([s.label for s in sentences], p >= predictor.threshold, zero_division=0))


def mean_average_precision(predictor: ClaimPredictor, sentences: Sequence[Sentence]) -> tuple[float, int]:
    """Mean over debates (``group``) with a check-worthy sentence of the average precision of ``predictor``'s
    ranking, and how many debates that is."""
    from sklearn.metrics import average_precision_score  # type: ignore[import-untyped]

    p = predictor.probabilities([s.text for s in sentences]) if sentences else np.zeros(0)
    aps = []
    for group in sorted({s.group for s in sentences}):
        rows = [i for i, s in enumerate(sentences) if s.group == group]
        y = [sentences[i].label for i in rows]
        if sum(y):
            aps.append(float(average_precision_score(y, p[rows])))
    return (float(np.mean(aps)) if aps else 0.0), len(aps)


class TfidfClaims:
    """TF-IDF (word uni- and bigrams, sublinear) + logistic regression (C=4); threshold by best F1 on validation."""

    def __init__(self, c: float = 4.0) -> None:
        self.c = c
        self.threshold = 0.5
        self._vec: Any = None
        self._model: Any = None

    def fit(self, fit: Sequence[Sentence], validation: Sequence[Sentence]) -> TfidfClaims:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        from narrascope.claims.training import best_threshold

        texts = [s.text for s in fit]
        self._vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2)).fit(texts)
        self._model = LogisticRegression(C=self.c, max_iter=2000, solver="liblinear")
        self._model.fit(self._vec.transform(texts), [s.label for s in fit])
        if validation:
            self.threshold = best_threshold(np.array([s.label for s in validation]),
                                            self.probabilities([s.text for s in validation]))
        return self

    def probabilities(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.predict_proba(self._vec.transform(texts))[:, 1], dtype=np.float32)


def default_predictor(model_dir: Path | None = None) -> ClaimPredictor:
    """The shipped check-worthiness model (or the one in ``model_dir``, whose linear head reads the sentence encoder
    ``model.int8.onnx`` in it where it has one), on sentences."""
    from narrascope.claims.model import CheckworthyModel
    from narrascope.models.sentence import encoder_beside

    return CheckworthyHead(CheckworthyModel(heads=Path(model_dir) / "heads.npz" if model_dir else None,
                                            encoder=encoder_beside(model_dir)))


@registry.model_evaluations.register("claims")
def rows(data: Path, model_dir: Path | None = None, predictor: ClaimPredictor | None = None) -> list[dict[str, Any]]:
    """The model (``predictor``, default the shipped one) beside TF-IDF + LR on ClaimBuster and CheckThat! 2019."""
    from narrascope.evaluation.splits import checkthat_debates, claimbuster_split

    cb = read_claimbuster(find(Path(data), "claimbuster_crowdsourced.csv"))
    split = claimbuster_split(np.array([s.label for s in cb]), np.array([s.group for s in cb]))
    pick = lambda ix: [cb[i] for i in ix]  # noqa: E731
    test = pick(split.test)
    debates = set(checkthat_debates(clef := read_clef2019(find(Path(data), "clef2019_task1_english_train.csv")),
                                    [s.text for s in pick(split.fit + split.validation)]))
    clef = [s for s in clef if s.group in debates]
    ours = predictor or default_predictor(model_dir)
    baseline = TfidfClaims().fit(pick(split.fit), pick(split.validation))
    ours_map, n = mean_average_precision(ours, clef)
    positives = sum(s.label for s in test)
    return [{"head": "claims", "data": f"ClaimBuster test debates ({len(set(s.group for s in test))} debates, "
             f"{len(test)} sentences, {positives} check-worthy)", "metric": "F1 check-worthy",
             "narrascope": positive_f1(ours, test), "baseline": positive_f1(baseline, test)},
            {"head": "claims", "data": f"CheckThat! 2019 debates sharing no training sentence ({n} debates, "
             f"{len(clef)} sentences)", "metric": "MAP", "narrascope": ours_map,
             "baseline": mean_average_precision(baseline, clef)[0]}]
