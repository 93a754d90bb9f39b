"""Live corpus: ingesting and analysing into the store while ``narrascope serve`` reads it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import httpx
import pytest

pytestmark = pytest.mark.slow


def pages(directory, n: int) -> None:
    directory.mkdir()
    for i in range(n):
        (directory / f"live-{i:03d}.jsonl").write_text(json.dumps({
            "source": f"https://live.example/{i}", "outlet": "live.example", "kind": "article",
            "title": f"Live report {i} zanzibarian", "published": f"2021-03-0{1 + i % 9}T10:00:00Z",
            "body": f"Report number {i} about the zanzibarian harbour strike. " * 5,
            "comments": [{"author": f"reader{i}", "text": f"Comment {i} on the strike.", "depth": 0}],
        }) + "\n", encoding="utf-8")


def test_ingest_while_serving(server, tmp_path):
    pages(tmp_path / "new", 150)  # three batches of 64 inputs: the writer lets readers in between them
    statuses: list[int] = []
    stop = threading.Event()

    def browse() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            while not stop.is_set():
                for path in ("/", "/api/documents?limit=5", "/api/overview", "/search?q=strike"):
                    statuses.append(c.get(path).status_code)

    readers = [threading.Thread(target=browse) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        time.sleep(0.5)
        command = [sys.executable, "-m", "narrascope", "analyze", str(tmp_path / "new"), "--db", server.db,
                   "-c", "toxicity", "--workers", "1"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=600)
        # a rerun over inputs that are all stored: looked up in chunks, the readers are not locked out
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert run.returncode == 0, run.stderr[-2000:]
    assert "cannot open" not in run.stderr
    assert rerun.returncode == 0 and "cannot open" not in rerun.stderr, rerun.stderr[-2000:]
    assert statuses and set(statuses) == {200}, f"{len(statuses)} requests: {sorted(set(statuses))}"
    with httpx.Client(base_url=server.url, timeout=30) as c:
        found = c.get("/api/documents", params={"outlet": "live.example", "limit": 1000}).json()["items"]
        assert len(found) == 150
        deadline, hits = time.monotonic() + 20, []
        while time.monotonic() < deadline and len(hits) < 20:
            hits = c.get("/api/search", params={"q": "zanzibarian", "limit": 20}).json()["items"]
            time.sleep(0.5)
        assert len(hits) == 20, "the full-text index caught up without a restart"
        thread = c.get(f"/api/documents/{found[0]['id']}/comments").json()
        assert thread["toxicity_ran"]


def hold(db: str, seconds: float, read_only: bool) -> subprocess.Popen:
    """Another process holding the store for ``seconds``; returns once it has the file."""
    code = (f"import duckdb, sys, time; c = duckdb.connect({db!r}, read_only={read_only}); "
            f"print('held', flush=True); time.sleep({seconds})")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout and proc.stdout.readline().strip() == "held"
    return proc


def test_writer_waits_for_a_reader_and_reader_for_a_writer(fresh_db):
    from pathlib import Path

    from narrascope.store import open_store
    from narrascope.web.reader import StoreBusy, StoreReader

    reader = hold(fresh_db, 1.0, True)
    started = time.monotonic()
    with open_store(fresh_db) as store:  # waits for the reading process instead of failing
        assert time.monotonic() - started > 0.5
        assert store.counts()["documents"] > 0
        store.release()  # lets others in until its next use
        mine = StoreReader(fresh_db)
        with mine.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM documents").fetchone()[0] > 0
        mine.close()
    reader.wait()
    assert not Path(f"{fresh_db}.write-request").exists()
    writer = hold(fresh_db, 2.0, False)
    try:
        with pytest.raises(StoreBusy):
            with StoreReader(fresh_db, wait=0.3).cursor():
                pass
        with StoreReader(fresh_db, wait=5).cursor() as cur:  # the writer lets go within the wait
            assert cur.execute("SELECT count(*) FROM documents").fetchone()[0] > 0
    finally:
        writer.wait()
