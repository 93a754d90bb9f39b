from __future__ import annotations

import pytest

from narrascope.techniques.data import LabelledSpan as L
from narrascope.techniques.eval import SpanMismatch, merge_spans, si_score, tc_score


def test_merge_spans_joins_only_spans_sharing_a_character():
    assert merge_spans([(5, 10), (0, 6), (10, 12), (20, 20)]) == [(0, 10), (10, 12)]


def test_si_exact_match_is_one():
    gold = [L("1", "", 0, 10), L("1", "", 20, 30)]
    assert si_score(gold, gold).f1 == pytest.approx(1.0)


def test_si_partial_overlap_by_hand():
    # gold [0,10) ; predicted [5,15): |s∩t| = 5 -> P = 5/10, R = 5/10
    score = si_score([L("1", "", 5, 15)], [L("1", "", 0, 10)])
    assert (score.precision, score.recall, score.f1) == pytest.approx((0.5, 0.5, 0.5))


def test_si_overlapping_gold_spans_are_merged_first():
    # gold [0,10) and [5,20) merge into [0,20); prediction [0,10): P = 10/10, R = 10/20
    score = si_score([L("1", "", 0, 10)], [L("1", "x", 0, 10), L("1", "y", 5, 20)])
    assert (score.precision, score.recall) == pytest.approx((1.0, 0.5))
    assert score.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_si_overlapping_predictions_are_merged_too():
    # predictions [0,4) and [2,8) -> [0,8); gold [0,8)
    assert si_score([L("1", "", 0, 4), L("1", "", 2, 8)], [L("1", "", 0, 8)]).f1 == pytest.approx(1.0)


def test_si_article_with_gold_but_no_prediction_counts_in_recall():
    gold = [L("1", "", 0, 10), L("2", "", 0, 10)]
    score = si_score([L("1", "", 0, 10)], gold)
    assert (score.precision, score.recall) == pytest.approx((1.0, 0.5))


def test_si_prediction_in_other_article_earns_nothing():
    score = si_score([L("2", "", 0, 10), L("1", "", 0, 5)], [L("1", "", 0, 10)])
    # P = (0 + 5/5) / 2 ; R = (5/10) / 1
    assert (score.precision, score.recall) == pytest.approx((0.5, 0.5))


def test_si_no_predictions_scores_zero():
    assert si_score([], [L("1", "", 0, 10)]).f1 == 0.0


def test_tc_micro_f1_equals_accuracy():
    gold = [L("1", "Doubt", 0, 5), L("1", "Slogans", 10, 15), L("2", "Repetition", 0, 3)]
    pred = [L("1", "Doubt", 0, 5), L("1", "Doubt", 10, 15), L("2", "Repetition", 0, 3)]
    assert tc_score(pred, gold).f1 == pytest.approx(2 / 3)


def test_tc_multi_label_span_matched_to_maximise():
    gold = [L("1", "Doubt", 0, 5), L("1", "Slogans", 0, 5)]
    # order of the predicted copies must not matter
    assert tc_score([L("1", "Slogans", 0, 5), L("1", "Doubt", 0, 5)], gold).f1 == pytest.approx(1.0)
    # twice the same label can match only one of the two gold labels
    assert tc_score([L("1", "Doubt", 0, 5), L("1", "Doubt", 0, 5)], gold).f1 == pytest.approx(0.5)


def test_tc_predictions_must_be_exactly_the_gold_spans():
    gold = [L("1", "Doubt", 0, 5), L("1", "Slogans", 6, 9), L("2", "Doubt", 0, 5)]
    with pytest.raises(SpanMismatch, match=r"1 gold span\(s\) have no prediction \(e.g. article 1 6-9\), "
                                           r"1 prediction\(s\) are for spans not in the gold \(e.g. article 3 0-5\)"):
        tc_score([L("1", "Doubt", 0, 5), L("2", "Doubt", 0, 5), L("3", "Doubt", 0, 5)], gold)
    with pytest.raises(SpanMismatch):  # a span labelled twice in the gold needs two predictions
        tc_score([L("1", "Doubt", 0, 5)], [L("1", "Doubt", 0, 5), L("1", "Slogans", 0, 5)])


def test_span_mismatch_tells_surplus_and_shortfall_on_a_gold_span_from_spans_not_in_the_gold():
    gold = [L("2", "Flag-Waving", 0, 50), L("2", "Slogans", 0, 50), L("3", "Doubt", 5, 15), L("3", "Slogans", 5, 15)]
    pred = [L("2", "Slogans", 0, 50), L("2", "Flag-Waving", 0, 50), L("2", "Flag-Waving", 0, 50),
            L("3", "Doubt", 5, 15)]
    with pytest.raises(SpanMismatch) as caught:
        tc_score(pred, gold)
    assert str(caught.value) == ("the TC predictions must label exactly the gold spans: 1 gold span(s) have fewer "
                                 "predictions than gold labels (e.g. article 3 5-15: 1 predictions for 2 gold "
                                 "labels), 1 gold span(s) have more predictions than gold labels (e.g. article 2 "
                                 "0-50: 3 predictions for 2 gold labels)")
    assert "not in the gold" not in str(caught.value)
