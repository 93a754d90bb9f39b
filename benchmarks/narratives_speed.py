"""Narratives + claims speed: sentences/s on N sentences, time to match N claims against N debunks, peak RSS.

Sentences are synthetic (templated from a small vocabulary, 8-30 words), so no data is needed.
The shared encoder pass embeds each sentence once (few-shot similarity, linear heads); the
shipped fine-tuned taggers (narratives blended with its heads, check-worthiness) run their own
pass, and the alternative, heads only on the shared pass, is timed beside them. Matching
compares the usearch index (built and persisted as a BLOB) against exact numpy search over the
same vectors.

    .venv/bin/python benchmarks/narratives_speed.py --sentences 10000 --threads 1
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

WORDS = ("nato russia west ukraine border troops elections protests soros government minister said percent "
         "million economy sanctions gas pipeline europe union migrants war peace report vaccine laboratory "
         "secret elites opposition leader puppet coup revolution history soviet army village city people").split()


def sentences(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        words = rng.choice(WORDS, size=int(rng.integers(8, 31)))
        out.append(" ".join(words).capitalize() + ".")
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sentences", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    from narrascope.claims.model import CheckworthyModel
    from narrascope.debunks.index import DebunkIndex
    from narrascope.models.sentence import SentenceEncoder
    from narrascope.narratives.model import NarrativeModel

    n = args.sentences
    texts = sentences(n)
    encoder = SentenceEncoder(threads=args.threads)
    narratives = NarrativeModel(encoder=encoder, taxonomy="/nonexistent-user-taxonomy.yaml", threads=args.threads)
    narratives_heads = NarrativeModel(encoder=encoder, taxonomy="/nonexistent-user-taxonomy.yaml", finetuned=False)
    claims = CheckworthyModel(encoder=encoder, threads=args.threads)  # shipped: the fine-tuned tagger if present
    claims_head = CheckworthyModel(encoder=encoder, finetuned=False)  # the alternative: head on the shared pass
    narratives.score_embeddings(encoder.encode(texts[:8]), texts[:8])  # load models and example embeddings
    narratives_heads.score_embeddings(encoder.encode(texts[:8]), texts[:8])
    claims.score_embeddings(encoder.encode(texts[:8]), texts[:8])
    claims_head.score_embeddings(encoder.encode(texts[:8]), texts[:8])

    t0 = time.perf_counter()
    emb = encoder.encode(texts)
    t_enc = time.perf_counter() - t0
    t1 = time.perf_counter()
    narratives.score_embeddings(emb, texts)
    t_narr = time.perf_counter() - t1
    t2 = time.perf_counter()
    claims.score_embeddings(emb, texts)
    t_claims = time.perf_counter() - t2
    total = time.perf_counter() - t0
    t6 = time.perf_counter()
    claims_head.score_embeddings(emb, texts)
    t_head = time.perf_counter() - t6
    t7 = time.perf_counter()
    narratives_heads.score_embeddings(emb, texts)
    t_narr_heads = time.perf_counter() - t7

    debunk_emb = encoder.encode(sentences(n, seed=1))
    ids = [f"d{i}" for i in range(n)]
    t3 = time.perf_counter()
    index = DebunkIndex(ids, debunk_emb, "usearch")
    blob = index.to_bytes()
    t_build = time.perf_counter() - t3
    t4 = time.perf_counter()
    rows_u, _ = DebunkIndex.from_bytes(blob).search(emb, 3)
    t_usearch = time.perf_counter() - t4
    t5 = time.perf_counter()
    rows_e, _ = DebunkIndex(ids, debunk_emb, "exact").search(emb, 3)
    t_exact = time.perf_counter() - t5
    recall = float((rows_u[:, 0] == rows_e[:, 0]).mean())

    print(f"| step | {n:,} items | per second |")
    print("|---|---|---|")
    print(f"| encode sentences (int8 MiniLM, {args.threads} thread) | {t_enc:.1f} s | {n / t_enc:,.0f} |")
    print(f"| narratives, shipped ({narratives.version}) + few-shot | {t_narr:.2f} s | {n / t_narr:,.0f} |")
    print(f"| check-worthiness, shipped ({claims.version}) | {t_claims:.2f} s | {n / t_claims:,.0f} |")
    print(f"| **narratives + claims, end to end** | {total:.1f} s | **{n / total:,.0f} sentences/s** |")
    print(f"| (alternative: check-worthiness head on the shared embeddings, {claims_head.version}) | "
          f"{t_head:.2f} s | {n / t_head:,.0f} |")
    print(f"| (alternative: narrative heads on the shared embeddings, {narratives_heads.version}) | "
          f"{t_narr_heads:.2f} s | {n / t_narr_heads:,.0f} |")
    alt = t_enc + t_narr_heads + t_head
    print(f"| (alternative: narratives + claims on the shared pass only, end to end) | {alt:.1f} s | "
          f"{n / alt:,.0f} sentences/s |")
    print(f"| build usearch index over {n:,} debunks (+ serialise, {len(blob) / 2**20:.1f} MB) | {t_build:.2f} s | |")
    print(f"| match {n:,} claims, usearch (restore + top-3) | {t_usearch:.2f} s | {n / t_usearch:,.0f} |")
    print(f"| match {n:,} claims, exact numpy top-3 | {t_exact:.2f} s | {n / t_exact:,.0f} |")
    print(f"| usearch top-1 agreement with exact | {recall:.3f} | |")
    print(f"| peak RSS | {peak_rss_mb():.0f} MB | |")


if __name__ == "__main__":
    main()
