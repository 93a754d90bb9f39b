"""End to end: ``narrascope analyze`` with all four layers, main as of 27cda4f against the current tree.

Runs ``narrascope analyze CORPUS --db TMP.duckdb -c techniques -c toxicity -c narratives -c claims``
in a fresh process for each tree, on two corpora, one tree right after the other:

- ``extraction``: the 121 shared extraction pages (``$NARRASCOPE_SHARED/data/extraction/html``,
  default ``../shared``), left out when absent;
- ``comments``: comment-heavy pages built at run time in a temporary folder from the bundled demo
  corpus (phpBB pages and Reddit JSON threads, 40 comments each, their sentences drawn from the
  demo's comments and articles with places, numbers and openings varied).

For each run: wall time of the process (start-up, model loads, ingest, the four layers, the
store), pages/s and comments/s, the peak RSS of the analyze process (``os.wait4``'s ``ru_maxrss``),
and the size of the tree's shipped weights (``*.onnx``, ``*.npz``, ``*.bin`` under
``src/narrascope``). A second table counts what each run stored (documents, comments, annotations
per layer and target, documents each component ran on), so that a tree that skips a layer shows.
Both trees run with the same interpreter, the same ``--workers`` and the same OMP/MKL/OpenBLAS
thread settings; the baseline with ``PYTHONPATH=BASELINE/src``, the candidate with ``PATH/src``.

    git worktree add --detach ../base-27cda4f 27cda4f
    .venv/bin/python benchmarks/layers_speed.py --baseline ../base-27cda4f
"""

from __future__ import annotations

import argparse
import html
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NARRASCOPE_SHARED", ROOT.parent / "shared"))
PAGES = SHARED / "data" / "extraction" / "html"
DEMO = ROOT / "src" / "narrascope" / "demo" / "corpus"
LAYERS = ("techniques", "toxicity", "narratives", "claims")
WEIGHTS = (".onnx", ".npz", ".bin")
THREAD_ENV = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")

PLACES = ("Minsk", "Grodno", "Brest", "Vitebsk", "Gomel", "Mogilev", "Vilnius", "Riga", "Kyiv", "Warsaw")
OPENINGS = ("", "", "", "Honestly, ", "As I said before, ", "Read the thread again. ", "Sources please. ",
            "Look, ", "Exactly. ", "Nonsense. ")


@dataclass
class Run:
    """One ``analyze`` process: what it cost and what it stored."""

    corpus: str
    tree: str
    pages: int
    seconds: float
    peak_rss_mb: float
    weights_mb: float
    rows: dict[str, int] = field(default_factory=dict)
    returncode: int = 0


def extraction_corpus(out: Path, pages: Path = PAGES, limit: int | None = None) -> int:
    """Copy the first ``limit`` shared extraction pages (sorted by name) into ``out``; returns how many."""
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in pages.iterdir() if p.name.endswith((".html", ".html.gz")))[:limit]
    for p in files:
        shutil.copyfile(p, out / p.name)
    return len(files)


def demo_sentences(demo: Path) -> list[str]:
    """Sentences of the demo corpus's comments and articles: the material the thread pages vary."""
    texts = [html.unescape(re.sub(r"<blockquote>.*?</blockquote>|<[^>]+>", "", m))
             for m in re.findall(r'<div class="content">(.*?)</div>\n', (demo / "forum-thread.html").read_text())]
    texts += _fields(json.loads((demo / "reddit-thread.json").read_text()), ("body", "selftext"))
    texts += [json.loads(line)["body"] for line in (demo / "reactions.jsonl").read_text().splitlines() if line]
    texts += [line for line in (demo / "encirclement.txt").read_text().splitlines() if "|" not in line]
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.?!])\s+", t)
                 if len(s.split()) >= 5 and s[-1] in ".?!"]
    if not sentences:
        raise ValueError(f"{demo}: no sentences found in the demo corpus to build comment threads from")
    return sentences


