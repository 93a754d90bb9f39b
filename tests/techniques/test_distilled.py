"""The distilled techniques head's targets and agreement (``train multilingual-head techniques --targets
english-model``): each sentence takes the technique of the tagger's longest span overlapping it."""

from __future__ import annotations

import numpy as np

from narrascope.techniques import TECHNIQUES
from narrascope.techniques.distilled import agreement, decisions, sentence_targets, target_matrix
from narrascope.techniques.sentence_head import SentenceTechniques

TEXT = "Good people live here. They are traitors and rats! Fine."
TAGGER = [(23, 50, "Name_Calling,Labeling"), (32, 40, "Loaded_Language"), (0, 4, "Doubt")]


def test_a_sentence_takes_the_technique_of_the_longest_tagger_span_overlapping_it() -> None:
    assert sentence_targets(TEXT, TAGGER) == [((0, 22), "Doubt"), ((23, 50), "Name_Calling,Labeling"),
                                              ((51, 56), "none")]
    matrix = target_matrix([sentence_targets(TEXT, TAGGER)])
    assert matrix.shape == (3, len(TECHNIQUES))
    assert [TECHNIQUES[j] for j in matrix.argmax(axis=1)[matrix.sum(axis=1) == 1]] == ["Doubt", "Name_Calling,Labeling"]
    assert matrix[2].sum() == 0


def test_agreement_counts_the_same_technique_and_none_by_both() -> None:
    # a head that reads only the word "traitors" (feature 0) as name calling, at threshold 0.5
    coef = np.zeros((len(TECHNIQUES), 1), dtype=np.float32)
    coef[TECHNIQUES.index("Name_Calling,Labeling"), 0] = 20.0
    intercept = np.full(len(TECHNIQUES), -10.0, dtype=np.float32)
    head = SentenceTechniques(lambda texts: np.array([[float("traitors" in t)] for t in texts]), coef, intercept,
                              TECHNIQUES, 0.5)
    said = decisions(head, head.sentence_probabilities([TEXT]))
    assert said == [["none", "Name_Calling,Labeling", "none"]]
    assert agreement(said, [sentence_targets(TEXT, TAGGER)]) == 2 / 3
    assert agreement([], []) == 0.0
