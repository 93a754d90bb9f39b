"""A run killed with SIGKILL and started again ends with no duplicates and no losses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb  # noqa: I001
import pytest

ROWS = 4  # documents per input file


def _counts(db: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs, distinct = con.execute("SELECT count(*), count(DISTINCT id) FROM documents").fetchone()
        inputs = con.execute("SELECT count(*) FROM inputs").fetchone()[0]
    finally:
        con.close()
    assert docs == distinct
    return docs, inputs, distinct


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux /proc), e.g. its reading workers."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _ingest(pages: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "narrascope", "ingest", str(pages), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_sigkill_then_rerun_completes_without_duplicates_or_losses(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    total = 3000
    for n in range(total):
        words = " ".join(f"w{(n * 7 + k) % 997}" for k in range(60))
        rows = [{"title": f"Report {n}.{k}", "body": f"Report {n}.{k}: {words}"} for k in range(ROWS)]
        (pages / f"page{n:05d}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    db = tmp_path / "killed.duckdb"
    proc = _ingest(pages, db)
    wal = db.with_name(db.name + ".wal")
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:  # wait until batches are being committed
        time.sleep(0.2)
        if wal.exists() and wal.stat().st_size > 200_000:
            break
    assert proc.poll() is None, "the run finished before it could be killed; make the corpus larger"
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert workers, "the run had no reading workers to check"
    deadline = time.time() + 10
    while time.time() < deadline and any(map(_alive, workers)):
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "reading workers outlived the killed run"
    partial = _counts(db)[0]
    assert 0 < partial < total * ROWS
    rerun = _ingest(pages, db)
    assert rerun.wait(timeout=600) == 0
    docs, inputs, _ = _counts(db)
    assert (docs, inputs) == (total * ROWS, total)
