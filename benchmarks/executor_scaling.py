"""The in-process and the Ray executor side by side, and how time per page scales.

    .venv/bin/python benchmarks/executor_scaling.py [--sizes 1000 10000 100000] [--components techniques]

Pages are generated the same way as in ingest_speed.py (the Zyte benchmark's HTML, varied;
every third page with a WordPress thread). Each run is its own process; Ray starts a local
one-node cluster with the machine's CPUs (its start-up is part of the wall time). Printed:
wall time, pages/s, ms/page (flat as the corpus grows means linear scaling), the Ray/local
time ratio, and peak RSS of the driver and of the largest worker.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ingest_speed import ROOT, make_pages  # noqa: E402

RUN = """
import json, resource, sys, time
from narrascope.corpus import Corpus
executor, pages, db, components = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
start = time.perf_counter()
with Corpus(db) as corpus:
    summary = corpus.analyze([pages], components=components, executor=executor,
                             executor_options={"workers": 2} if executor == "local" else {})
seconds = time.perf_counter() - start
assert summary.documents == summary.inputs and not summary.failures, summary
usage = resource.getrusage
print(seconds, usage(resource.RUSAGE_SELF).ru_maxrss, usage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def main() -> None:
    import json

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--components", nargs="*", default=[], help="analysis components to run (default: none)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            pages = Path(tmp) / "pages"
            pages.mkdir()
            make_pages(args.data, pages, size)
            times = {}
            for executor in ("local", "ray"):
                db = str(Path(tmp) / f"{executor}.db")
                out = subprocess.run([sys.executable, "-c", RUN, executor, str(pages), db, json.dumps(args.components)],
                                     capture_output=True, text=True)
                if out.returncode:
                    raise SystemExit(f"{executor} run failed:\n{out.stderr[-3000:]}")
                seconds, rss, child = (float(v) for v in out.stdout.split()[-3:])
                times[executor] = seconds
                rows.append((size, executor, seconds, rss / 1024, child / 1024, seconds / times["local"]))
            print(f"{size} pages done", file=sys.stderr)
    print(f"{'pages':>7} | {'executor':<8} | {'wall s':>8} | {'pages/s':>8} | {'ms/page':>8} | {'x local':>7} | "
          f"{'driver RSS MB':>13} | {'worker RSS MB':>13}")
    print("-" * 96)
    for size, executor, seconds, rss, child, ratio in rows:
        print(f"{size:>7} | {executor:<8} | {seconds:>8.1f} | {size / seconds:>8.1f} | {seconds / size * 1000:>8.2f} | "
              f"{ratio:>7.2f} | {rss:>13.0f} | {child:>13.0f}")


if __name__ == "__main__":
    main()
