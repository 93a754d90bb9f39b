"""The techniques head's rows for ``narrascope eval model``, on the PTC test articles.

SI precision, recall and F1 and TC micro-F1 on the gold spans, by the official SemEval-2020
Task 11 scores (:mod:`narrascope.techniques.eval`), on the test fold of
:func:`~narrascope.evaluation.splits.ptc_split`. The TC baselines classify each gold span from
its own words: TF-IDF + logistic regression, and the shared MiniLM sentence embedding of the span
+ logistic regression; both are fitted on the fit articles, their regularisation chosen on the
validation articles, in the same run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from narrascope import registry
from narrascope.evaluation.predictors import TechniquePredictor
from narrascope.techniques.data import LabelledSpan, find_corpus, read_articles, read_labels
from narrascope.techniques.eval import classify_gold, si_score, tc_score

GRID_C = (0.25, 1.0, 4.0, 16.0)


def read_ptc(data: Path) -> tuple[dict[str, str], list[LabelledSpan]]:
    """Article texts and gold TC spans of ``data/ptc/train``."""
    articles, labels = find_corpus(Path(data) / "ptc" / "train")
    return read_articles(articles), read_labels(labels)


def technique_figures(predictor: TechniquePredictor, texts: dict[str, str],
                      gold: list[LabelledSpan]) -> dict[str, float]:
    """SI precision / recall / F1 (one article a call) and TC micro-F1 on ``gold``'s spans."""
    found = [LabelledSpan(a, s.technique, s.start, s.end) for a in sorted(texts)
             for s in predictor.spans([texts[a]])[0]]
    si = si_score(found, gold)
    return {"si_precision": si.precision, "si_recall": si.recall, "si_f1": si.f1,
            "tc_micro_f1": tc_score(classify_gold(predictor, texts, gold), gold).f1}


class SpanWordsClassifier:
    """A TC baseline: logistic regression over features of the span's own words (not its context).

    ``features`` maps span texts to a matrix (fitted on the first call's texts when it has a
    ``fit``); ``fit`` chooses C among :data:`GRID_C` by TC micro-F1 on the validation spans.
    """

    def __init__(self, features: Callable[[list[str]], Any], grid: Sequence[float] = GRID_C) -> None:
        self.features = features
        self.grid = tuple(grid)
        self.c: float | None = None
        self._model: Any = None

    def _fit(self, x: Any, y: list[str], c: float) -> Any:
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        return LogisticRegression(C=c, max_iter=2000).fit(x, y)

    def fit(self, texts: dict[str, str], fit: list[LabelledSpan],
            validation: list[LabelledSpan]) -> SpanWordsClassifier:
        x = self.features([texts[s.article][s.start:s.end] for s in fit])
        y = [s.technique for s in fit]
        best = -1.0
        for c in self.grid:
            self._model = self._fit(x, y, c)
            score = tc_score(classify_gold(self, texts, validation), validation).f1 if validation else 0.0
            if score > best:
                best, self.c = score, c
        self._model = self._fit(x, y, float(self.c if self.c is not None else self.grid[0]))
        return self

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        if not spans:
            return []
        probs = self._model.predict_proba(self.features([text[s:e] for s, e in spans]))
        labels = list(self._model.classes_)
        return [[(labels[j], float(row[j])) for j in np.argsort(-row, kind="stable")] for row in probs]


def tfidf_features(fit_texts: list[str]) -> Callable[[list[str]], Any]:
    """Sublinear TF-IDF of word uni- and bigrams, fitted on ``fit_texts``."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(fit_texts)
    return lambda spans: vec.transform(spans)


def embedding_features(encoder: Any) -> Callable[[list[str]], Any]:
    """The shared sentence encoder's mean-pooled, unit-length embedding of each span (each text encoded once)."""
    seen: dict[str, np.ndarray] = {}

    def embed(spans: list[str]) -> np.ndarray:
        new = list(dict.fromkeys(s for s in spans if s not in seen))
        seen.update(zip(new, encoder.encode(new) if new else [], strict=True))
        return np.stack([seen[s] for s in spans])

    return embed


def default_predictor(model_dir: Path | None = None) -> TechniquePredictor:
    from narrascope.techniques.inference import TechniqueModel

    return TechniqueModel(model_dir)


def _rows(name: str, ours: dict[str, float], tfidf: float, embedding: float) -> list[dict[str, Any]]:
    def row(metric: str, key: str, baseline: float | None) -> dict[str, Any]:
        return {"head": "techniques", "data": name, "metric": metric, "narrascope": ours[key], "baseline": baseline}

    return [row("SI precision", "si_precision", None), row("SI recall", "si_recall", None),
            row("SI F1", "si_f1", None), row("TC micro-F1 (baseline: TF-IDF + LR)", "tc_micro_f1", tfidf),
            row("TC micro-F1 (baseline: MiniLM span embedding + LR)", "tc_micro_f1", embedding)]


@registry.model_evaluations.register("techniques")
def rows(data: Path, model_dir: Path | None = None, predictor: TechniquePredictor | None = None,
         encoder: Any = None) -> list[dict[str, Any]]:
    """The model (``predictor``, default the shipped tagger) and the TC baselines on the PTC test articles."""
    from narrascope.evaluation.splits import ptc_split

    texts, gold = read_ptc(data)
    split = ptc_split(sorted(texts))
    part = lambda ids: [g for g in gold if g.article in set(ids)]  # noqa: E731
    test_texts = {a: texts[a] for a in split.test}
    fit_spans = part(split.fit)
    ours = technique_figures(predictor or default_predictor(model_dir), test_texts, part(split.test))
    baselines = []
    if encoder is None:
        from narrascope.models.sentence import SentenceEncoder

        encoder = SentenceEncoder()
    for features in (tfidf_features([texts[s.article][s.start:s.end] for s in fit_spans]),
                     embedding_features(encoder)):
        clf = SpanWordsClassifier(features).fit(texts, fit_spans, part(split.validation))
        baselines.append(tc_score(classify_gold(clf, test_texts, part(split.test)), part(split.test)).f1)
    name = f"PTC test articles ({len(split.test)} articles, {len(part(split.test))} gold spans)"
    return _rows(name, ours, *baselines)
