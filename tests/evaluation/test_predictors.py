"""The default predictors: the shipped narrative and check-worthiness models, read as the scorers read them."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.evaluation.predictors import CheckworthyHead, ClaimPredictor, NarrativeHeads, NarrativePredictor

pytestmark = pytest.mark.slow
TEXT = "NATO is preparing an attack on Russia from the Baltic states."


def test_narrative_heads_score_whole_texts_as_the_shipped_blend_does():
    from narrascope.narratives.model import NarrativeModel

    model = NarrativeModel()
    heads = NarrativeHeads(model)
    assert isinstance(heads, NarrativePredictor)
    p = heads.probabilities([TEXT, "Lovely weather today."])
    expected = model.heads.probabilities(model.encoder.encode([TEXT, "Lovely weather today."]),
                                         [TEXT, "Lovely weather today."])  # blended: the tagger and the embedding
    assert p.shape == (2, len(heads.labels)) and np.allclose(p, expected)
    assert heads.labels == model.heads.labels and np.array_equal(heads.thresholds, model.heads.thresholds)
    assert heads.probabilities([]).shape == (0, len(heads.labels))


def test_checkworthy_head_gives_the_sentence_score_of_analyse():
    from narrascope.claims.model import CheckworthyModel

    model = CheckworthyModel()
    head = CheckworthyHead(model)
    assert isinstance(head, ClaimPredictor) and head.threshold == model.threshold
    sentence = "Unemployment fell by 40 percent in the last four years."
    [analysed] = model.analyse([sentence])
    assert round(float(head.probabilities([sentence])[0]), 4) == analysed.sentences[0].score
