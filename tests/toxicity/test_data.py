from __future__ import annotations

from narrascope.toxicity.data import held_out, load_hatexplain, load_toxic_spans, offsets_to_spans


def test_offsets_merge_into_spans():
    assert offsets_to_spans([5, 1, 2, 3]) == [(1, 4), (5, 6)]
    assert offsets_to_spans([]) == []


def test_hatexplain_rationales_become_character_spans(toxicity_data):
    posts = {p.text: p for p in load_hatexplain(toxicity_data / "hatexplain")}
    post = posts["you are a stupid idiot"]
    assert post.hard_label == 1 and post.label == [0.0, 1.0, 0.0]
    assert [post.text[s:e] for s, e in post.rationale] == ["stupid", "idiot"]
    assert posts["all of those people are vermin"].targets == ["Refugee"]
    assert posts["what a lovely sunny day"].rationale == []


def test_toxic_spans_keep_offsets(toxicity_data):
    posts = load_toxic_spans(toxicity_data / "toxic_spans_civilcomments" / "tsd_train.csv")
    first = posts[0]
    assert [first.text[s:e] for s, e in first.spans] == ["idiots"]
    assert posts[1].spans == [] and posts[1].label is None


def test_held_out_split_is_stable_and_near_the_fraction():
    keys = [f"k{i}" for i in range(2000)]
    chosen = [k for k in keys if held_out(k)]
    assert chosen == [k for k in keys if held_out(k)]
    assert 300 < len(chosen) < 500
