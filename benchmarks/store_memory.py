"""Peak memory of the DuckDB store as the corpus grows: narrascope's settings against DuckDB's defaults.

    .venv/bin/python benchmarks/store_memory.py [--documents 40000] [--every 10000]

Three configurations: narrascope's (row groups of 2,048 rows, DuckDB's memory capped during each
batch), the same without the memory cap, and DuckDB's defaults for both (122,880-row groups,
80 % of RAM).

Writes synthetic documents (eight 60-word paragraphs, about 2.9 KB of body each) in batches of
64 through ``DuckDBStore``, closing the file after every batch as the executor does, so every
batch ends with a checkpoint. Each configuration runs in its own process; the table gives that
process's peak RSS after every ``--every`` documents and the seconds taken. No reading, no
components: only what the store keeps and what its checkpoints cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

RUN = """
import json, os, random, resource, sys, tempfile, time
from narrascope.model import Document
from narrascope.store.duckdb import DuckDBStore

total, every, group = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) or None
settings = {} if sys.argv[4] == "cap" else {"memory_limit": None}  # narrascope's cap, or none
rng = random.Random(0)
words = [f"w{i}" for i in range(5000)]
with tempfile.TemporaryDirectory() as tmp:
    store = DuckDBStore(os.path.join(tmp, "memory.duckdb"), row_group_size=group, **settings)
    start, rows = time.perf_counter(), []
    for batch in range(total // 64):
        docs = [Document(source=f"p{batch * 64 + i}.html", kind="article", title="t",
                         body="\\n\\n".join(" ".join(rng.choice(words) for _ in range(60)) for _ in range(8)))
                .assign_ids() for i in range(64)]
        store.write(docs, done=[d.source for d in docs])
        store.release()
        if (batch + 1) * 64 % every < 64:
            rows.append(((batch + 1) * 64, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                         time.perf_counter() - start))
    store.close()
print(json.dumps(rows))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=40000)
    parser.add_argument("--every", type=int, default=10000)
    args = parser.parse_args()
    runs = {}
    for name, group, cap in (("narrascope: 2,048-row groups, capped", 2048, "cap"),
                             ("2,048-row groups, uncapped", 2048, "none"), ("DuckDB defaults", 0, "none")):
        result = subprocess.run([sys.executable, "-c", RUN, str(args.documents), str(args.every), str(group), cap],
                                capture_output=True, text=True)
        if result.returncode:
            raise SystemExit(f"{name} failed:\n{result.stderr[-3000:]}")
        runs[name] = json.loads(result.stdout.splitlines()[-1])
    names = list(runs)
    print(f"{'documents':>9} | " + " | ".join(f"{n + ': peak MB, s':>38}" for n in names))
    print("-" * (12 + 41 * len(names)))
    for i, (count, _, _) in enumerate(runs[names[0]]):
        cells = [f"{runs[n][i][1]:>30.0f} {runs[n][i][2]:>7.0f}" for n in names]
        print(f"{count:>9} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
