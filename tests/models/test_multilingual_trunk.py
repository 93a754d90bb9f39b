"""The shipped multilingual trunk (multilingual-e5-small, trimmed, int8): prefix and cross-lingual embeddings."""

from __future__ import annotations

import json

import numpy as np

from narrascope.models.sentence import MODEL_DIR, SentenceEncoder, query_prefix
from narrascope.models.version import model_version

TRUNK = MODEL_DIR.parent / "multilingual"


def test_the_trunk_reads_its_prefix_and_version_from_its_config() -> None:
    assert query_prefix(TRUNK) == "query: "
    assert query_prefix(MODEL_DIR) == ""
    assert model_version(TRUNK) == json.loads((TRUNK / "config.json").read_text(encoding="utf-8"))["version"]


def test_a_russian_sentence_lands_next_to_its_english_translation() -> None:
    texts = ["The regime beat peaceful people in the streets.", "Режим избивал мирных людей на улицах.",
             "Режим бив мирних людей на вулицях.", "I like pancakes with honey."]
    v = SentenceEncoder(TRUNK).encode(texts)
    assert v.shape == (4, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    sim = v @ v.T
    assert sim[1, 0] > sim[1, 3] + 0.1 and sim[2, 0] > sim[2, 3] + 0.1


def test_the_prefix_goes_before_every_text_but_not_an_empty_one() -> None:
    encoder = SentenceEncoder(TRUNK)
    with_prefix, empty = encoder.encode(["Lukashenka", ""])
    bare = SentenceEncoder(TRUNK)
    bare._load()
    bare._prefix = ""
    without = bare.encode(["Lukashenka"])[0]
    assert float(with_prefix @ without) < 0.999
    assert not empty.any()


def test_every_layers_multilingual_model_reads_through_one_trunk_session() -> None:
    from narrascope.models import crosslingual
    from narrascope.pipeline.component import get_component

    claims = get_component("claims", threads=2).second_model
    narratives = get_component("narratives", threads=2).second_model
    toxicity = get_component("toxicity", threads=2, multilingual=True).second_model
    assert claims.encoder is narratives.encoder is toxicity.encoder is crosslingual.encoder(2)
    assert crosslingual.encoder(1) is not crosslingual.encoder(2)