def _fields(value: object, names: tuple[str, ...]) -> list[str]:
    if isinstance(value, list):
        return [t for v in value for t in _fields(v, names)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in ([v] if k in names and isinstance(v, str) else _fields(v, names))]
    return []


def _comment(rng: random.Random, sentences: list[str]) -> str:
    text = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
    text = re.sub(r"\b(" + "|".join(PLACES) + r")\b", lambda _: rng.choice(PLACES), text)
    text = re.sub(r"\b\d+\b", lambda _: str(rng.randint(2, 300)), text)
    opening = rng.choice(OPENINGS)
    return opening + (text[0].lower() + text[1:] if opening.endswith(", ") else text)


def _phpbb(page: int, posts: list[tuple[str, str]], title: str, rng: random.Random) -> str:
    """A phpBB topic page like the demo's forum-thread.html; some posts quote an earlier one (a reply edge)."""
    out = [f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)} - Politics Board</title>'
           f'</head>\n<body>\n<div id="wrap">\n<h2 class="topic-title"><a href="./viewtopic.php?t={page}">'
           f'{html.escape(title)}</a></h2>']
    for i, (author, text) in enumerate(posts):
        quote = ""
        if i and rng.random() < 0.3:
            quoted, earlier = posts[rng.randrange(i)]
            quote = (f"<blockquote><div><cite>{html.escape(quoted)} wrote:</cite>"
                     f"{html.escape(re.split(r'(?<=[.?!]) ', earlier)[0])}</div></blockquote>")
        out.append(f'<div id="p{page}{i:04d}" class="post has-profile bg{1 + i % 2}">\n<div class="inner">'
                   f'<div class="postbody">\n<p class="author"><span>by <strong><a class="username" '
                   f'href="./memberlist.php?u={zlib.crc32(author.encode()) % 9000}">{html.escape(author)}</a>'
                   f'</strong> &raquo; Tue Oct {10 + i // 600}, 2020 {1 + i % 600 // 60}:{i % 60:02d} pm</span></p>\n'
                   f'<div class="content">{quote}{html.escape(text)}</div>\n</div></div></div>')
    return "\n".join(out) + "\n</div>\n</body></html>\n"


def _reddit(page: int, posts: list[tuple[str, str]], title: str, rng: random.Random) -> str:
    t0 = 1603800000 + page * 86400
    op = {"kind": "t3", "data": {"id": f"p{page}", "name": f"t3_p{page}", "subreddit": "geopolitics", "title": title,
                                 "author": posts[0][0], "created_utc": t0, "selftext": posts[0][1],
                                 "url": f"https://www.reddit.com/r/geopolitics/comments/p{page}/"}}
    nodes: list[dict] = []
    roots: list[dict] = []
    for i, (author, text) in enumerate(posts[1:]):
        parent = nodes[rng.randrange(len(nodes))] if nodes and rng.random() < 0.6 else None
        node = {"kind": "t1", "data": {"id": f"c{page}x{i}", "name": f"t1_c{page}x{i}",
                                       "parent_id": parent["data"]["name"] if parent else f"t3_p{page}",
                                       "author": author, "created_utc": t0 + 60 * (i + 1),
                                       "depth": parent["data"]["depth"] + 1 if parent else 0, "body": text,
                                       "replies": ""}}
        if parent:
            replies = parent["data"]["replies"] or {"kind": "Listing", "data": {"children": []}}
            replies["data"]["children"].append(node)
            parent["data"]["replies"] = replies
        else:
            roots.append(node)
        nodes.append(node)
    return json.dumps([{"kind": "Listing", "data": {"children": [op]}},
                       {"kind": "Listing", "data": {"children": roots}}])


