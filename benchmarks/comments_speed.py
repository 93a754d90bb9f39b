"""Comments per second: the toxicity layer alone, and the whole comment pipeline, on 10,000 comments.

Each measurement runs in its own subprocess so that peak RSS belongs to it alone:

- ``toxicity``: load the shipped int8 model and label every comment (scores, spans, target);
- ``pipeline``: comments in 100-comment threads with replies and timestamps -> toxicity
  component -> DuckDB store -> reply-graph statistics -> coordination signals.

Comments are the SemEval toxic-spans and HateXplain posts when ../shared/data is present
(read at run time, cycled to the count), otherwise generated text.

    .venv/bin/python benchmarks/comments_speed.py --comments 10000 --threads 1
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "toxicity"


def load_comments(n: int) -> list[str]:
    texts: list[str] = []
    tsd = SHARED / "toxic_spans_civilcomments" / "tsd_train.csv"
    if tsd.exists():
        with open(tsd, encoding="utf-8", newline="") as fh:
            texts = [row["text"] for row in csv.DictReader(fh)]
        hx = SHARED / "hatexplain" / "dataset.json"
        if hx.exists():
            texts += [" ".join(p["post_tokens"]) for p in json.loads(hx.read_text()).values()]
    if not texts:
        rng = random.Random(0)
        words = "the council said people would lose their jobs because of this stupid corrupt plan idiots".split()
        texts = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 60))) for _ in range(2000)]
    random.Random(1).shuffle(texts)
    return [texts[i % len(texts)] for i in range(n)]


def run_toxicity(n: int, threads: int) -> dict:
    from narrascope.toxicity.inference import ToxicityModel

    comments = load_comments(n)
    started = time.perf_counter()
    model = ToxicityModel(threads=threads)
    results = model.predict(comments[:1])
    loaded = time.perf_counter()
    results = model.predict(comments)
    done = time.perf_counter()
    flagged = sum(r.label in ("hatespeech", "offensive") for r in results)
    return {"stage": "toxicity layer", "comments": n, "seconds": done - loaded, "load_seconds": loaded - started,
            "flagged": flagged}


def run_pipeline(n: int, threads: int) -> dict:
    from datetime import UTC, datetime, timedelta

    from narrascope.coordination import detect
    from narrascope.model import Comment, Document
    from narrascope.store import open_store
    from narrascope.threads.graph import thread_stats
    from narrascope.toxicity.component import ToxicityComponent

    comments = load_comments(n)
    rng = random.Random(2)
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    started = time.perf_counter()
    docs = []
    for d in range(0, n, 100):
        cs = []
        for i, text in enumerate(comments[d:d + 100]):
            parent = f"#{rng.randint(1, i)}" if i and rng.random() < 0.5 else None
            cs.append(Comment(text=text, author=f"user{rng.randint(0, 400)}", parent=parent, depth=1 if parent else 0,
                              posted=t0 + timedelta(minutes=d + 3 * i + rng.random())))
        docs.append(Document(source=f"thread{d}", kind="thread", title=f"thread {d}", comments=cs).assign_ids())
    component = ToxicityComponent(threads=threads)
    stages = {}
    mark = time.perf_counter()
    docs = list(component.pipe(docs))
    stages["toxicity"] = time.perf_counter() - mark
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "b.duckdb")) as store:
        mark = time.perf_counter()
        store.write(docs, ran=[(component.name, component.version)])
        stages["store"] = time.perf_counter() - mark
        mark = time.perf_counter()
        stats = thread_stats(store)
        stages["threads"] = time.perf_counter() - mark
        mark = time.perf_counter()
        signals = detect(store)
        stages["coordination"] = time.perf_counter() - mark
    return {"stage": "whole comment pipeline", "comments": n, "seconds": time.perf_counter() - started,
            "threads": len(stats), "signals": len(signals), "parts": {k: round(v, 2) for k, v in stages.items()}}


def child(stage: str, n: int, threads: int) -> None:
    result = run_toxicity(n, threads) if stage == "toxicity" else run_pipeline(n, threads)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=10000)
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime intra-op threads")
    parser.add_argument("--child", choices=["toxicity", "pipeline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.comments, args.threads)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"comments: {args.comments:,}, onnxruntime threads: {args.threads}")
    for col in ("measurement", "comments/s", "wall s", "peak RSS MB", "notes"):
        table.add_column(col)
    for stage in ("toxicity", "pipeline"):
        out = subprocess.run([sys.executable, __file__, "--child", stage, "--comments", str(args.comments),
                              "--threads", str(args.threads)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        notes = (f"model load {r['load_seconds']:.1f} s, {r['flagged']} flagged" if stage == "toxicity"
                 else ", ".join(f"{k} {v} s" for k, v in r["parts"].items()) + f"; {r['signals']} signals")
        table.add_row(r["stage"], f"{r['comments'] / r['seconds']:.0f}", f"{r['seconds']:.1f}",
                      f"{r['peak_rss_mb']:.0f}", notes)
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
