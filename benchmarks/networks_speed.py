"""Coordination networks at scale: time, peak RSS and the planted groups recovered.

    .venv/bin/python benchmarks/networks_speed.py [--sizes 100000 1000000] [--groups 20] [--executor local]

For each size, a generated corpus (:mod:`narrascope.coordination.generated`: Zipf authors, daily
rhythm, most comments in a post's first hours, replies, stock phrases, links) with ``--groups``
planted groups (4-10 accounts posting light edits of their messages, or their link, within three
minutes in 8-20 threads) is written to a DuckDB store with SQL; then each network kind runs in a
fresh process at default settings (``--window auto``, ``--min-weight 3``): read from the store,
build the network, find the clusters. The table gives each run's wall time and the process's peak
RSS, and for co-text and co-link together the clusters of three or more authors, scored against
the planted groups by account (precision: flagged accounts that were planted; recall: planted
accounts flagged). A background-only corpus of the largest size (no groups) follows: clusters of
three or more at default settings, and the share of threads with a ``burst`` signal.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# the process's own peak RSS in MB: VmHWM starts again at exec (ru_maxrss would count the parent's memory)
PEAK = """
def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
"""

RUN = PEAK + """
import json, sys, time
from narrascope.coordination.clusters import find_clusters
from narrascope.coordination.load import store_network
from narrascope.store import open_store

db, kind, executor = sys.argv[1], sys.argv[2], sys.argv[3]
start = time.perf_counter()
with open_store(db, read_only=True) as store:
    network = store_network(store, kind, executor=executor)
clusters = find_clusters(network)
print(json.dumps({"seconds": time.perf_counter() - start, "window": network.window, "edges": len(network.edges),
                  "clusters": [c.members for c in clusters if len(c.members) >= 3],
                  "rss": peak()}))
"""

BURSTS = PEAK + """
import json, sys
from narrascope.coordination import load_comments
from narrascope.coordination.signals import bursts
from narrascope.store import open_store

with open_store(sys.argv[1], read_only=True) as store:
    comments = load_comments(store)
found = bursts(comments)
threads = len({c.document_id for c in comments})
print(json.dumps({"threads": threads, "with_burst": len({s.document_ids[0] for s in found}),
                  "rss": peak()}))
"""


def write_store(corpus, path: str) -> None:  # type: ignore[no-untyped-def]
    """The generated comments as a narrascope store, written with SQL (a reader would take hours)."""
    import duckdb
    import numpy as np
    import pyarrow as pa

    from narrascope.store import open_store

    with open_store(path):
        pass  # the schema
    ids = np.array([f"c{i}" for i in range(len(corpus))], dtype=object)
    docs = np.array([f"d{t}" for t in corpus.thread], dtype=object)
    has_parent = corpus.parent >= 0
    comments = pa.table({
        "id": ids, "document_id": docs, "position": np.arange(len(corpus), dtype=np.int32),
        "author": corpus.author, "posted": pa.array((corpus.time * 1e6).astype("int64"), pa.timestamp("us")),
        "depth": has_parent.astype(np.int32), "parent_id": np.where(has_parent, ids[np.maximum(corpus.parent, 0)],
                                                                    None),
        "text": corpus.text})
    threads = pa.table({"id": [f"d{t}" for t in sorted(set(corpus.thread.tolist()))]})
    db = duckdb.connect(path)
    db.register("generated", comments)
    db.register("threads", threads)
    db.execute("INSERT INTO documents (id, source, kind, title, body) SELECT id, id, 'thread', id, '' FROM threads")
    db.execute("INSERT INTO comments (id, document_id, position, author, posted, depth, parent_id, text) "
               "SELECT id, document_id, position, author, posted, depth, parent_id, text FROM generated")
    db.execute("INSERT INTO edges SELECT id, parent_id, 'reply' FROM generated WHERE parent_id IS NOT NULL")
    db.close()


def run(code: str, *args: str) -> tuple[dict, float]:
    """Run ``code`` in a fresh process; its JSON answer and its peak RSS in MB (measured by itself)."""
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{args} failed:\n{result.stderr[-3000:]}")
    answer = json.loads(result.stdout.splitlines()[-1])
    return answer, answer["rss"]


def score(found: list[list[str]], groups: list[list[str]]) -> tuple[float, float, int]:
    """Account precision and recall of ``found`` clusters, and the planted groups found exactly."""
    planted = {a for g in groups for a in g}
    flagged = {a for c in found for a in c}
    precision = len(flagged & planted) / len(flagged) if flagged else 1.0
    recall = len(flagged & planted) / len(planted) if planted else 1.0
    exact = sum(1 for g in groups if sorted(g) in [sorted(c) for c in found])
    return precision, recall, exact


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--executor", default="local")
    parser.add_argument("--kinds", nargs="+", default=["co-text", "co-link", "co-reply"])
    parser.add_argument("--dir", default=None, help="Where the generated stores go (default: a temporary folder).")
    args = parser.parse_args()
    from narrascope.coordination.generated import generate

    print(f"load average at start: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print("| comments | corpus | kind | window s | edges | seconds | peak RSS MB | clusters >= 3 | precision | "
          "recall | groups found exactly |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        runs = [(n, args.groups, "planted") for n in args.sizes] + [(max(args.sizes), 0, "background only")]
        seconds: dict[tuple[str, int], float] = {}
        for size, groups, label in runs:
            corpus = generate(size, groups=groups, seed=size + groups)
            path = str(Path(tmp, f"{size}-{groups}.duckdb"))
            write_store(corpus, path)
            found_all = []
            for kind in args.kinds:
                started = time.perf_counter()
                result, rss = run(RUN, path, kind, args.executor)
                clusters = result["clusters"]
                if groups:
                    seconds[kind, size] = result["seconds"]
                if kind in ("co-text", "co-link"):
                    found_all += clusters
                print(f"| {len(corpus):,} | {label} | {kind} | {result['window']:g} | {result['edges']:,} | "
                      f"{result['seconds']:.1f} ({time.perf_counter() - started:.1f} with start-up) | {rss:,.0f} | "
                      f"{len(clusters)} | | | |", flush=True)
            p, r, exact = score(found_all, corpus.groups)
            print(f"| {len(corpus):,} | {label} | co-text + co-link | | | | | {len(found_all)} | {p:.3f} | {r:.3f} | "
                  f"{exact} of {len(corpus.groups)} |", flush=True)
            if not groups:
                result, rss = run(BURSTS, path)
                print(f"| {len(corpus):,} | {label} | burst signals | | | | {rss:,.0f} | "
                      f"{result['with_burst']} of {result['threads']:,} threads "
                      f"({result['with_burst'] / result['threads']:.1%}) | | | |", flush=True)
            os.unlink(path)
    small, large = min(args.sizes), max(args.sizes)
    if large > small:
        predicted = large * math.log(large) / (small * math.log(small))
        for kind in args.kinds:
            print(f"{kind}: {large:,} comments took {seconds[kind, large] / seconds[kind, small]:.1f} times as long "
                  f"as {small:,} (n log n predicts {predicted:.1f}, n {large / small:.1f})")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
