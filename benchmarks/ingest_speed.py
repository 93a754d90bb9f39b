"""Ingest speed and memory: narrascope against bare trafilatura on the same pages.

    .venv/bin/python benchmarks/ingest_speed.py [--sizes 1000 10000] [--data ../shared/data/extraction]
    .venv/bin/python benchmarks/ingest_speed.py --trace 40000 [--every 2000]

Pages are the Zyte benchmark's HTML (../shared/data/extraction) varied so that every page is
new: each gets a unique paragraph, and every third one a WordPress comment thread (from the
demo corpus) with unique comments, so the thread parser is exercised. Each measurement runs
in its own process; peak RSS is the largest resident size of any one process (the main
process or a worker). Printed: pages/s, ms/page, the ratio to trafilatura's time per page,
and peak RSS.

``--trace N`` ingests N pages with 2 processes in one run and prints, for every ``--every`` pages,
the main process's peak RSS in that stretch (sampled every 2 ms) and its peak so far: whether the
peak of a long ingest grows with the pages stored. (The workers only read pages; their memory
does not depend on the corpus.)
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO_PAGE = ROOT / "src" / "narrascope" / "demo" / "corpus" / "minsk-square.html"

TRAFILATURA = """
import gzip, resource, sys, time
from pathlib import Path
import trafilatura
files = sorted(Path(sys.argv[1]).glob("*.html.gz"))
start = time.perf_counter()
for f in files:
    html = gzip.decompress(f.read_bytes()).decode("utf-8", "replace")
    trafilatura.extract(html)
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

NARRASCOPE = """
import resource, sys, time
from narrascope.corpus import Corpus
start = time.perf_counter()
with Corpus(sys.argv[2]) as corpus:
    summary = corpus.ingest([sys.argv[1]], executor_options={"workers": int(sys.argv[3])})
seconds = time.perf_counter() - start
assert summary.documents == summary.inputs and not summary.failures, summary
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(seconds, rss)
"""

TRACE = """
import os, sys, threading, time
from narrascope.corpus import Corpus
every, page = int(sys.argv[3]), os.sysconf("SC_PAGE_SIZE")
state = {"done": 0, "peak": 0, "stop": False}
def sample():
    while not state["stop"]:
        with open("/proc/self/statm") as f:
            state["peak"] = max(state["peak"], int(f.read().split()[1]) * page)
        time.sleep(0.002)
def progress(n):
    before, state["done"] = state["done"], state["done"] + n
    if state["done"] // every > before // every:
        print(state["done"], state["peak"], flush=True)
        state["peak"] = 0
threading.Thread(target=sample, daemon=True).start()
with Corpus(sys.argv[2]) as corpus:
    corpus.ingest([sys.argv[1]], executor_options={"workers": 2}, progress=progress)
state["stop"] = True
print("close", state["peak"], flush=True)
"""


def trace(data: Path, count: int, every: int) -> None:
    """Main-process peak RSS for every ``every`` pages of one ``count``-page ingest (2 processes)."""
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        make_pages(data, pages, count)
        result = subprocess.run([sys.executable, "-c", TRACE, str(pages), str(Path(tmp) / "trace.duckdb"),
                                 str(every)], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"trace failed:\n{result.stderr[-3000:]}")
    print(f"{'pages':>7} | {'peak RSS MB in this stretch':>27} | {'peak RSS MB so far':>18}")
    print("-" * 60)
    so_far = 0.0
    for line in result.stdout.split("\n"):
        if line.strip():
            done, peak = line.split()  # "close": the file closed at the end
            so_far = max(so_far, int(peak) / 2**20)
            print(f"{done:>7} | {int(peak) / 2**20:>27.0f} | {so_far:>18.0f}")


def make_pages(source: Path, out: Path, count: int) -> None:
    """Write ``count`` varied pages from the benchmark HTML into ``out``."""
    bases = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace")
             for p in sorted((source / "html").glob("*.html.gz"))]
    thread = re.search(r'<ol class="comment-list">.*?</ol>\s*</section>', DEMO_PAGE.read_text(), re.S).group(0)
    for n in range(count):
        page = bases[n % len(bases)]
        extra = f"<p>Benchmark note {n}: a paragraph only page {n} carries, to keep every page new.</p>"
        if n % 3 == 0:
            extra += "<section id='comments'>" + thread.replace("</p></div>", f" (page {n})</p></div>") + "</section>"
        page = page.replace("</body>", extra + "</body>", 1) if "</body>" in page else page + extra
        (out / f"page{n:06d}.html.gz").write_bytes(gzip.compress(page.encode(), compresslevel=1))


def measure(code: str, *args: str) -> tuple[float, float]:
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"measurement failed:\n{result.stderr[-3000:]}")
    seconds, rss_kb = result.stdout.split()[-2:]
    return float(seconds), float(rss_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--trace", type=int, metavar="N", help="one N-page ingest: peak RSS every --every pages")
    parser.add_argument("--every", type=int, default=2000)
    args = parser.parse_args()
    if args.trace:
        return trace(args.data, args.trace, args.every)
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            pages = Path(tmp) / "pages"
            pages.mkdir()
            make_pages(args.data, pages, size)
            base, base_rss = measure(TRAFILATURA, str(pages))
            rows.append((size, "trafilatura.extract (1 process)", base, base_rss, 1.0))
            for workers in (1, 2):
                db = str(Path(tmp) / f"bench{workers}.duckdb")
                seconds, rss = measure(NARRASCOPE, str(pages), db, str(workers))
                rows.append((size, f"narrascope ingest, {workers} process{'es' if workers > 1 else ''}",
                             seconds, rss, seconds / base))
            print(f"[{time.strftime('%H:%M:%S')}] {size} pages done", file=sys.stderr)
    print(f"{'pages':>7} | {'run':<36} | {'pages/s':>8} | {'ms/page':>8} | {'x trafilatura':>13} | {'peak RSS MB':>11}")
    print("-" * 100)
    for size, name, seconds, rss, ratio in rows:
        print(f"{size:>7} | {name:<36} | {size / seconds:>8.1f} | {seconds / size * 1000:>8.2f} | "
              f"{ratio:>13.2f} | {rss:>11.0f}")
    if args.json:
        args.json.write_text(json.dumps([dict(zip(("pages", "run", "seconds", "rss_mb", "ratio"), r, strict=True))
                                         for r in rows], indent=1))


if __name__ == "__main__":
    main()
