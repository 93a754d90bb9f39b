from __future__ import annotations

import pytest

from narrascope.techniques.data import LabelledSpan as L
from narrascope.techniques.eval import (
    Score,
    SpanMismatch,
    classify_gold,
    label_spans,
    merge_spans,
    si_score,
    tc_score,
)


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


def test_span_mismatch_shows_three_examples_in_order():
    gold = [L("1", "Doubt", s, s + 2) for s in (40, 10, 30, 20)]
    with pytest.raises(SpanMismatch) as caught:
        tc_score([], gold)
    assert str(caught.value) == ("the TC predictions must label exactly the gold spans: 4 gold span(s) have no "
                                 "prediction (e.g. article 1 10-12; article 1 20-22; article 1 30-32)")


def test_si_a_one_character_overlap_counts():
    score = si_score([L("1", "", 9, 20)], [L("1", "", 0, 10)])  # they share character 9
    assert (score.precision, score.recall) == pytest.approx((1 / 11, 1 / 10))


def test_si_and_tc_with_nothing_on_one_side_score_zero_not_one():
    assert si_score([], []) == Score(0.0, 0.0, 0.0)
    assert si_score([L("1", "", 0, 10)], []) == Score(0.0, 0.0, 0.0)
    assert tc_score([], []) == Score(0.0, 0.0, 0.0)


def test_tc_scores_are_exact_and_a_repeated_gold_label_needs_as_many_predictions():
    gold = [L("1", "Doubt", 0, 5), L("1", "Doubt", 0, 5), L("1", "Slogans", 6, 9)]
    pred = [L("1", "Doubt", 0, 5), L("1", "Doubt", 0, 5), L("1", "Doubt", 6, 9)]
    assert tc_score(pred, gold) == Score(2 / 3, 2 / 3, pytest.approx(2 / 3))
    assert tc_score(pred, gold).as_dict() == {"precision": 2 / 3, "recall": 2 / 3, "f1": pytest.approx(2 / 3)}


class FixedRanking:
    """A technique classifier whose ranking is fixed: Doubt, Slogans, Repetition for every span."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[tuple[int, int]]]] = []

    def classify(self, text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, float]]]:
        self.calls.append((text, list(spans)))
        return [[("Doubt", 0.6), ("Slogans", 0.3), ("Repetition", 0.1)][:1 + s % 3] for s, _ in spans]


def test_label_spans_gives_the_kth_copy_of_a_span_the_kth_ranked_technique():
    model = FixedRanking()
    spans = [(1, 4), (0, 3), (1, 4), (1, 4), (0, 3)]  # span (1, 4) is ranked 2 deep, (0, 3) 1 deep
    assert label_spans(model, "some text", spans) == ["Doubt", "Doubt", "Slogans", "Slogans", "Doubt"]
    assert model.calls == [("some text", [(1, 4), (0, 3)])]  # each distinct span classified once
    assert label_spans(model, "x", []) == [] and len(model.calls) == 1  # nothing to classify: no call


def test_classify_gold_labels_every_gold_span_of_each_article_with_its_text():
    model = FixedRanking()
    gold = [L("7", "Slogans", 2, 5), L("9", "Doubt", 0, 4), L("7", "Doubt", 2, 5)]
    labelled = classify_gold(model, {"7": "seven text", "9": "nine text"}, gold)
    assert labelled == [L("7", "Doubt", 2, 5), L("7", "Slogans", 2, 5), L("9", "Doubt", 0, 4)]
    assert model.calls == [("seven text", [(2, 5)]), ("nine text", [(0, 4)])]


def test_the_third_copy_of_a_span_gets_the_third_ranked_technique_and_a_short_ranking_is_refused():
    assert label_spans(FixedRanking(), "t", [(2, 5), (2, 5), (2, 5), (2, 5)]) == [
        "Doubt", "Slogans", "Repetition", "Repetition"]  # ranked 3 deep; a fourth copy keeps the last

    class ShortRanking(FixedRanking):
        def classify(self, text, spans):
            return super().classify(text, spans)[:-1]  # one ranking too few: a broken classifier

    with pytest.raises(ValueError):
        label_spans(ShortRanking(), "t", [(0, 3), (1, 4)])
