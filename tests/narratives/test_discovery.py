from __future__ import annotations

import numpy as np

from narrascope.narratives.discovery import Candidate, Discovery, ctfidf_keywords

TOPICS = {
    "grain": "Ukrainian grain exports feed rich European countries instead of hungry Africa",
    "vaccine": "The western vaccine makes people infertile and sick",
    "pipeline": "Divers from the navy secretly blew up the gas pipeline under the sea",
}


def batch(seed: int, per_topic: int, offset: int = 0) -> tuple[list[Candidate], np.ndarray]:
    """Sentences around three topic directions (unit vectors), plus noise points."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(0).normal(size=(len(TOPICS), 384))
    cands, vecs = [], []
    for k, (name, text) in enumerate(TOPICS.items()):
        for i in range(per_topic):
            cands.append(Candidate(f"doc-{name}-{offset + i}", 0, len(text), text, f"2024-0{k + 1}-1{i % 10}"))
            vecs.append(centres[k] + 0.15 * rng.normal(size=384))
    for i in range(4):
        cands.append(Candidate(f"noise-{offset + i}", 0, 5, "lorem", None))
        vecs.append(rng.normal(size=384) * 3)
    v = np.asarray(vecs, dtype=np.float32)
    return cands, v / np.linalg.norm(v, axis=1, keepdims=True)


def test_stable_across_reruns_and_input_order() -> None:
    cands, emb = batch(1, 12)
    first, assigned = Discovery(min_cluster_size=5).update([], cands, emb)
    perm = np.random.default_rng(9).permutation(len(cands))
    second, _ = Discovery(min_cluster_size=5).update([], [cands[i] for i in perm], emb[perm])
    assert len(first) == 3
    assert [c.id for c in first] == [c.id for c in second]
    assert [c.keywords for c in first] == [c.keywords for c in second]
    assert not any(k[0].startswith("noise") for k in assigned)
    grain = next(c for c in first if "grain" in c.keywords)
    assert grain.size == 12 and grain.first_seen == "2024-01-10" and grain.representatives


def test_incremental_batch_joins_existing_clusters() -> None:
    cands, emb = batch(1, 12)
    clusters, _ = Discovery(min_cluster_size=5).update([], cands, emb)
    ids = [c.id for c in clusters]
    more, more_emb = batch(2, 4, offset=100)
    updated, assigned = Discovery(min_cluster_size=5).update(clusters, more, more_emb)
    assert [c.id for c in updated] == ids  # nothing renumbered, nothing new
    assert sorted(c.size for c in updated) == [16, 16, 16]
    assert set(assigned.values()) == set(ids)


def test_ctfidf_prefers_distinctive_words() -> None:
    words = ctfidf_keywords(["gas pipeline sea gas navy said", "vaccine infertile vaccine said", "the and of"])
    assert words[0][0] == "gas" and words[1][0] == "vaccine" and "said" not in words[0][:2]
    assert words[2] == []
