from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.models.windows import tokenize
from narrascope.techniques import TECHNIQUES
from narrascope.techniques.inference import (
    MODEL_DIR,
    MODEL_FILE,
    Decoding,
    TechniqueModel,
    decode_spans,
    rank_techniques,
    span_logits,
)

C = len(TECHNIQUES) + 1


def logits_for(n, on, technique=0):
    out = np.full((n, C), -5.0, dtype=np.float32)
    out[on, 0] = 5.0
    out[:, 1 + technique] = 2.0
    return out


def test_decode_joins_consecutive_tokens_and_drops_edge_punctuation(tiny_tokenizer):
    text = "abc de, fg hi"
    tok = tokenize(text, tiny_tokenizer)
    words = [text[s:e] for s, e in tok.offsets]
    on = [i for i, w in enumerate(words) if w in ("d", "e", ",", "f", "g")]
    spans = decode_spans(tok, logits_for(len(tok), on, technique=5), threshold=0.5)
    assert [(text[s.start:s.end], s.technique) for s in spans] == [("de, fg", TECHNIQUES[5])]
    assert spans[0].score == pytest.approx(1 / (1 + np.exp(-5.0)), rel=1e-4)


def test_decode_only_punctuation_gives_nothing(tiny_tokenizer):
    tok = tokenize("ab , cd", tiny_tokenizer)
    on = [i for i, (s, e) in enumerate(tok.offsets) if tok.text[s:e] == ","]
    assert decode_spans(tok, logits_for(len(tok), on), 0.5) == []
    assert decode_spans(tokenize("", tiny_tokenizer), np.zeros((0, C)), 0.5) == []


def with_probs(probs):
    out = np.full((len(probs), C), -5.0, dtype=np.float32)
    p = np.clip(np.array(probs, dtype=np.float64), 1e-6, 1 - 1e-6)
    out[:, 0] = np.log(p / (1 - p))
    return out


def pieces(text, spans):
    return [text[s.start:s.end] for s in spans]


def test_hysteresis_grows_a_seeded_span_over_weaker_neighbours_only(tiny_tokenizer):
    text = "a b c d e f g"
    tok = tokenize(text, tiny_tokenizer)
    probs = [0.1, 0.27, 0.4, 0.27, 0.1, 0.27, 0.27]
    assert pieces(text, decode_spans(tok, with_probs(probs), 0.3)) == ["c"]
    # f g reach the lower threshold but nothing there reaches 0.3: no span seeded
    assert pieces(text, decode_spans(tok, with_probs(probs), Decoding(0.3, extend=0.25))) == ["b c d"]


def test_gap_joins_runs_and_min_tokens_drops_short_spans(tiny_tokenizer):
    text = "a b c d e f g"
    tok = tokenize(text, tiny_tokenizer)
    logits = with_probs([0.9, 0.9, 0.1, 0.9, 0.1, 0.1, 0.9])
    assert pieces(text, decode_spans(tok, logits, Decoding(0.5))) == ["a b", "d", "g"]
    assert pieces(text, decode_spans(tok, logits, Decoding(0.5, gap=1))) == ["a b c d", "g"]
    assert pieces(text, decode_spans(tok, logits, Decoding(0.5, gap=2))) == ["a b c d e f g"]
    assert pieces(text, decode_spans(tok, logits, Decoding(0.5, min_tokens=2))) == ["a b"]


def test_whole_words_widens_spans_to_word_edges_and_merges_what_then_overlaps(tiny_tokenizer):
    text = "abc de fgh"
    tok = tokenize(text, tiny_tokenizer)
    words = [text[s:e] for s, e in tok.offsets]
    assert words == ["a", "b", "c", "d", "e", "f", "g", "h"]
    probs = [0.1, 0.9, 0.1, 0.1, 0.1, 0.9, 0.1, 0.9]
    assert pieces(text, decode_spans(tok, with_probs(probs), 0.5)) == ["b", "f", "h"]
    assert pieces(text, decode_spans(tok, with_probs(probs), Decoding(0.5, whole_words=True))) == ["abc", "fgh"]


def test_decoding_comes_from_the_model_config_and_a_threshold_override_keeps_extend_below_it():
    config = {"threshold": 0.3, "decoding": {"threshold": 0.3, "extend": 0.25, "gap": 4, "min_tokens": 2,
                                             "whole_words": True, "unknown": 1}}
    assert Decoding.from_config(config) == Decoding(0.3, 0.25, 4, 2, True)
    assert Decoding.from_config(config, threshold=0.2) == Decoding(0.2, 0.2, 4, 2, True)
    assert Decoding.from_config({"threshold": 0.4}) == Decoding(0.4)
    shipped = TechniqueModel().config
    assert Decoding.from_config(shipped).threshold == shipped["threshold"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), data=st.data())
def test_decoded_spans_are_exact_in_bound_substrings(tiny_tokenizer, text, data):
    tok = tokenize(text, tiny_tokenizer)
    probs = data.draw(st.lists(st.sampled_from([0.1, 0.3, 0.45, 0.6, 0.9]), min_size=len(tok), max_size=len(tok)))
    rule = Decoding(0.5, data.draw(st.sampled_from([None, 0.4])), data.draw(st.integers(0, 3)),
                    data.draw(st.integers(1, 3)), data.draw(st.booleans()))
    spans = decode_spans(tok, with_probs(probs), rule)
    previous_end = 0
    for s in spans:
        assert previous_end <= s.start < s.end <= len(text)
        piece = text[s.start:s.end]
        assert piece == piece.strip() and piece[0] not in ".,:;" and piece[-1] not in ".,:;"
        assert s.technique in TECHNIQUES and 0.0 <= s.score <= 1.0
        previous_end = s.end


