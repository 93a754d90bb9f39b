"""A store built by the real pipeline (demo corpus + pages carrying script payloads) and a live server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from narrascope.demo import CORPUS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("NARRASCOPE_ARTIFACTS", ROOT / "artifacts" / "web"))  # git-ignored
XSS = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
JSLINK = "javascript:window.__pwned=3"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def hostile_page() -> dict:
    """A page whose title, author, body, links and comments all carry script payloads."""
    body = (f"Officials said {XSS} the protests were staged. Critics answered {IMG} at once. "
            f"Read more at {JSLINK} and <a href=\"{JSLINK}\">here</a>. The West is behind the colour revolution.")
    return {"source": "https://hostile.example/post", "outlet": "hostile.example", "kind": "article",
            "title": f"Hostile {XSS} title {IMG}", "author": f"Mallory {IMG}", "published": "2020-11-03T10:00:00Z",
            "body": body,
            "items": [{"title": f"item {XSS}", "text": "teaser", "url": JSLINK}],
            "comments": [
                {"author": f"troll {XSS}", "text": f"You are all idiots {IMG} and scum.", "depth": 0},
                {"author": "<b>bold</b>", "text": f"Reply with a link {JSLINK} {XSS}", "depth": 1},
            ]}


def write_inputs(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "hostile.jsonl"
    path.write_text(json.dumps(hostile_page()) + "\n", encoding="utf-8")
    return path


def add_technique_spans(db: str) -> None:
    """The techniques model is not shipped in every checkout: store spans as its component would."""
    import duckdb

    con = duckdb.connect(db)
    docs = con.execute("SELECT id, body FROM documents WHERE length(body) > 80 ORDER BY id").fetchall()
    labels = ["Loaded_Language", "Name_Calling,Labeling", "Doubt"]
    for n, (doc_id, body) in enumerate(docs):
        for k, (start, end) in enumerate([(0, 20), (10, 40), (50, 80)]):
            con.execute("INSERT INTO annotations VALUES (?, ?, 'document', ?, ?, 'techniques', ?, ?, 'techniques', "
                        "'test', NULL)", [f"t{n}x{k}", doc_id, start, min(end, len(body)), labels[k], 0.6 + k / 10])
        con.execute("INSERT INTO runs SELECT ?, 'techniques', 'test' WHERE NOT EXISTS (SELECT 1 FROM runs "
                    "WHERE document_id = ? AND component = 'techniques')", [doc_id, doc_id])
    # the hostile comment is flagged whatever the toxicity model thinks of it
    con.execute("DELETE FROM annotations WHERE target_id IN (SELECT id FROM comments WHERE author LIKE 'troll%') "
                "AND layer = 'toxicity'")
    for cid, in con.execute("SELECT id FROM comments WHERE author LIKE 'troll%'").fetchall():
        con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', 0, 10, 'toxicity', 'offensive', 0.97, "
                    "'toxicity', 'test', NULL)", [f"tox-{cid}", cid])
        con.execute("INSERT INTO annotations VALUES (?, ?, 'comment', 0, 18, 'narratives', 'hostile-west', 0.9, "
                    "'narratives', 'test', NULL)", [f"narr-{cid}", cid])
    # a matched debunk whose text and link are hostile too
    claim = con.execute("SELECT a.id FROM annotations a JOIN documents d ON d.id = a.target_id "
                        "WHERE a.layer = 'claims' AND d.outlet = 'hostile.example' LIMIT 1").fetchone()
    if claim:
        con.execute("INSERT INTO debunks (id, claim, review, url, source, format) VALUES "
                    "('db1', ?, 'False.', ?, 'test', 'test')", [f"Debunked {XSS}", JSLINK])
        con.execute("INSERT INTO claim_matches VALUES (?, 'db1', 0.91, 1, TRUE, 0.8)", [claim[0]])
    con.close()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo corpus and the hostile page, analysed (toxicity, narratives, claims), plus technique spans."""
    from narrascope.corpus import Corpus

    base = tmp_path_factory.mktemp("web")
    db = str(base / "corpus.duckdb")
    inputs = write_inputs(base / "inputs")
    with Corpus(db) as corpus:
        corpus.analyze([str(CORPUS), str(inputs)], components=["toxicity", "narratives", "claims"])
    add_technique_spans(db)
    return db


@pytest.fixture()
def fresh_db(corpus_db: str, tmp_path: Path) -> str:
    """A private copy of the analysed store (tests that write corrections or ingest)."""
    import shutil

    db = tmp_path / "corpus.duckdb"
    shutil.copy(corpus_db, db)
    return str(db)


@pytest.fixture()
def client(fresh_db: str):
    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    app = create_app(fresh_db, index_every=0)
    with TestClient(app) as c:
        app.state.narrascope.side.sync()
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``narrascope serve`` in its own process on a free loopback port."""

    def __init__(self, db: str, token: str | None = None) -> None:
        self.db, self.port = db, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "narrascope", "serve", "--db", db, "--port", str(self.port)]
        self.proc = subprocess.Popen(cmd + (["--token", token] if token else []), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    output = self.proc.stdout.read() if self.proc.stdout else ''
                    raise RuntimeError(f"server exited: {output}") from None
                time.sleep(0.1)
        raise RuntimeError("server did not start within 30 s")

    def stop(self) -> str:
        self.proc.terminate()
        try:
            out, _ = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return out or ""


@pytest.fixture()
def server(fresh_db: str):
    srv = Server(fresh_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the [server] extra brings playwright")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, request: pytest.FixtureRequest):
    """A fresh page; alerts and any script-set flag fail the test; a screenshot is saved after it."""
    context = browser.new_context()
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{request.node.name}.png"
    try:
        pg.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
    finally:
        context.close()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Five seed-like pages (tests/web/seed.py): the densest article has few comments, the sparsest many."""
    from tests.web import seed

    base = tmp_path_factory.mktemp("seed")
    db = str(base / "seed.duckdb")
    seed.build(db, base / "inputs")
    return db


def copy_client(db: str, directory: Path):
    """A TestClient of the app over a copy of ``db`` in ``directory``, its search index caught up."""
    import shutil

    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    copy = directory / Path(db).name
    shutil.copy(db, copy)
    app = create_app(str(copy), index_every=0)
    with TestClient(app) as c:
        app.state.narrascope.side.sync()
        yield c


@pytest.fixture()
def seed_client(seed_db: str, tmp_path: Path):
    yield from copy_client(seed_db, tmp_path)


@pytest.fixture()
def seed_server(seed_db: str, tmp_path: Path):
    import shutil

    db = tmp_path / "seed.duckdb"
    shutil.copy(seed_db, db)
    srv = Server(str(db))
    yield srv
    srv.stop()
