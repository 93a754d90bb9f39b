from __future__ import annotations

import numpy as np

from narrascope.debunks.index import DebunkIndex
from narrascope.debunks.io import Debunk
from narrascope.debunks.store import chain, import_debunks, load_index, match_claims, match_embeddings
from narrascope.model import Annotation, Document
from narrascope.models.sentence import SentenceEncoder

DEBUNKS = [
    Debunk("The Skripal poisoning was staged by British intelligence", "No evidence", "https://x/1",
           "2018-04-01", ["Sergei Skripal"]),
    Debunk("NATO is deploying nuclear missiles in the Baltic states to attack Russia", "False", "https://x/2",
           "2019-01-01", ["NATO", "Encircling Russia"]),
    Debunk("The coronavirus was created in a US military laboratory", "False", "https://x/3", None, ["coronavirus"]),
    Debunk("Ukraine is selling its farmland to foreign corporations", "Misleading", "https://x/4", None, []),
]


def test_paraphrase_finds_its_debunk_and_index_persists(store) -> None:
    encoder = SentenceEncoder()
    assert import_debunks(store, DEBUNKS, encoder) == 4
    assert import_debunks(store, DEBUNKS[:2], encoder) == 0  # same ids: nothing new
    queries = ["British spies faked the poisoning of Skripal.",
               "American army scientists made the Covid virus in a lab.",
               "My cat likes to sleep in the sun."]
    found = match_embeddings(store, encoder.encode(queries), k=2)
    assert found[0][0].url == "https://x/1" and found[0][0].above_threshold
    assert found[1][0].url == "https://x/3" and found[1][0].above_threshold
    assert not found[2][0].above_threshold
    assert found[0][0].score > found[0][1].score
    blob = store.db.execute("SELECT kind, size FROM vector_indexes").fetchone()
    assert blob[1] == 4
    assert load_index(store).ids == sorted(d.id for d in DEBUNKS)
    tagged = dict(store.db.execute("SELECT debunk_id, list(narrative_id) FROM debunk_narratives "
                                   "GROUP BY debunk_id").fetchall())
    assert "encircling-russia" in tagged[DEBUNKS[1].id]


def test_exact_and_usearch_agree() -> None:
    rng = np.random.default_rng(3)
    v = rng.normal(size=(300, 384)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    q = v[:20] + 0.05 * rng.normal(size=(20, 384)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    ids = [f"d{i}" for i in range(300)]
    exact = DebunkIndex(ids, v, "exact").search(q, 3)
    approx = DebunkIndex.from_bytes(DebunkIndex(ids, v, "usearch").to_bytes()).search(q, 3)
    assert (exact[0][:, 0] == np.arange(20)).all() and (approx[0][:, 0] == exact[0][:, 0]).all()
    assert np.allclose(exact[1][:, 0], approx[1][:, 0], atol=1e-4)
    rows, sims = DebunkIndex(ids[:2], v[:2], "exact").search(q[:1], 5)
    assert list(rows[0, 2:]) == [-1, -1, -1]


def test_chain_technique_claim_debunk_narrative(store) -> None:
    encoder = SentenceEncoder()
    import_debunks(store, DEBUNKS, encoder)
    body = "Everyone knows it. NATO is placing nuclear rockets in Lithuania and Latvia to strike Russia."
    doc = Document(source="t.txt", body=body, kind="article")
    doc.assign_ids()
    s = body.index("NATO")
    doc.annotations += [
        Annotation(doc.id, "document", s, len(body), "claims", "claim", 0.9, "claims", "1",
                   {"text": body[s:]}),
        Annotation(doc.id, "document", s + 5, s + 30, "techniques", "Appeal_to_fear-prejudice", 0.8, "techniques", "1"),
    ]
    store.write([doc])
    assert match_claims(store, encoder) == 1
    rows = chain(store)
    assert rows and {r["technique"] for r in rows} == {"Appeal_to_fear-prejudice"}
    assert {r["debunk_url"] for r in rows} == {"https://x/2"}
    assert "encircling-russia" in {r["narrative_id"] for r in rows}
