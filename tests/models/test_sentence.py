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


def test_a_sentence_repeated_in_comments_runs_once_per_graph_and_keeps_its_scores():
    """Narratives (shared encoder + its fine-tuned graph) and claims (its fine-tuned graph) remember what they ran."""
    from narrascope.model import Comment, Document
    from narrascope.pipeline.component import get_component

    quoted = "NATO is encircling Russia with bases on its borders."
    texts = [quoted, f"{quoted} Sanctions hurt Europe more than Russia.", "Sanctions hurt Europe more than Russia.",
             quoted]

    def run(remember: bool) -> tuple[list[tuple], dict[str, int]]:
        doc = Document(source="https://example.org/t", body="", comments=[Comment(id=f"c{i}", text=t)
                                                                         for i, t in enumerate(texts)])
        narratives, claims = get_component("narratives"), get_component("claims")
        encoders = {"narratives encoder": narratives.model.encoder,
                    "narratives graph": narratives.model.heads.tagger._runner,
                    "claims graph": claims.model.heads._runner}
        rows = dict.fromkeys(encoders, 0)
        narratives.model._example_matrix()  # the taxonomy's examples are embedded once, on first use
        for name, encoder in encoders.items():
            encoder.remember = encoder.remember if remember else 0
            runner, call = encoder._load(), encoder._load().call

            def counting(batch, outputs=None, name=name, call=call):  # type: ignore[no-untyped-def]
                rows[name] += len(batch["input_ids"])
                return call(batch, outputs)

            runner.call = counting
        [doc] = claims.pipe(narratives.pipe([doc]))
        return sorted((a.target, a.start, a.end, a.layer, a.label, a.score) for a in doc.annotations), rows

    remembered, rows = run(True)
    assert rows == {"narratives encoder": 3, "narratives graph": 3, "claims graph": 2}
    fresh, before = run(False)
    assert fresh == remembered and {a[3] for a in fresh} == {"narratives", "claims"}
    assert before == {"narratives encoder": 6, "narratives graph": 6, "claims graph": 5}
