"""Vocabulary trimming by use: the pieces a corpus uses, every single Latin/Cyrillic character, the specials."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tokenizers")

from narrascope.models.e5.corpus import corpus_texts, held_out  # noqa: E402
from narrascope.models.e5.tokenizer import build_tokenizer  # noqa: E402
from narrascope.models.e5.trim import kept_by_use, piece_counts, trim  # noqa: E402
from narrascope.models.e5.weights import E5Weights, Vocabulary  # noqa: E402

M = "\u2581"
PIECES = ["<s>", "<pad>", "</s>", "<unk>", M, M + "the", M + "мир", M + "world", M + "th", M + "query", ":",
          "t", "h", "e", "w", "o", "r", "l", "d", "м", "и", "р", "日", M + "日本", "<mask>", M + "wor", "ld"]
SCORES = [0.0, 0.0, 0.0, 0.0, -3.0, -4.0, -5.0, -5.0, -6.0, -5.0, -4.0] + [-9.0] * 12 + [-6.0, 0.0, -7.0, -7.0]


def small_weights() -> E5Weights:
    vocabulary = Vocabulary(PIECES, np.array(SCORES, np.float32), bos=0, eos=2, pad=1, unk=3, normalization={0x9: " "})
    word = np.arange(len(PIECES) * 4, dtype=np.float32).reshape(-1, 4)
    return E5Weights({"hidden": 4, "vocab_rows": len(PIECES)}, vocabulary, {"emb.word": word})


CORPUS = ["the мир the", "the the", "world", "the world мир"]  # the last one is held out (sha256 rule)


def test_held_out_texts_are_carved_off_by_hash() -> None:
    assert [held_out(t) for t in CORPUS] == [False, False, False, True]


def test_trimming_keeps_the_used_pieces_the_single_characters_and_the_specials() -> None:
    weights = small_weights()
    counts = piece_counts(weights.vocabulary, CORPUS[:3])
    assert {PIECES[i]: n for i, n in counts.items()} == {M + "the": 4, M + "мир": 1, M + "world": 1}
    reasons = kept_by_use(weights.vocabulary, counts, min_count=2)
    assert {PIECES[i]: why for i, why in reasons.items()} == {
        "<s>": "special", "<pad>": "special", "</s>": "special", "<unk>": "special", "<mask>": "special",
        M: "character", ":": "character", **dict.fromkeys("theworldмир", "character"),
        M + "query": "prefix", M + "the": "used"}
    assert len(kept_by_use(weights.vocabulary, counts, min_count=1)) == 22  # + ▁мир, ▁world
    capped = kept_by_use(weights.vocabulary, counts, min_count=1, max_pieces=21)
    assert len(capped) == 21 and 6 in capped and 7 not in capped  # ▁мир and ▁world tie on uses: lower id first
    filled = kept_by_use(weights.vocabulary, counts, min_count=2, max_pieces=22, fill_script="cyrillic")
    assert {PIECES[i] for i, why in filled.items() if why == "score"} == {M + "мир"}  # the one Cyrillic piece left


def test_a_word_whose_pieces_were_dropped_still_tokenises_into_kept_pieces() -> None:
    weights = small_weights()
    trimmed, pruning = trim(weights, CORPUS, min_count=2, sources={"test": 4})
    kept = [PIECES[i] for i in pruning.kept_ids]
    assert M + "world" not in kept and M + "мир" not in kept and M + "日本" not in kept and "日" not in kept
    assert pruning.details["reasons"][kept.index(M + "the")] == "used"
    assert pruning.details["uses"][kept.index(M + "the")] == 4  # the held-out text's two were not counted
    assert pruning.counts["pieces kept"] == 20 and pruning.counts["kept as used"] == 1
    np.testing.assert_array_equal(trimmed.tensors["emb.word"], weights.tensors["emb.word"][pruning.kept_ids])
    encoding = build_tokenizer(trimmed.vocabulary).encode("the world мир")
    assert encoding.tokens == ["<s>", M + "the", M, "w", "o", "r", "l", "d", M, "м", "и", "р", "</s>"]
    full = build_tokenizer(weights.vocabulary).encode("the world мир")
    assert full.tokens == ["<s>", M + "the", M + "world", M + "мир", "</s>"]


def test_the_corpus_reader_names_sources_and_the_bad_file(tmp_path: Path) -> None:
    (tmp_path / "diary").mkdir()
    (tmp_path / "diary" / "days.csv").write_text("date,text\n1,Привет мир\n", encoding="utf-8")
    (tmp_path / "notes.jsonl").write_text(json.dumps({"a": ["one", {"b": "two"}], "n": 3}) + "\n", encoding="utf-8")
    (tmp_path / "page.html.gz").write_bytes(b"\x1f\x8b")
    assert corpus_texts([tmp_path]) == {"diary": ["date", "text", "1", "Привет мир"], tmp_path.name: ["one", "two"]}
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: not valid JSON"):
        corpus_texts([tmp_path])
    with pytest.raises(FileNotFoundError, match="missing: no such corpus"):
        corpus_texts([tmp_path / "missing"])
