"""The shipped multilingual trunk (multilingual-e5-small, trimmed, int8): prefix and cross-lingual embeddings."""

from __future__ import annotations

import json

import numpy as np

from narrascope.models.sentence import MODEL_DIR, SentenceEncoder, _key, query_prefix
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
    # narratives and toxicity read through the alignment (models/alignment.py), claims directly: one session
    assert narratives.encoder.alignment is toxicity.encoder.alignment
    assert claims.encoder is narratives.encoder.encoder is toxicity.encoder.encoder is crosslingual.encoder(2)
    assert crosslingual.encoder(1) is not crosslingual.encoder(2)


def counted(encoder: SentenceEncoder) -> list[int]:
    """The number of rows ``encoder``'s real onnxruntime session is given, kept in a one-item list."""
    runner = encoder._load()
    rows, call = [0], runner.call

    def counting(batch, outputs=None):  # type: ignore[no-untyped-def]
        rows[0] += len(batch["input_ids"])
        return call(batch, outputs)

    runner.call = counting  # type: ignore[method-assign]
    return rows


def test_a_remembered_text_gets_exactly_the_vector_a_new_call_gives() -> None:
    texts = ["Режим избивал мирных людей на улицах.", "", "Лукашенко", "Режим избивал мирных людей на улицах.",
             "Польща прийняла понад мільйон біженців з України."]
    fresh = SentenceEncoder(TRUNK).encode(texts)
    remembering = SentenceEncoder(TRUNK, remember=2)
    rows = counted(remembering)
    first = remembering.encode(texts)
    assert rows[0] == 3  # three distinct texts hold words; the empty one is a zero vector, never run
    again = remembering.encode(texts[::-1])
    assert np.array_equal(first, fresh) and np.array_equal(again, fresh[::-1])
    assert rows[0] == 4  # only the latest two were kept ("Лукашенко", the Ukrainian one): the Russian one ran again
    assert list(remembering._memory) == [_key(texts[0]), _key("")]  # kept by digest, not by the text itself


def test_a_batch_of_several_texts_a_call_remembers_nothing() -> None:
    encoder = SentenceEncoder(TRUNK, batch_size=4, remember=100)
    rows = counted(encoder)
    encoder.encode(["Лукашенко", "Лукашенко"])
    encoder.encode(["Лукашенко"])
    assert rows[0] == 3 and not encoder._memory


def test_each_russian_sentence_goes_through_the_trunk_once_with_every_layer_on() -> None:
    from narrascope.model import Document
    from narrascope.models import crosslingual
    from narrascope.pipeline.component import get_component
    from narrascope.pipeline.executor import apply_components

    body = ("Режим избивал мирных людей на улицах Минска. Запад снова готовит цветную революцию в Беларуси. "
            "Безработица в Беларуси удвоилась с 2019 по 2021 год.")
    crosslingual.encoder.cache_clear()
    rows = counted(crosslingual.encoder(1))
    layers = [get_component(n) for n in ("techniques", "toxicity", "narratives", "claims")]
    apply_components([Document(source="https://example.org/a", body="Спасибо всем, хорошего вечера!")], layers)
    rows[0] = 0  # the narratives' examples are embedded once, on first use
    [doc] = apply_components([Document(source="https://example.org/ru", body=body, language="ru")], layers)
    # techniques and claims read the three sentences, narratives the three and the paragraph holding them:
    # four distinct texts, where each layer running its own trunk pass made ten
    assert rows[0] == 4
    assert {a.layer for a in doc.annotations if (a.data or {}).get("model") == "multilingual"} >= {"claims"}
