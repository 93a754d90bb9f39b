from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

from narrascope.debunks.index import DebunkIndex
from narrascope.debunks.io import Debunk
from narrascope.debunks.store import chain, import_debunks, load_index, match_claims, match_embeddings, retag
from narrascope.model import Annotation, Document
from narrascope.models.sentence import SentenceEncoder
from narrascope.narratives.model import NarrativeModel

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
    assert import_debunks(store, DEBUNKS, encoder).new == 4
    again = import_debunks(store, DEBUNKS[:2], encoder)  # same ids: nothing new
    assert (again.new, again.known) == (0, 2)
    queries = ["British spies faked the poisoning of Skripal.",
               "American army scientists made the Covid virus in a lab.",
               "My cat likes to sleep in the sun."]
    found = match_embeddings(store, encoder.encode(queries), k=2)
    assert found[0][0].url == "https://x/1" and found[0][0].above_threshold
    assert found[1][0].url == "https://x/3" and found[1][0].above_threshold
    assert not found[2][0].above_threshold
    assert found[0][0].score > found[0][1].score
    blob = store.db.execute("SELECT kind, size FROM vector_indexes WHERE name = 'debunks'").fetchone()
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


def _article_with_claims(store, body: str, claims: list[tuple[int, int]]) -> Document:
    """Debunks imported, and a stored article whose ``claims`` (character ranges) are claim annotations."""
    import_debunks(store, DEBUNKS, SentenceEncoder())
    doc = Document(source="t.txt", body=body, kind="article")
    doc.assign_ids()
    doc.annotations += [Annotation(doc.id, "document", s, e, "claims", "claim", 0.9, "claims", "1",
                                   {"text": body[s:e]}) for s, e in claims]
    return doc


def test_chain_technique_claim_debunk_narrative(store) -> None:
    encoder = SentenceEncoder()
    body = "Everyone knows it. NATO is placing nuclear rockets in Lithuania and Latvia to strike Russia."
    s = body.index("NATO")
    doc = _article_with_claims(store, body, [(s, len(body))])
    doc.annotations.append(
        Annotation(doc.id, "document", s + 5, s + 30, "techniques", "Appeal_to_fear-prejudice", 0.8, "techniques", "1"))
    store.write([doc])
    assert match_claims(store, encoder) == 1
    rows = chain(store)
    assert rows and {r["technique"] for r in rows} == {"Appeal_to_fear-prejudice"}
    assert {r["debunk_url"] for r in rows} == {"https://x/2"}
    assert "encircling-russia" in {r["narrative_id"] for r in rows}


def _tags(store) -> dict[str, set[str]]:
    rows = store.db.execute("SELECT debunk_id, narrative_id FROM debunk_narratives").fetchall()
    out: dict[str, set[str]] = {}
    for d, n in rows:
        out.setdefault(d, set()).add(n)
    return out


def test_debunk_without_narrative_tag_is_stored_and_indexed(store) -> None:
    untagged = Debunk("5G towers spread the coronavirus", "False", "https://fc.example/2")
    done = import_debunks(store, [untagged], SentenceEncoder())  # no tag rows: used to crash executemany
    assert done.new == 1 and untagged.id not in _tags(store)
    assert load_index(store).ids == [untagged.id]


def test_a_failing_import_leaves_nothing_half_written(store) -> None:
    store.db.execute("DROP TABLE vector_indexes")  # the tags' bookkeeping row cannot be written
    with pytest.raises(duckdb.Error):
        import_debunks(store, DEBUNKS, SentenceEncoder())
    assert store.db.execute("SELECT count(*) FROM debunks").fetchone()[0] == 0


def test_same_case_from_both_layouts_is_one_debunk(store) -> None:
    posts = Debunk("The Ukrainian revolution was organized by the Americans", url="https://e/1",
                   format="euvsdisinfo-posts")
    review = Debunk("the Ukrainian  revolution was organized by the Americans.", url="http://bit.ly/x",
                    format="euvsdisinfo-review")
    first = import_debunks(store, [posts, review], SentenceEncoder())
    assert (first.new, first.duplicates) == (1, 1)
    assert store.db.execute("SELECT format FROM debunks").fetchall() == [("euvsdisinfo-posts",)]
    assert import_debunks(store, [review], SentenceEncoder()).duplicates == 1


def test_tags_are_recomputed_when_the_taxonomy_changes(store, tmp_path: Path) -> None:
    encoder = SentenceEncoder()
    user = tmp_path / "narratives.yaml"
    user.write_text('version: "1"\nnarratives: []\n', encoding="utf-8")
    import_debunks(store, DEBUNKS, encoder, NarrativeModel(user, encoder=encoder))
    assert "staged-poisonings" not in _tags(store).get(DEBUNKS[0].id, set())
    user.write_text('version: "2"\nnarratives:\n  - id: staged-poisonings\n    name: Staged poisonings\n'
                    '    description: Poisonings of Kremlin critics were staged by the West\n'
                    '    keywords: [Sergei Skripal]\n', encoding="utf-8")
    done = import_debunks(store, DEBUNKS, encoder, NarrativeModel(user, encoder=encoder))  # nothing new, retagged
    assert (done.new, done.retagged) == (0, 4)
    assert "staged-poisonings" in _tags(store)[DEBUNKS[0].id]
    assert import_debunks(store, DEBUNKS, encoder, NarrativeModel(user, encoder=encoder)).retagged == 0
    user.write_text('version: "3"\nnarratives: []\n', encoding="utf-8")
    assert retag(store, NarrativeModel(user, encoder=encoder)) == 4
    assert "staged-poisonings" not in _tags(store).get(DEBUNKS[0].id, set())
    assert "encircling-russia" in _tags(store)[DEBUNKS[1].id]


def test_chain_is_ordered_by_claim_then_rank(store) -> None:
    encoder = SentenceEncoder()
    body = "NATO is placing nuclear rockets in Lithuania to strike Russia. British spies faked the Skripal attack."
    cut = body.index("British")
    store.write([_article_with_claims(store, body, [(cut, len(body)), (0, cut - 1)])])
    match_claims(store, encoder, k=3, threshold=-1.0)  # every rank counts
    rows = chain(store)
    keys = [(r["claim_start"], r["match_rank"]) for r in rows]
    assert keys == sorted(keys) and {k[1] for k in keys} == {1, 2, 3}
    assert rows[0]["debunk_url"] == "https://x/2"


@pytest.mark.slow
def test_the_index_switches_to_usearch_at_50000_debunks() -> None:
    from narrascope.debunks.index import EXACT_BELOW

    rng = np.random.default_rng(5)
    v = rng.normal(size=(EXACT_BELOW, 4)).astype(np.float32)  # 4 dimensions keep the graph quick to build
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    ids = [f"d{i:05d}" for i in range(EXACT_BELOW)]
    assert EXACT_BELOW == 50_000
    assert DebunkIndex(ids[:-1], v[:-1]).kind == "exact"
    big = DebunkIndex(ids, v)
    assert big.kind == "usearch"
    probe = [0, 12_345, 49_999]
    rows, sims = big.search(v[probe], 1)
    assert rows[:, 0].tolist() == probe and np.allclose(sims[:, 0], 1.0, atol=1e-4)
    again = DebunkIndex.from_bytes(big.to_bytes())
    assert again.kind == "usearch" and again.search(v[probe], 1)[0][:, 0].tolist() == probe
