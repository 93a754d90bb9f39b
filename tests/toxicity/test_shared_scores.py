"""The shipped model against the issue's targets, on data it was not trained on."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def test_held_out_hatexplain_and_trial_spans_meet_targets(shared_data, shipped_model):
    from narrascope.toxicity import evaluation as ev
    from narrascope.toxicity.training import split_data

    data = shared_data / "toxicity"
    scores = ev.classification_scores(shipped_model, split_data(data)["hx_test"])
    assert scores["macro_f1"] >= 0.65 and scores["auroc"] >= 0.85, scores
    threshold = shipped_model.span_threshold
    trial = ev.span_scores(shipped_model, ev.trial_set(data), (threshold,))[threshold]
    assert trial >= 0.65, trial
