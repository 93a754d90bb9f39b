"""Which spans a comment labelled normal shows: the sure ones and slurs (narrascope.toxicity.normal_spans)."""

from __future__ import annotations

import pytest

from narrascope.toxicity.normal_spans import calibrate, is_slur, normal_spans


def test_calibrate_picks_the_lowest_threshold_that_leaves_at_most_five_percent_of_posts_a_span():
    # 20 posts: at 0.5 four carry a span (0.6, 0.7, 0.8, 0.9), at 0.75 two, at 0.85 one (5 %)
    highest = [0.1] * 16 + [0.6, 0.7, 0.8, 0.9]
    assert calibrate(highest) == 0.85
    assert calibrate(highest, max_share=0.1) == 0.75
    assert calibrate([0.1] * 19 + [0.99]) == 0.5
    assert calibrate([0.97] * 5) is None  # no threshold of the grid is that quiet: slurs only
    assert calibrate([]) is None


def test_a_slur_matches_in_any_case_and_plural_an_ordinary_word_does_not():
    assert [is_slur(w) for w in ("Kikes", "TOWELHEAD", "wetbacks", "polacks", "cracker", "retard", "Poles")] == [
        True, True, True, True, False, False, False]


def test_a_normal_comment_shows_a_slur_at_the_span_threshold_and_other_words_only_when_the_head_is_sure():
    text = "Potash is not a reason to call anyone a wetback."
    # tokens: Potash 0.70, wetback 0.50 (".": 0.9 but it is no word)
    offsets, probs = [(0, 6), (7, 9), (40, 47), (47, 48)], [0.70, 0.1, 0.50, 0.9]
    assert normal_spans(text, offsets, probs, 0.4, 0.85) == [(40, 47)]
    assert normal_spans(text, offsets, probs, 0.55, 0.85) == []  # the slur's token under the span threshold
    assert normal_spans(text, offsets, probs, 0.4, 0.65) == [(0, 6), (40, 47)]
    assert normal_spans(text, offsets, probs, 0.4, None) == [(40, 47)]  # a model with no calibrated threshold


def test_the_shipped_model_leaves_ordinary_comments_unmarked_and_shows_a_quoted_slur(shipped_model):
    texts = ["Potash exports go through Klaipėda, Lithuania can squeeze them.",
             "The strikers themselves asked for sanctions. Ask them, not the ministry.",
             "just do not say nigger"]
    results = shipped_model.predict(texts)
    assert [r.label for r in results] == ["normal", "normal", "normal"]
    assert [r.spans for r in results] == [[], [], [(16, 22)]]
    assert shipped_model.normal_span_threshold == pytest.approx(0.85)
