from __future__ import annotations

from pathlib import Path

import numpy as np

from narrascope.model import Comment, Document
from narrascope.narratives.heads import LinearHeads
from narrascope.pipeline.component import get_component

BODY = ("Unemployment fell by 3.2 percent in 2019 according to the ministry. I love sunny mornings.\n\n"
        "Hello there.")


def numbers_head(path: Path) -> Path:
    """A one-feature head: TF-IDF weight of digits-bearing words like 'percent' decides."""
    vocab = {"percent": 0, "2019": 1}
    heads = LinearHeads(["checkworthy"], np.concatenate([np.zeros(384), [6.0, 6.0]])[None].astype(np.float32),
                        np.array([-3.0], np.float32), np.array([0.5], np.float32), {"version": "test"}, vocab,
                        np.ones(2, np.float32), 1)
    heads.save(path)
    return path


def test_claims_component_annotates_sentences(tmp_path: Path) -> None:
    doc = Document(source="x", body=BODY, kind="article", comments=[Comment(text="Taxes rose 40 percent!"),
                                                                    Comment(text="   ")])
    doc.assign_ids()
    comp = get_component("claims", heads=str(numbers_head(tmp_path / "h.npz")))
    [out] = list(comp.pipe([doc]))
    claims = [a for a in out.annotations if a.layer == "claims"]
    assert [(a.target_type, out.body[a.start:a.end] if a.target_type == "document" else a.data["text"])
            for a in claims] == [("document", "Unemployment fell by 3.2 percent in 2019 according to the ministry."),
                                 ("comment", "Taxes rose 40 percent!")]
    assert [a.score >= 0.5 for a in claims] == [True, True]
    assert {(a.producer, a.producer_version) for a in claims} == {("claims", "test")}


def test_heads_roundtrip_with_tfidf(tmp_path: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["the war in the east", "east and west", "a war of words in the west"]
    vec = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)).fit(texts)
    heads = LinearHeads(["x"], np.zeros((1, 384 + len(vec.idf_)), np.float32), np.zeros(1, np.float32),
                        np.array([0.5], np.float32), {}, {t: int(i) for t, i in vec.vocabulary_.items()},
                        vec.idf_.astype(np.float32), 2)
    heads.save(tmp_path / "h.npz")
    loaded = LinearHeads.load(tmp_path / "h.npz")
    assert np.allclose(loaded.tfidf(texts), vec.transform(texts).toarray(), atol=1e-6)
