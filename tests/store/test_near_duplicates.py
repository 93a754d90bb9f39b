"""Near-duplicate bodies are found through the LSH band index kept in the DuckDB file."""

from __future__ import annotations

import random

from narrascope.dedup import NearDuplicates
from narrascope.model import Document
from narrascope.store.duckdb import DuckDBStore
from narrascope.store.schema import MIGRATIONS

WORDS = ("protest minsk square march police election observer opposition leader foreign agent state media "
         "channel broadcast claim western sponsor crowd detain activist release").split()


def body(n: int, changed: int = 0) -> str:
    """A 200-word text of its own for each ``n``; ``changed`` words swapped make a near copy."""
    rng = random.Random(n)
    words = [rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(200)]
    for i in range(changed):
        words[i * 20] = "edited"
    return " ".join(words)


def doc(text: str, source: str) -> Document:
    return Document(source=source, body=text, kind="article").assign_ids()


def test_copies_are_found_in_the_same_batch_and_across_sessions(tmp_path):
    path = str(tmp_path / "near.duckdb")
    store = DuckDBStore(path)
    originals = [doc(body(n), f"o{n}.html") for n in range(30)]
    same_batch = doc(body(3, changed=2), "copy3.html")
    store.write([*originals, same_batch])
    assert store.get(same_batch.id).duplicate_of == originals[3].id
    assert {d.id for d in originals if store.get(d.id).duplicate_of} == set()
    store.close()

    again = DuckDBStore(path)
    later = doc(body(17, changed=3), "copy17.html")
    unrelated = doc(body(1000), "new.html")
    again.write([later, unrelated])
    assert again.get(later.id).duplicate_of == originals[17].id
    assert again.get(unrelated.id).duplicate_of is None
    bands, _ = NearDuplicates().bands
    indexed = again.db.execute("SELECT count(DISTINCT document_id), count(*) FROM minhash_bands").fetchone()
    assert indexed == (31, 31 * bands)  # the 30 originals and the unrelated text; copies are not candidates
    again.close()


def test_every_copy_of_a_syndicated_text_points_at_the_original(tmp_path):
    store = DuckDBStore(str(tmp_path / "syndicated.duckdb"))
    original = doc(body(7), "o.html")
    store.write([original])
    copies = [doc(body(7, changed=1 + n % 4) + f" outlet{n}", f"copy{n}.html") for n in range(40)]
    for start in range(0, 40, 8):  # several batches, as an ingest writes them
        store.write(copies[start:start + 8])
    assert {store.get(c.id).duplicate_of for c in copies} == {original.id}
    assert store.db.execute("SELECT DISTINCT document_id FROM minhash_bands").fetchall() == [(original.id,)]
    store.close()


def test_signatures_stored_before_the_band_index_are_indexed_on_open(tmp_path):
    path = str(tmp_path / "old.duckdb")
    store = DuckDBStore(path)
    original = doc(body(5), "o.html")
    store.write([original, doc(body(5, changed=1), "first-copy.html")])
    store.db.execute("DROP TABLE minhash_bands")  # the file as schema version 4 left it
    store.db.execute("DELETE FROM schema_version WHERE version >= 5")
    store.close()

    migrated = DuckDBStore(path)
    assert migrated.schema_version == len(MIGRATIONS)
    copy = doc(body(5, changed=2), "copy.html")
    migrated.write([copy])
    assert migrated.get(copy.id).duplicate_of == original.id
    assert migrated.db.execute("SELECT DISTINCT document_id FROM minhash_bands").fetchall() == [(original.id,)]
    bands, _ = NearDuplicates().bands
    assert migrated.db.execute("SELECT count(*) FROM minhash_bands").fetchone() == (bands,)  # indexed once
    migrated.close()


def test_band_keys_are_stable_and_match_for_equal_bands():
    near = NearDuplicates()
    a, b = near.signature(body(8)), near.signature(body(8, changed=1))
    keys_a, keys_b = near.band_keys(a), near.band_keys(b)
    assert keys_a == near.band_keys(near.from_bytes(near.to_bytes(a)))
    assert len(set(keys_a) & set(keys_b)) >= 1 and keys_a != near.band_keys(near.signature(body(9)))
    assert near.similarity(a, b) >= 0.8 > near.similarity(a, near.signature(body(9)))


def _edited(n: int, start: int, size: int) -> str:
    """``body(n)`` with ``size`` words from ``start`` on replaced: a copy that shares the rest."""
    words = body(n).split()
    return " ".join(f"edited{i}" if start <= i < start + size else w for i, w in enumerate(words))


# texts whose two edited originals (words 0-39 and 120-159 replaced) are equally similar to the text
TIED = {103: 0.671875, 104: 0.703125, 157: 0.6875, 173: 0.609375, 176: 0.640625}


def test_a_copy_points_at_its_most_similar_original_and_the_threshold_is_inclusive(tmp_path):
    """Of the originals that pass the threshold, the most similar wins; a tie goes to the greatest id (in five
    texts, so that a choice by the order of a set would not pass by chance).

    The texts were chosen for their MinHash estimates (64 permutations, so multiples of 1/64): the
    originals of one text are below 0.5 of each other, so each stays an original.
    """
    store = DuckDBStore(str(tmp_path / "closest.duckdb"), near_duplicate_threshold=0.5)
    three = {n: [doc(_edited(n, start, size), f"{n}-{k}.html") for k, (start, size) in
                 enumerate([(0, 30), (75, 40), (150, 50)])] for n in (10, 12)}
    tied = {n: [doc(_edited(n, 0, 40), f"{n}-a.html"), doc(_edited(n, 120, 40), f"{n}-b.html")] for n in TIED}
    exactly = doc(_edited(101, 50, 58), "101-e.html")
    originals = [d for group in (*three.values(), *tied.values()) for d in group] + [exactly]
    store.write(originals)
    assert [store.get(d.id).duplicate_of for d in originals] == [None] * len(originals)
    copies = {n: doc(body(n), f"copy{n}.html") for n in (10, 12, *TIED, 101)}
    store.write(list(copies.values()))
    found = dict(store.db.execute("SELECT id, (duplicate_of, similarity) FROM documents WHERE source LIKE 'copy%'"
                                  ).fetchall())
    assert min(d.id for d in three[12]) == three[12][0].id  # so the greatest id is not the answer
    assert found == {
        copies[10].id: (three[10][0].id, 0.75),  # over 0.59375 and 0.65625
        copies[12].id: (three[12][0].id, 0.75),  # over 0.671875 and 0.578125, and the smallest of the three ids
        **{copies[n].id: (max(d.id for d in tied[n]), similarity) for n, similarity in TIED.items()},
        copies[101].id: (exactly.id, 0.5),
    }
    store.close()
