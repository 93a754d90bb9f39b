"""The cross-lingual alignment (models/alignment.py) and translate-train's refit (models/translate_train.py)."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.errors import NarrascopeError
from narrascope.models.alignment import AlignedEncoder, Alignment, fit
from narrascope.models.translate_train import refit


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_mean_shift_moves_the_centre_of_the_translations_onto_the_english_one() -> None:
    rng = np.random.default_rng(0)
    english = _unit(rng.normal(size=(40, 8)))
    own = english + np.array([0.5, -0.2, 0, 0, 0, 0, 0, 0.1], dtype=np.float32)
    shift, centre, weights = fit(own, english, None)
    assert np.allclose(shift, [-0.5, 0.2, 0, 0, 0, 0, 0, -0.1], atol=1e-6)
    assert np.allclose(centre, own.mean(axis=0))
    assert not weights.any()


def test_a_small_ridge_learns_a_linear_distortion_the_mean_shift_cannot() -> None:
    rng = np.random.default_rng(1)
    english = rng.normal(size=(300, 6))
    distortion = np.eye(6) + 0.3 * rng.normal(size=(6, 6))
    own = english @ distortion + 0.2
    errors = {}
    for ridge in (None, 0.01):
        shift, centre, weights = fit(own, english, ridge)
        errors[ridge] = float(np.abs(own + shift + (own - centre) @ weights - english).mean())
    assert errors[0.01] < 0.01 < errors[None]


def test_fit_refuses_pairs_of_unequal_shape() -> None:
    with pytest.raises(NarrascopeError, match="parallel pairs"):
        fit(np.zeros((3, 4)), np.zeros((2, 4)), 1.0)


def test_move_gives_unit_rows_and_leaves_blank_rows_and_other_languages_alone(tmp_path) -> None:
    d = 4
    alignment = Alignment({"ru": np.array([0.0, 1.0, 0, 0], np.float32)}, {"ru": np.zeros(d, np.float32)},
                          {"ru": np.zeros((d, d), np.float32)}, {"version": "t", "layers": ["toxicity"]})
    emb = np.array([[1.0, 0, 0, 0], [0, 0, 0, 0]], dtype=np.float32)
    moved = alignment.move("ru", emb)
    assert np.allclose(moved[0], [2 ** -0.5, 2 ** -0.5, 0, 0])
    assert not moved[1].any()
    assert np.array_equal(alignment.move("uk", emb), emb)
    alignment.save(tmp_path / "a.npz")
    again = Alignment.load(tmp_path / "a.npz")
    assert again.languages == ("ru",) and again.layers == ("toxicity",) and again.version == "t"
    assert np.array_equal(again.move("ru", emb), moved)


def test_a_file_that_is_not_an_alignment_is_an_error_naming_it(tmp_path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a numpy archive")
    with pytest.raises(NarrascopeError, match="bad.npz: not an alignment file"):
        Alignment.load(bad)


def test_the_aligned_trunk_moves_cyrillic_texts_only() -> None:
    from narrascope.models import crosslingual

    base = crosslingual.encoder(1)
    d = 384
    shift = np.zeros(d, np.float32)
    shift[0] = 0.5
    alignment = Alignment({"ru": shift}, {"ru": np.zeros(d, np.float32)}, {"ru": np.zeros((d, d), np.float32)},
                          {"layers": ["toxicity"], "cyrillic_fallback": "ru"})
    texts = ["The minister resigned on Friday after the vote.", "Министр ушёл в отставку в пятницу после голосования.",
             "", "Видео с проспекта Независимости"]
    raw = base.encode(texts)
    moved = AlignedEncoder(base, alignment).encode(texts)
    assert np.array_equal(moved[0], raw[0])  # English: untouched
    assert not moved[2].any()  # an empty text stays a zero vector
    for row in (1, 3):  # Russian, and a short Cyrillic caption whatever the identifier calls it
        expected = raw[row] + shift
        assert np.allclose(moved[row], expected / np.linalg.norm(expected), atol=1e-6)


@pytest.mark.parametrize("kind", ["softmax", "sigmoid"])
def test_refit_moves_the_head_towards_the_targets_and_a_strong_pull_keeps_it(kind: str) -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 5))
    true_w = rng.normal(size=(3, 5)) * 2
    z = x @ true_w.T
    y = (np.eye(3)[z.argmax(axis=1)] if kind == "softmax" else (z > 0)).astype(np.int8)
    w0, b0 = np.zeros((3, 5), np.float32), np.zeros(3, np.float32)

    def agree(w: np.ndarray, b: np.ndarray) -> float:
        s = x @ w.T + b
        return float((s.argmax(axis=1) == y.argmax(axis=1)).mean() if kind == "softmax" else ((s > 0) == y).mean())

    loose = refit(w0, b0, x, y, 1e-4, kind)
    held = refit(w0, b0, x, y, 1e4, kind)
    assert agree(*loose) > 0.9
    assert np.abs(held[0]).max() < 1e-3 and np.abs(held[1]).max() < 1e-3


def test_refit_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="softmax or sigmoid"):
        refit(np.zeros((2, 2)), np.zeros(2), np.zeros((1, 2)), np.zeros((1, 2)), 1.0, "relu")


def test_hostile_texts_go_through_the_aligned_trunk_without_an_error() -> None:
    """A lone surrogate, a NUL, 100,000 Cyrillic letters and emoji: unit vectors, no exception."""
    from narrascope.models import crosslingual
    from narrascope.models.alignment import AlignedEncoder

    d = 384
    alignment = Alignment({"ru": np.full(d, 0.01, np.float32)}, {"ru": np.zeros(d, np.float32)},
                          {"ru": np.zeros((d, d), np.float32)}, {"layers": ["toxicity"]})
    texts = ["\ud800Привет, как дела у вас сегодня?", "Привет\x00мир, как дела?", "я" * 100_000, "🙂🙂"]
    emb = AlignedEncoder(crosslingual.encoder(1), alignment).encode(texts)
    assert emb.shape == (4, d) and np.allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
