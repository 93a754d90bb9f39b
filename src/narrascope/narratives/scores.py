"""The narratives head's rows for ``narrascope eval model``, on the EUvsDisinfo test cases.

The test part of :func:`~narrascope.evaluation.splits.narratives_split` (the seeded half of the
newest 30% of cases that the shipped heads never fitted); its EUvsDisinfo cases are scored (the
diary cases in it carry no keyword tag). Figure: micro-F1 over the 20 keyword tags most frequent
among those cases, each predicted where its probability reaches its threshold. Baseline: TF-IDF +
logistic regression per tag fitted on the fit part, thresholds chosen on the validation part
(:func:`narrascope.narratives.training.tfidf_baseline`), in the same run.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from narrascope import registry
from narrascope.evaluation.predictors import NarrativeHeads, NarrativePredictor
from narrascope.narratives.data import DIARY_PREFIX, Case, read_training_cases
from narrascope.narratives.training import label_matrix, micro_f1, tfidf_baseline

TOP = 20


def frequent_tags(cases: list[Case], n: int = TOP) -> list[str]:
    """The ``n`` keyword tags (not diary narratives) most frequent among ``cases``; ties by name."""
    counts = Counter(tag for c in cases for tag in c.labels if not tag.startswith(DIARY_PREFIX))
    return sorted(counts, key=lambda tag: (-counts[tag], tag))[:n]


def tag_predictions(predictor: NarrativePredictor, texts: list[str], tags: list[str]) -> np.ndarray:
    """``[texts, tags]`` 0/1: the predictor's probability at or above its threshold (0 for a tag it lacks)."""
    column = {label: j for j, label in enumerate(predictor.labels)}
    out = np.zeros((len(texts), len(tags)), dtype=np.int8)
    if not texts or not any(t in column for t in tags):
        return out
    probs, thresholds = predictor.probabilities(texts), np.asarray(predictor.thresholds)
    for k, tag in enumerate(tags):
        if tag in column:
            out[:, k] = probs[:, column[tag]] >= thresholds[column[tag]]
    return out


def narrative_f1(predictor: NarrativePredictor, cases: list[Case], tags: list[str]) -> float:
    """Micro-F1 over ``tags`` of ``predictor`` on ``cases``."""
    return micro_f1(label_matrix(cases, tags), tag_predictions(predictor, [c.text for c in cases], tags))


def default_predictor(model_dir: Path | None = None) -> NarrativePredictor:
    """The shipped narrative heads (fine-tuned tagger blended with the linear heads), or those in ``model_dir``
    (there the linear heads read the sentence encoder ``model.int8.onnx`` in it, where it has one)."""
    from narrascope.models.sentence import encoder_beside
    from narrascope.narratives.model import NarrativeModel

    return NarrativeHeads(NarrativeModel(heads=Path(model_dir) / "heads.npz" if model_dir else None,
                                         encoder=encoder_beside(model_dir)))


@registry.model_evaluations.register("narratives")
def rows(data: Path, model_dir: Path | None = None,
         predictor: NarrativePredictor | None = None) -> list[dict[str, Any]]:
    """The model (``predictor``, default the shipped heads) beside TF-IDF + LR on the test cases."""
    from narrascope.evaluation.splits import narratives_split

    cases = read_training_cases(Path(data))
    split = narratives_split(cases)
    pick = lambda ix: [cases[i] for i in ix]  # noqa: E731
    test = [c for c in pick(split.test) if not any(t.startswith(DIARY_PREFIX) for t in c.labels)]
    tags = frequent_tags(test)
    ours = narrative_f1(predictor or default_predictor(model_dir), test, tags)
    baseline = tfidf_baseline(pick(split.fit), pick(split.validation), test, tags, list(range(len(tags))))
    dates = sorted(c.date for c in test)
    name = f"EUvsDisinfo test cases ({len(test)} cases" + (f", {dates[0]} to {dates[-1]})" if test else ")")
    return [{"head": "narratives", "data": name, "metric": f"micro-F1, {len(tags)} most frequent tags",
             "narrascope": ours, "baseline": baseline}]