def thread_corpus(out: Path, demo: Path, pages: int = 8, comments: int = 40, seed: int = 0) -> int:
    """Write ``pages`` thread pages (phpBB HTML and Reddit JSON in turn) of ``comments`` comments each.

    Every post of a phpBB page is a comment (the page has no article); a Reddit thread's opening
    post is its document and has ``comments`` comments below it. Returns the number of comments
    written (``pages * comments``); the same seed writes the same files.
    """
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sentences = demo_sentences(demo)
    authors = [f"{name}{n}" for name in ("north_wind", "Gennady_M", "baltic_analyst", "realist", "steppe_reader",
                                         "ana_k", "Brest_local") for n in range(12)]
    for page in range(pages):
        title = f"{rng.choice(sentences)[:60]} ({rng.choice(PLACES)}, thread {page})"
        if page % 2:
            posts = [(rng.choice(authors), _comment(rng, sentences)) for _ in range(comments + 1)]
            (out / f"reddit-{page:03d}.json").write_text(_reddit(page, posts, title, rng), encoding="utf-8")
        else:
            posts = [(rng.choice(authors), _comment(rng, sentences)) for _ in range(comments)]
            (out / f"forum-{page:03d}.html").write_text(_phpbb(page, posts, title, rng), encoding="utf-8")
    return pages * comments


def weights_mb(tree: Path) -> float:
    """Megabytes of shipped weights: ``*.onnx``, ``*.npz`` and ``*.bin`` under ``src/narrascope``."""
    src = tree / "src" / "narrascope"
    return sum(p.stat().st_size for p in src.rglob("*") if p.suffix in WEIGHTS and p.is_file()) / 1e6


def analyze(tree: Path, corpus: Path, db: Path, threads: int, log: Path) -> tuple[float, float, int]:
    """Run ``narrascope analyze`` of ``tree`` in a fresh process: (seconds, peak RSS MB, exit status)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), **{k: str(threads) for k in THREAD_ENV}}
    cmd = [sys.executable, "-m", "narrascope", "analyze", str(corpus), "--db", str(db), "--workers", str(threads)]
    cmd += [arg for layer in LAYERS for arg in ("-c", layer)]
    with open(log, "w") as fh:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=tree)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode


def stored_rows(db: Path) -> dict[str, int]:
    """What a run stored: documents, comments, failures, annotations by layer and target, runs by component."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # type: ignore[index]
                for name in ("documents", "comments", "failures")}
        for layer, target, n in con.execute("SELECT layer, target_type, count(*) FROM annotations "
                                            "GROUP BY ALL ORDER BY ALL").fetchall():
            rows[f"annotations {layer} on {target}s"] = n
        for component, n in con.execute("SELECT component, count(DISTINCT document_id) FROM runs "
                                         "GROUP BY ALL ORDER BY ALL").fetchall():
            rows[f"documents {component} ran on"] = n
    return rows


