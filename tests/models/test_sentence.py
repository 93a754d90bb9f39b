from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")


def test_a_texts_embedding_does_not_depend_on_the_texts_encoded_with_it():
    """int8 activations are quantised per model call: by default each text is a call of its own."""
    from narrascope.models.sentence import SentenceEncoder

    text = "NATO is encircling Russia with bases on its borders."
    others = ["ok", "The protests in Minsk were organised and paid for by Western intelligence services " * 5,
              "Sanctions hurt Europe more than Russia."]
    encoder = SentenceEncoder()
    alone = encoder.encode([text])[0]
    among = encoder.encode(others + [text])[-1]
    np.testing.assert_array_equal(among, alone)
    batched = SentenceEncoder(batch_size=64).encode(others + [text])[-1]
    assert float(batched @ alone) > 0.95  # batching stays close, but is not the same embedding


def test_two_threads_run_texts_side_by_side_and_give_the_same_embeddings():
    from narrascope.models.sentence import SentenceEncoder

    texts = [f"Sentence number {i} about sanctions, NATO and the elections in Belarus." for i in range(40)] + [""]
    one, two = SentenceEncoder(threads=1).encode(texts), SentenceEncoder(threads=2).encode(texts)
    np.testing.assert_array_equal(two, one)
    assert not two[-1].any() and np.allclose(np.linalg.norm(two[:-1], axis=1), 1, atol=1e-3)
