from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.models.windows import SPECIALS, batches, length_groups, per_token_outputs, stitch, tokenize, windows


@pytest.fixture(scope="module")
def tokenizer(tiny_tokenizer):
    return tiny_tokenizer


@given(n=st.integers(0, 3000), max_tokens=st.integers(4, 300), data=st.data())
def test_windows_own_every_token_exactly_once(n, max_tokens, data):
    stride = data.draw(st.integers(0, max_tokens - SPECIALS - 1))
    wins = windows(n, max_tokens, stride)
    owned = np.zeros(n, dtype=int)
    for w in wins:
        assert 0 <= w.start <= w.own_start <= w.own_end <= w.end <= n
        assert w.end - w.start <= max_tokens - SPECIALS
        owned[w.own_start:w.own_end] += 1
    assert (owned == 1).all()


def test_windows_reject_bad_stride():
    with pytest.raises(ValueError):
        windows(10, max_tokens=8, stride=6)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_token_offsets_are_exact_characters_of_the_text(tokenizer, text):
    tok = tokenize(text, tokenizer)
    assert len(tok.ids) == len(tok.offsets)
    # over no tokens these hold trivially; the ascii check below makes sure letters do give tokens
    assert (tok.offsets[:, 0] < tok.offsets[:, 1]).all()
    assert (tok.offsets >= 0).all() and (tok.offsets <= len(text)).all()
    assert (tok.offsets[1:, 0] >= tok.offsets[:-1, 1]).all()  # in order, never overlapping
    pieces = [text[s:e] for s, e in tok.offsets]
    assert [p for p in pieces if not p or p[0].isspace() or p[-1].isspace()] == []
    covered = np.zeros(len(text), dtype=bool)
    for s, e in tok.offsets:
        covered[s:e] = True
    # every ascii letter or digit belongs to some token
    assert [i for i, ch in enumerate(text) if ch in "abcdefghijklmnopqrstuvwxyz0123456789" and not covered[i]] == []


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=600), max_tokens=st.integers(6, 40),
       data=st.data())
def test_stitched_windows_give_back_each_token_once(tokenizer, text, max_tokens, data):
    stride = data.draw(st.integers(0, max_tokens - SPECIALS - 1))

    def run(batch):  # output = the token id itself, so stitching errors show
        return batch["input_ids"][:, :, None].astype(np.float32)

    [(tok, out)] = per_token_outputs([text], tokenizer, run, max_tokens=max_tokens, stride=stride, batch_size=3)
    assert out.shape == ((len(tok), 1) if len(tok) else (0, 0))
    assert out.reshape(-1).tolist() == tok.ids.tolist()
    whole = tuple(map(int, tok.char_span(0, len(tok) - 1))) if len(tok) else (0, 0)
    assert whole == ((int(tok.offsets[0, 0]), int(tok.offsets[-1, 1])) if len(tok) else (0, 0))


def test_per_token_outputs_positions_across_many_texts(tokenizer):
    texts = ["abc def " * 50, "", "x", "propaganda the thing " * 30, "\x00\x07\u200b"]

    def run(batch):
        mask = batch["attention_mask"]
        assert batch["input_ids"].shape == mask.shape
        assert (batch["input_ids"][:, 0] == tokenizer.token_to_id("[CLS]")).all()
        return np.cumsum(mask, axis=1)[:, :, None].astype(np.float32) - 1  # position inside the window

    outs = per_token_outputs(texts, tokenizer, run, max_tokens=32, stride=10, batch_size=4)
    assert [len(t) for t, _ in outs][1] == 0
    long_tok, long_out = outs[0]
    assert len(long_tok) > 100
    pos = long_out[:, 0]
    assert pos.min() >= 1 and pos.max() <= 30  # never [CLS] (0) or [SEP]
    # owned tokens sit away from window edges wherever an overlap exists
    assert (pos[10:-10] >= 4).all()


def test_lone_surrogates_and_control_characters_do_not_crash(tokenizer):
    text = "ab\ud800cd \x00\x1f ef"
    tok = tokenize(text, tokenizer)
    # the lone surrogate and the control characters fall between tokens; every letter keeps its place
    assert [text[s:e] for s, e in tok.offsets] == ["a", "b", "c", "d", "e", "f"]
    assert tok.offsets.tolist() == [[0, 1], [1, 2], [3, 4], [4, 5], [9, 10], [10, 11]]


def test_batches_pad_and_mark_attention(tokenizer):
    tok = tokenize("abc de", tokenizer)
    wins = windows(len(tok), 6, 1)
    arrays = batches([(tok, w) for w in wins], cls_id=2, sep_id=3)
    assert arrays["input_ids"].shape[1] == max(w.end - w.start for w in wins) + 2
    assert (arrays["attention_mask"].sum(axis=1) == [w.end - w.start + 2 for w in wins]).all()
    assert stitch([], [], 0).shape[0] == 0


def test_length_groups_cap_items_and_padded_tokens():
    assert length_groups([10] * 5, 2, 1000) == [[0, 1], [2, 3], [4]]
    assert length_groups([10, 20, 30, 300, 300], 32, 600) == [[0, 1, 2], [3, 4]]  # 4 x 300 > 600
    assert length_groups([100, 5000], 32, 4096) == [[0], [1]]  # a row longer than the budget goes alone
    assert length_groups([], 32, 4096) == []


def test_length_groups_sort_shortest_first_and_keep_ties_in_order():
    assert length_groups([30, 10, 20, 10], 2) == [[1, 3], [2, 0]]
    assert length_groups([5, 7, 5, 7, 7], 8, equal_lengths=True) == [[0, 2], [1, 3, 4]]
