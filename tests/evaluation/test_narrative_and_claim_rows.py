"""The narratives and check-worthiness scorers on hand-computable examples, and their TF-IDF baseline."""

from __future__ import annotations

import numpy as np

from narrascope.claims.data import Sentence
from narrascope.claims.scores import TfidfClaims, mean_average_precision, positive_f1
from narrascope.evaluation.predictors import ClaimPredictor, NarrativePredictor
from narrascope.narratives.data import Case
from narrascope.narratives.scores import frequent_tags, narrative_f1, tag_predictions

CASES = [Case("nato is coming", "2020-01-01", ["NATO"]), Case("the west lies", "2020-01-02", ["NATO", "West"]),
         Case("bio labs", "2020-01-03", ["West"]), Case("a diary statement", "2020-01-04", ["diary:Ukraine"])]


class FixedNarratives:
    labels = ["West", "NATO", "Other"]
    thresholds = np.array([0.5, 0.3, 0.5])
    table = {"nato is coming": [0.6, 0.2, 0.0], "the west lies": [0.5, 0.3, 0.9], "bio labs": [0.1, 0.9, 0.0],
             "a diary statement": [0.0, 0.0, 0.0]}

    def probabilities(self, texts):
        return np.array([self.table[t] for t in texts])


def test_frequent_tags_leave_diary_narratives_out_and_break_ties_by_name():
    assert frequent_tags(CASES) == ["NATO", "West"]
    assert frequent_tags(CASES + [Case("x", "2020", ["West"])], 1) == ["West"]


def test_narrative_micro_f1_counts_each_tag_at_its_own_threshold():
    assert isinstance(FixedNarratives(), NarrativePredictor)
    # NATO: c2 right (0.3 >= 0.3), c1 missed, c3 wrong; West: c2 right (0.5), c1 wrong, c3 missed
    assert narrative_f1(FixedNarratives(), CASES[:3], ["NATO", "West"]) == 0.5
    assert tag_predictions(FixedNarratives(), ["the west lies"], ["NATO", "Absent"]).tolist() == [[1, 0]]
    assert tag_predictions(FixedNarratives(), ["bio labs"], ["Absent"]).tolist() == [[0]]


class FixedClaims:
    threshold = 0.5
    table = {"a1": 0.9, "a2": 0.8, "a3": 0.1, "b1": 0.7, "b2": 0.2, "c1": 0.3, "s1": 0.9, "s2": 0.4, "s3": 0.6,
             "s4": 0.1}

    def probabilities(self, texts):
        return np.array([self.table[t] for t in texts])


def test_positive_f1_at_the_predictor_threshold():
    assert isinstance(FixedClaims(), ClaimPredictor)
    sents = [Sentence("s1", 1, "d"), Sentence("s2", 1, "d"), Sentence("s3", 0, "d"), Sentence("s4", 0, "d")]
    assert positive_f1(FixedClaims(), sents) == 0.5  # TP s1, FN s2, FP s3
    assert positive_f1(FixedClaims(), []) == 0.0


def test_map_averages_debates_with_a_check_worthy_sentence():
    sents = [Sentence("a1", 1, "A"), Sentence("a2", 0, "A"), Sentence("a3", 1, "A"),
             Sentence("b1", 0, "B"), Sentence("b2", 1, "B"), Sentence("c1", 0, "C")]
    score, debates = mean_average_precision(FixedClaims(), sents)
    # A: hits at ranks 1 and 3, AP (1 + 2/3) / 2; B: hit at rank 2, AP 1/2; C has no positive
    assert debates == 2 and abs(score - ((1 + 2 / 3) / 2 + 0.5) / 2) < 1e-12


def test_tfidf_claims_baseline_ranks_numbers_first_and_takes_its_threshold_from_validation():
    fit = [Sentence(t, y, "d") for t, y in [("unemployment rose 5 percent", 1), ("taxes rose 10 percent", 1),
                                           ("thank you all", 0), ("thank you so much", 0),
                                           ("the deficit rose 3 percent", 1), ("you all know me", 0)]]
    validation = [Sentence("crime rose 7 percent", 1, "v"), Sentence("thank you very much", 0, "v")]
    baseline = TfidfClaims().fit(fit, validation)
    assert isinstance(baseline, ClaimPredictor)
    p = baseline.probabilities(["crime rose 7 percent", "thank you very much"])
    assert round(float(p[0]), 3) == 0.843 and round(float(p[1]), 3) == 0.186
    # the first threshold of the grid 0.10, 0.12, ... with the best validation F1: the first above 0.186
    assert round(baseline.threshold, 2) == 0.2 and positive_f1(baseline, validation) == 1.0