def speed_table(runs: list[Run]) -> str:
    """The timings, one row per corpus and tree, then each corpus's speed-up candidate / baseline."""
    lines = ["| corpus | tree | pages | comments | seconds | pages/s | comments/s | peak RSS MB | weights MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        comments = r.rows.get("comments", 0)
        lines.append(f"| {r.corpus} | {r.tree} | {r.pages} | {comments} | {r.seconds:.1f} | {r.pages / r.seconds:.2f} "
                     f"| {comments / r.seconds:.1f} | {r.peak_rss_mb:.0f} | {r.weights_mb:.1f} |")
    for corpus in dict.fromkeys(r.corpus for r in runs):
        base = [r for r in runs if r.corpus == corpus and r.tree == "baseline"]
        cand = [r for r in runs if r.corpus == corpus and r.tree == "candidate"]
        if base and cand:
            lines.append(f"\n{corpus}: speed-up candidate / baseline {base[0].seconds / cand[0].seconds:.2f}x")
    return "\n".join(lines)


def rows_table(runs: list[Run]) -> str:
    """What each run stored, one row per count, one column per corpus and tree."""
    columns = [f"{r.corpus} {r.tree}" for r in runs]
    keys = list(dict.fromkeys(k for r in runs for k in r.rows))
    lines = ["| stored | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {k} | " + " | ".join(str(r.rows.get(k, 0)) for r in runs) + " |" for k in keys]
    return "\n".join(lines)


def measure(trees: dict[str, Path], corpora: dict[str, tuple[Path, int]], work: Path, threads: int,
            repeat: int) -> list[Run]:
    """Each corpus with each tree, ``repeat`` times in turn; the fastest run of each is kept, with the highest peak."""
    runs = []
    for corpus, (folder, pages) in corpora.items():
        best: dict[str, Run] = {}
        for attempt in range(repeat):
            for tree, path in trees.items():
                db = work / f"{corpus}-{tree}-{attempt}.duckdb"
                seconds, rss, rc = analyze(path, folder, db, threads, db.with_suffix(".log"))
                if rc not in (0, 1):  # 1: some inputs failed, counted in the table's failures row
                    tail = db.with_suffix(".log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{tree} ({path}) exited {rc} on {corpus}:\n{tail}")
                run = Run(corpus, tree, pages, seconds, rss, weights_mb(path), stored_rows(db), rc)
                print(f"{corpus} {tree} run {attempt + 1}: {seconds:.1f} s, peak {rss:.0f} MB", file=sys.stderr)
                kept = best.get(tree)
                if kept is None or run.seconds < kept.seconds:
                    run.peak_rss_mb = max(run.peak_rss_mb, kept.peak_rss_mb if kept else 0.0)
                    best[tree] = run
                else:
                    kept.peak_rss_mb = max(kept.peak_rss_mb, run.peak_rss_mb)
        runs += [best[t] for t in trees]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", type=Path, help="Tree of the baseline (a worktree of 27cda4f); omitted: "
                                                      "the candidate alone.")
    parser.add_argument("--candidate", type=Path, default=ROOT, help="Tree of the new code (default: this one).")
    parser.add_argument("--pages", type=Path, default=PAGES, help="Folder of the extraction pages.")
    parser.add_argument("--limit", type=int, default=None, help="First N pages of each corpus (quick checks).")
    parser.add_argument("--threads", type=int, default=2, help="analyze --workers, and OMP/MKL/OpenBLAS threads.")
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each tree on each corpus; the fastest kept.")
    parser.add_argument("--thread-pages", type=int, default=8, help="Pages of the comment-heavy corpus.")
    parser.add_argument("--comments", type=int, default=40, help="Comments on each of those pages.")
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve()} if args.baseline else {}
    trees["candidate"] = args.candidate.resolve()
    for path in trees.values():
        if not (path / "src" / "narrascope").is_dir():
            raise SystemExit(f"{path}: not a narrascope tree (no src/narrascope)")
    with tempfile.TemporaryDirectory(prefix="layers-speed-") as tmp:
        work = Path(tmp)
        corpora: dict[str, tuple[Path, int]] = {}
        if args.pages.is_dir():
            pages = extraction_corpus(work / "extraction", args.pages, args.limit)
            corpora["extraction"] = (work / "extraction", pages)
        else:
            print(f"{args.pages}: not found, the extraction corpus is left out", file=sys.stderr)
        pages = min(args.thread_pages, args.limit or args.thread_pages)
        thread_corpus(work / "comments", DEMO, pages, args.comments)
        corpora["comments"] = (work / "comments", pages)
        load = os.getloadavg()[0]
        runs = measure(trees, corpora, work, args.threads, args.repeat)
    print(f"narrascope analyze -c {' -c '.join(LAYERS)}, --workers {args.threads}, "
          f"{'/'.join(THREAD_ENV)}={args.threads}, fastest of {args.repeat}; {sys.executable}; "
          f"1-minute load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print(speed_table(runs))
    print()
    print(rows_table(runs))


if __name__ == "__main__":
    main()