def test_rank_and_span_logits():
    logits = np.zeros((3, C), dtype=np.float32)
    logits[:, 1 + 3] = 4.0
    logits[:, 1 + 7] = 3.0
    ranked = rank_techniques(logits)
    assert [t for t, _ in ranked[:2]] == [TECHNIQUES[3], TECHNIQUES[7]]
    assert sum(p for _, p in ranked) == pytest.approx(1.0)


def test_span_logits_uses_overlapping_tokens_or_the_nearest(tiny_tokenizer):
    tok = tokenize("ab cd ef", tiny_tokenizer)
    logits = np.arange(len(tok) * C, dtype=np.float32).reshape(len(tok), C)
    assert len(span_logits(tok, logits, 3, 5)) == 2  # "c", "d"
    assert len(span_logits(tok, logits, 2, 3)) == 1  # a space: the nearest token


shipped = pytest.mark.skipif(not (MODEL_DIR / MODEL_FILE).is_file(), reason="the trained model is not shipped yet")


@shipped
def test_shipped_model_finds_exact_spans_and_survives_bad_input():
    pytest.importorskip("onnxruntime")
    model = TechniqueModel(threads=1)
    texts = ["", "\x00\x01\x02 \u200b\ufeff", "These corrupt, evil traitors are destroying our great nation! "
             "Stop the invasion now.", "Die korrupten Verräter zerstören unser großes Land."]
    results = model.spans(texts)
    assert results[0] == [] and len(results) == 4
    for text, spans in zip(texts, results, strict=True):
        for s in spans:
            assert 0 <= s.start < s.end <= len(text) and s.technique in TECHNIQUES
    assert results[2], "an obviously loaded sentence should get at least one span"
    ranked = model.classify(texts[2], [(14, 20), (0, 5)])
    assert len(ranked) == 2 and len(ranked[0]) == len(TECHNIQUES)



def test_a_texts_scores_do_not_depend_on_the_texts_scored_with_it():
    """int8 activations are quantised per model call: windows of two texts never share a call."""
    pytest.importorskip("onnxruntime")
    model = TechniqueModel(threads=1)
    text = ("The corrupt elites want to destroy our nation, and only a fool would believe their lies. "
            "Everyone knows the truth: they are traitors. ") * 3
    # texts of the same length in tokens: batching across texts would put them in one call
    others = [text.replace("corrupt", "evil").replace("traitors", "liars"),
              text.replace("nation", "country").replace("lies", "words"), "Wake up, sheeple! " * 40]
    [(_, alone)] = model.token_logits([text])
    among = model.token_logits(others + [text])[-1][1]
    np.testing.assert_array_equal(among, alone)
    assert [(s.start, s.end, s.technique, s.score) for s in model.spans(others + [text])[-1]] == \
        [(s.start, s.end, s.technique, s.score) for s in model.spans([text])[0]]

@shipped
@pytest.mark.slow
def test_shipped_model_handles_a_one_megabyte_paragraph():
    model = TechniqueModel(threads=1, batch_size=32)
    text = ("the evil enemy is destroying everything we love " * 21000)[:1_000_000]
    [spans] = model.spans([text])
    assert len(spans) >= 1  # the slogan repeated is marked (one Repetition span over 300 repeats)
    assert [(s.start, s.end) for s in spans if not 0 <= s.start < s.end <= len(text)] == []


def test_equal_length_batches_are_never_padded_and_give_the_same_outputs(tiny_tokenizer):
    from narrascope.models.windows import per_token_outputs

    texts = ["a b c", "ab cd ef gh", "a", "abc de fg hi jk lm no pq", "b c d e f g h i j k l m n o p q r", ""]
    seen = []

    def run(batch):
        seen.append(batch["attention_mask"])
        return np.repeat(batch["input_ids"][..., None].astype(np.float32), 3, axis=-1)

    padded = per_token_outputs(texts, tiny_tokenizer, run, max_tokens=8, stride=2, batch_size=4)
    assert any(not mask.all() for mask in seen)
    seen.clear()
    equal = per_token_outputs(texts, tiny_tokenizer, run, max_tokens=8, stride=2, batch_size=4, equal_lengths=True)
    assert {bool(mask.all()) for mask in seen} == {True} and max(len(m) for m in seen) <= 4
    for (tok_a, out_a), (tok_b, out_b) in zip(padded, equal, strict=True):
        assert np.array_equal(tok_a.ids, tok_b.ids) and np.array_equal(out_a, out_b)


@shipped
def test_shipped_graph_has_no_mask_and_refuses_padded_batches():
    pytest.importorskip("onnxruntime")
    model = TechniqueModel(threads=1)
    assert not model.masked
    ids = np.array([[101, 2023, 102], [101, 102, 0]])
    with pytest.raises(ValueError, match="equal length"):
        model.runner.call({"input_ids": ids, "attention_mask": (ids > 0).astype(np.int64), "token_type_ids": 0 * ids})


@shipped
def test_shipped_graph_gives_the_same_spans_one_text_at_a_time_and_batched():
    texts = ["These corrupt, evil traitors are destroying our great nation! Stop the invasion now.",
             "Short.", "The radical mob wants to burn it all down, and the cowards in power let them."] * 2
    model = TechniqueModel(threads=1, batch_size=4)
    batched = model.spans(texts)
    assert batched == [model.spans([t])[0] for t in texts]
