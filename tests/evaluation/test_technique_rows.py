"""The techniques head's scorer and TC baselines on hand-computable examples."""

from __future__ import annotations

import numpy as np

from narrascope.evaluation.predictors import TechniquePredictor
from narrascope.techniques.data import LabelledSpan
from narrascope.techniques.inference import TechniqueSpan
from narrascope.techniques.scores import SpanWordsClassifier, embedding_features, technique_figures, tfidf_features

TEXT = "aaaa bbbb cccc dddd"


class FixedTechniques:
    """A model that finds [0, 8) as Loaded_Language and ranks Doubt above Repetition on [10, 14)."""

    def spans(self, texts: list[str]) -> list[list[TechniqueSpan]]:
        return [[TechniqueSpan(0, 8, "Loaded_Language", 0.9, 0.8)] for _ in texts]

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        table = {(0, 4): [("Loaded_Language", 0.9), ("Doubt", 0.1)], (10, 14): [("Doubt", 0.6), ("Repetition", 0.4)]}
        return [table[s] for s in spans]


def test_si_and_tc_figures_by_the_official_scores():
    gold = [LabelledSpan("1", "Loaded_Language", 0, 4), LabelledSpan("1", "Repetition", 10, 14)]
    assert isinstance(FixedTechniques(), TechniquePredictor)
    figures = technique_figures(FixedTechniques(), {"1": TEXT}, gold)
    # SI: the predicted [0, 8) covers 4 of its 8 characters with gold (P 0.5) and one of the two gold
    # spans whole (R 0.5); TC: Loaded_Language right, Doubt for Repetition wrong
    assert figures == {"si_precision": 0.5, "si_recall": 0.5, "si_f1": 0.5, "tc_micro_f1": 0.5}


def test_an_article_without_gold_counts_its_spans_against_si_precision():
    gold = [LabelledSpan("1", "Loaded_Language", 0, 8)]

    class Everywhere(FixedTechniques):
        def classify(self, text, spans):
            return [[("Loaded_Language", 1.0)] for _ in spans]

    figures = technique_figures(Everywhere(), {"1": TEXT, "2": "eeee ffff"}, gold)
    assert figures == {"si_precision": 0.5, "si_recall": 1.0, "si_f1": 2 / 3, "tc_micro_f1": 1.0}


def spans_of(texts: dict[str, str], article: str, technique: str, words: str) -> LabelledSpan:
    start = texts[article].index(words)
    return LabelledSpan(article, technique, start, start + len(words))


def test_tfidf_span_baseline_labels_spans_by_their_words_and_keeps_the_first_best_c():
    texts = {"a": "they are evil monsters and a total disaster", "b": "a total disaster, evil monsters again",
             "c": "evil monsters everywhere"}
    fit = [spans_of(texts, "a", "Loaded_Language", "evil monsters"),
           spans_of(texts, "a", "Exaggeration", "a total disaster"),
           spans_of(texts, "b", "Exaggeration", "a total disaster"),
           spans_of(texts, "b", "Loaded_Language", "evil monsters")]
    validation = [spans_of(texts, "c", "Loaded_Language", "evil monsters")]
    features = tfidf_features([texts[s.article][s.start:s.end] for s in fit])
    clf = SpanWordsClassifier(features, grid=(1.0, 4.0)).fit(texts, fit, validation)
    assert clf.c == 1.0  # both C label the validation span right: the first is kept
    ranked = clf.classify(texts["c"], [(0, 13), (0, 4)])
    assert [r[0][0] for r in ranked] == ["Loaded_Language", "Loaded_Language"]
    assert [label for label, _ in ranked[0]] == ["Loaded_Language", "Exaggeration"]
    assert clf.classify(texts["c"], []) == []


class CountingEncoder:
    """Embeds a text as the unit vector of its length and its number of spaces (and counts the texts)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += texts
        v = np.array([[len(t), t.count(" ") + 1] for t in texts], dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_embedding_features_encode_each_span_text_once():
    encoder = CountingEncoder()
    embed = embedding_features(encoder)
    first = embed(["ab", "a b", "ab"])
    again = embed(["a b"])
    assert encoder.seen == ["ab", "a b"]
    assert np.allclose(first[0], [2 / np.sqrt(5), 1 / np.sqrt(5)]) and np.allclose(first[2], first[0])
    assert np.allclose(again[0], [3 / np.sqrt(13), 2 / np.sqrt(13)])
