"""Web app response times on a generated corpus: 8 concurrent clients on loopback, and the report.

    .venv/bin/python benchmarks/webapp_speed.py [--documents 100000] [--comments 1000000] [--clients 8]

The store is generated with SQL straight into the schema (documents, comments, reply edges,
technique spans, narratives, toxicity labels, runs), the full-text side file is built, then
``narrascope serve`` runs in its own process and each client requests the overview, a random
document view, a search, and the documents and threads tables (a random sort column and order, one
of their first 20 pages, a third of them filtered by outlet), round-robin. Prints p50/p95/max per
page and the report write time.
Last, the thread page of one thread of ``--thread-comments`` comments (each with a toxicity label),
in-process: its size in bytes, how many ``<form`` it holds, and its median time over 10 requests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

WORDS = ("minsk square protest sanctions harbour strike officials ministry border troops election opposition "
         "leader economy fuel prices households suppliers nato bases baltic kremlin interference foreign west "
         "colour revolution encirclement pipeline gas winter refugees police crowd banner statement spokesman "
         "parliament vote law court journalist newspaper television channel broadcast rumour agent provocateur "
         "conspiracy puppet regime sovereignty security alliance drill exercise missile tank convoy checkpoint").split()
OUTLETS = 60
RARE = 250  # a word and a number (minsk17): 22,500 rarer words beside the 90 common ones
TECHNIQUES = ["Loaded_Language", "Name_Calling,Labeling", "Doubt", "Exaggeration,Minimisation",
              "Appeal_to_fear-prejudice", "Flag-Waving", "Repetition", "Slogans"]
NARRATIVES = ["colour-revolution", "hostile-west", "encircling-russia", "sanctions-backfire", "russophobia", "puppets"]


def generate(db: str, documents: int, comments: int) -> float:
    """Fill a migrated store with ``documents`` documents and ``comments`` comments; return seconds."""
    from narrascope.store import open_store

    started = time.perf_counter()
    open_store(db).close()  # schema
    import duckdb

    con = duckdb.connect(db)
    words = "[" + ",".join(f"'{w}'" for w in WORDS) + "]"
    n = len(WORDS)
    per_doc = max(1, comments // documents)
    con.execute(f"""
        INSERT INTO documents SELECT printf('d%016x', i), printf('https://outlet%d.example/%d', i % {OUTLETS}, i),
            printf('outlet%d.example', i % {OUTLETS}), CASE WHEN i % 10 = 0 THEN 'thread' ELSE 'article' END,
            printf('Report %d on the %s %s', i, {words}[1 + (i * 7) % {n}], {words}[1 + (i * 13) % {n}]),
            printf('Author %d', i % 500), NULL, TIMESTAMP '2019-01-01' + INTERVAL (i % 1460) DAY,
            CASE WHEN i % 7 = 0 THEN 'de' ELSE 'en' END,
            array_to_string(list_transform(range(160), lambda x: CASE WHEN x % 4 = 3
                THEN printf('%s%d', {words}[1 + (i * x) % {n}], (i * 7 + x * x) % {RARE})
                ELSE {words}[1 + ((i * 31 + x * x * 17 + x) % {n})] END), ' '),
            NULL, NULL, TIMESTAMP '2026-01-01' + INTERVAL (i) MILLISECOND
        FROM range({documents}) t(i)""")
    con.execute(f"""
        INSERT INTO comments SELECT printf('d%016x-c%d', i // {per_doc}, i % {per_doc} + 1),
            printf('d%016x', i // {per_doc}), i % {per_doc} + 1, i % {per_doc} + 1, printf('user%d', i % 20000), NULL,
            TIMESTAMP '2019-01-01' + INTERVAL (i // {per_doc} % 1460) DAY + INTERVAL (i % {per_doc}) MINUTE,
            CASE WHEN i % {per_doc} = 0 THEN 0 ELSE 1 END,
            CASE WHEN i % {per_doc} = 0 THEN NULL ELSE printf('d%016x-c1', i // {per_doc}) END,
            array_to_string(list_transform(range(25), lambda x: {words}[1 + ((i * 11 + x * 29) % {n})]), ' '), 'en'
        FROM range({documents * per_doc}) t(i)""")
    con.execute("INSERT INTO edges SELECT id, parent_id, 'reply' FROM comments WHERE parent_id IS NOT NULL")
    techniques = "[" + ",".join(f"'{t}'" for t in TECHNIQUES) + "]"
    narratives = "[" + ",".join(f"'{t}'" for t in NARRATIVES) + "]"
    con.execute(f"""
        INSERT INTO annotations SELECT printf('t%d', i), printf('d%016x', i // 3), 'document', (i % 3) * 200,
            (i % 3) * 200 + 60, 'techniques', {techniques}[1 + i % {len(TECHNIQUES)}], 0.5 + (i % 50) / 100,
            'techniques', 'bench', NULL FROM range({documents * 3}) t(i)""")
    con.execute(f"""
        INSERT INTO annotations SELECT printf('n%d', i), printf('d%016x', i), 'document', 0, 120, 'narratives',
            {narratives}[1 + i % {len(NARRATIVES)}], 0.7, 'narratives', 'bench', '{{"level": "sentence"}}'
        FROM range({documents}) t(i)""")
    con.execute("""
        INSERT INTO annotations SELECT 'x' || id, id, 'comment', 0, length(text),
            'toxicity', CASE WHEN hash(id) % 10 = 0 THEN 'offensive' ELSE 'normal' END, 0.9, 'toxicity', 'bench', NULL
        FROM comments""")
    for component in ("techniques", "narratives", "toxicity"):
        con.execute(f"INSERT INTO runs SELECT id, '{component}', 'bench' FROM documents")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def query(rng: random.Random) -> str:
    """Half the searches one rarer word (a name, a place), half a common and a rarer word."""
    rare = f"{rng.choice(WORDS)}{rng.randrange(RARE)}"
    return rare if rng.random() < 0.5 else f"{rng.choice(WORDS)}+{rare}"


def table_path(rng: random.Random, table: str) -> str:
    """The documents or threads table sorted by a random column, one of its first 20 pages, sometimes filtered."""
    from narrascope.web.tables import TABLES

    column = rng.choice(TABLES[table]).key
    path = f"/{table}?sort={column}&order={rng.choice(['asc', 'desc'])}&offset={50 * rng.randrange(20)}"
    return path + (f"&outlet=outlet{rng.randrange(OUTLETS)}.example" if rng.random() < 0.3 else "")


def client(url: str, doc_ids: list[str], rounds: int, seed: int, times: dict[str, list[float]]) -> None:
    import httpx

    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as c:
        for _ in range(rounds):
            for page, path in (("overview", "/"), ("document", f"/documents/{rng.choice(doc_ids)}"),
                               ("search", f"/search?q={query(rng)}"), ("documents", table_path(rng, "documents")),
                               ("threads", table_path(rng, "threads"))):
                t = time.perf_counter()
                r = c.get(path)
                took = time.perf_counter() - t
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {r.status_code}")
                times[page].append(took)


def thread_page(comments: int) -> tuple[int, int, float]:
    """Bytes, ``<form`` count and median ms of the page of one thread of ``comments`` labelled comments."""
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "thread.duckdb")
        generate(db, 1, comments)
        with TestClient(create_app(db, index_every=0)) as c:
            times, html = [], ""
            for _ in range(11):
                t = time.perf_counter()
                r = c.get("/threads/d0000000000000000")
                times.append(time.perf_counter() - t)
                if r.status_code != 200:
                    raise RuntimeError(f"thread page: HTTP {r.status_code}")
                html = r.text
    return len(html.encode()), html.count("<form"), statistics.median(times[1:]) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=25, help="Rounds of the three pages per client.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--thread-comments", type=int, default=500, help="Comments in the one-thread page case.")
    args = parser.parse_args()
    import duckdb

    from narrascope.web.reader import StoreReader
    from narrascope.web.report import write_report
    from narrascope.web.sidefile import SideFile

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        print(f"generating {args.documents:,} documents, {args.comments:,} comments ...", flush=True)
        print(f"store generated in {generate(db, args.documents, args.comments):.1f} s", flush=True)
        t = time.perf_counter()
        reader = StoreReader(db)
        SideFile(db, reader).sync()
        reader.close()
        print(f"full-text side file built in {time.perf_counter() - t:.1f} s", flush=True)
        con = duckdb.connect(db, read_only=True)
        doc_ids = [r[0] for r in con.execute("SELECT id FROM documents USING SAMPLE 2000 ROWS").fetchall()]
        con.close()
        server = subprocess.Popen([sys.executable, "-m", "narrascope", "serve", "--db", db, "--port", str(args.port)])
        try:
            url = f"http://127.0.0.1:{args.port}"
            import httpx

            for _ in range(300):
                try:
                    httpx.get(url + "/api/documents?limit=1", timeout=30)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            t = time.perf_counter()
            httpx.get(url + "/", timeout=120)
            cold = time.perf_counter() - t  # the overview's aggregates, computed once per version of the store
            t = time.perf_counter()
            httpx.get(url + "/documents", timeout=120)
            cold_tables = time.perf_counter() - t  # the tables' measures, computed once per version of the store
            pages = ("overview", "document", "search", "documents", "threads")
            client(url, doc_ids, 2, 0, {p: [] for p in pages})  # warm-up
            times: dict[str, list[float]] = {p: [] for p in pages}
            threads = [threading.Thread(target=client, args=(url, doc_ids, args.rounds, i + 1, times))
                       for i in range(args.clients)]
            started = time.perf_counter()
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(30)
        t = time.perf_counter()
        write_report(db, str(Path(tmp) / "report.html"))
        report = time.perf_counter() - t
    print(f"\n{args.clients} concurrent clients, {sum(len(v) for v in times.values())} requests in {wall:.1f} s "
          f"({args.documents:,} documents, {args.comments:,} comments)")
    print(f"{'page':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for page, values in times.items():
        ms = sorted(v * 1000 for v in values)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        print(f"{page:<10} {len(ms):>8} {statistics.median(ms):>8.0f} {p95:>8.0f} {ms[-1]:>8.0f}")
    print(f"overview computed afresh (first request, or after the store changed): {cold * 1000:.0f} ms")
    print(f"documents/threads measures computed afresh (first table request after that): {cold_tables * 1000:.0f} ms")
    print(f"report written in {report:.1f} s")
    size, forms, ms = thread_page(args.thread_comments)
    print(f"thread page of {args.thread_comments} labelled comments: {size:,} bytes, {forms} forms, p50 {ms:.0f} ms")


if __name__ == "__main__":
    main()
