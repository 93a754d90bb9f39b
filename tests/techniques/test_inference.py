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


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300), data=st.data())
def test_decoded_spans_are_exact_in_bound_substrings(tiny_tokenizer, text, data):
    tok = tokenize(text, tiny_tokenizer)
    flags = data.draw(st.lists(st.booleans(), min_size=len(tok), max_size=len(tok)))
    spans = decode_spans(tok, logits_for(len(tok), [i for i, f in enumerate(flags) if f]), 0.5)
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


@shipped
@pytest.mark.slow
def test_shipped_model_handles_a_one_megabyte_paragraph():
    model = TechniqueModel(threads=1, batch_size=32)
    text = ("the evil enemy is destroying everything we love " * 21000)[:1_000_000]
    [spans] = model.spans([text])
    assert all(0 <= s.start < s.end <= len(text) for s in spans)


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
    assert seen and all(mask.all() for mask in seen) and max(len(m) for m in seen) <= 4
    for (tok_a, out_a), (tok_b, out_b) in zip(padded, equal, strict=True):
        assert np.array_equal(tok_a.ids, tok_b.ids) and np.array_equal(out_a, out_b)


@shipped
def test_shipped_graph_has_no_mask_and_refuses_padded_batches():
    pytest.importorskip("onnxruntime")
    model = TechniqueModel(threads=1)
    assert not model.masked
    ids = np.array([[101, 2023, 102], [101, 102, 0]])
    with pytest.raises(ValueError, match="equal length"):
        model._run({"input_ids": ids, "attention_mask": (ids > 0).astype(np.int64), "token_type_ids": 0 * ids})


@shipped
def test_shipped_graph_gives_the_same_spans_one_text_at_a_time_and_batched():
    texts = ["These corrupt, evil traitors are destroying our great nation! Stop the invasion now.",
             "Short.", "The radical mob wants to burn it all down, and the cowards in power let them."] * 2
    model = TechniqueModel(threads=1, batch_size=4)
    batched = model.spans(texts)
    assert batched == [model.spans([t])[0] for t in texts]
