from __future__ import annotations

import math

from narrascope.toxicity.evaluation import auroc, macro_f1, offsets, span_f1


def test_span_f1_follows_the_semeval_conventions():
    assert span_f1(set(), set()) == 1.0
    assert span_f1({1, 2}, set()) == 0.0
    assert span_f1(set(), {1, 2}) == 0.0
    assert span_f1({1, 2, 3, 4}, {3, 4}) == 2 * 0.5 * 1.0 / 1.5
    assert span_f1(offsets([(0, 3)]), offsets([[0, 3]])) == 1.0


def test_macro_f1_averages_classes_equally():
    gold = [0, 0, 1, 2]
    assert macro_f1(gold, gold) == 1.0
    # class 0 perfect, class 1 missed, class 2 predicted once wrongly
    assert math.isclose(macro_f1(gold, [0, 0, 2, 2]), (1.0 + 0.0 + 2 / 3) / 3)


def test_auroc_counts_pairs_and_ties():
    assert auroc([True, False], [0.9, 0.1]) == 1.0
    assert auroc([True, False], [0.1, 0.9]) == 0.0
    assert auroc([True, False], [0.5, 0.5]) == 0.5
    assert math.isclose(auroc([True, True, False, False], [0.9, 0.4, 0.5, 0.1]), 0.75)
    assert math.isnan(auroc([True], [0.3]))


def test_predict_span_f1_counts_spans_of_normal_comments_and_gated_span_f1_does_not(shipped_model):
    from narrascope.toxicity.data import Example
    from narrascope.toxicity.evaluation import gated_span_f1, predict_span_f1

    # a HateXplain post rejecting a slur (labelled normal, its span the slur) and an insult (labelled hatespeech)
    posts = [Example("c", "just do not say nigger", "t", spans=[(16, 22)]),
             Example("i", "you are a disgusting stupid idiot", "t", spans=[(21, 33)])]
    assert [r.label for r in shipped_model.predict([p.text for p in posts])] == ["normal", "hatespeech"]
    assert predict_span_f1(shipped_model, posts) == 1.0
    assert gated_span_f1(shipped_model, posts) == 0.5
