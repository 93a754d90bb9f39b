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
