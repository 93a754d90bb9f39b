"""``narrascope networks`` over a real store: the four kinds, the four formats, clusters, bad input."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import networkx as nx
import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.coordination import detect, stored_signals
from narrascope.model import Comment, Document
from narrascope.store import open_store

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)
SLOGAN = "Vote no on the harbour deal, the council sold our port to foreign investors behind our backs"
runner = CliRunner()


def _corpus(db):
    """Four threads; in each, sock0-sock2 answer the first comment with the slogan and a link within a minute."""
    docs = []
    for t in range(4):
        start = T0 + timedelta(days=t)
        comments = [Comment(text=f"Thread {t} opens with an ordinary question about the ferry times", author="host",
                            posted=start)]
        comments += [Comment(text=f"{SLOGAN} https://www.harbour-news.example/deal/?utm_source=s{k}",
                             author=f"sock{k}", posted=start + timedelta(minutes=30, seconds=20 * k), parent="#1",
                             depth=1) for k in range(3)]
        comments += [Comment(text=f"I take the ferry every day, number {t}{k} of my many trips this year",
                             author=f"local{k}", posted=start + timedelta(hours=3 + k)) for k in range(2)]
        docs.append(Document(source=f"p{t}", kind="thread", title=f"T{t}", comments=comments).assign_ids())
    with open_store(str(db)) as store:
        store.write(docs)
    return docs


def _run(*args):
    result = runner.invoke(app, ["networks", *args], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result


def test_co_text_co_link_and_co_reply_join_the_three_accounts(tmp_path):
    db = tmp_path / "n.duckdb"
    docs = _corpus(db)
    for kind in ("co-text", "co-link", "co-reply"):
        result = _run("--db", str(db), "--kind", kind, "--window", "60")
        edges = [json.loads(x) for x in result.stdout.splitlines()]
        assert [(e["kind"], e["source"], e["target"], e["weight"]) for e in edges] == [
            (kind, "sock0", "sock1", 4.0), (kind, "sock0", "sock2", 4.0), (kind, "sock1", "sock2", 4.0)], kind
        assert list(edges[0]) == ["kind", "source", "target", "weight", "co_actions", "first", "last", "evidence"]
        assert edges[0]["first"] == "2024-05-01T12:30:00Z" and edges[0]["last"] == "2024-05-04T12:30:20Z"
        assert edges[0]["evidence"][0]["ids"] == [docs[0].comments[1].id, docs[0].comments[2].id]
        assert "window: 60 s (given)" in result.stderr
    link = json.loads(_run("--db", str(db), "--kind", "co-link").stdout.splitlines()[0])
    assert link["evidence"][0]["shared"] == "harbour-news.example/deal"
    reply = json.loads(_run("--db", str(db), "--kind", "co-reply", "--window", "60").stdout.splitlines()[0])
    assert reply["evidence"][0]["shared"].startswith("reply to host: Thread 0 opens")
    auto = _run("--db", str(db), "--kind", "co-text")
    assert "narrascope: window auto: 20 s" in auto.stderr and len(auto.stdout.splitlines()) == 2  # sock0-sock2: 40 s


def test_co_forward_joins_accounts_forwarding_the_same_original(tmp_path):
    db = tmp_path / "f.duckdb"
    _corpus(db)
    empty = _run("--db", str(db), "--kind", "co-forward")
    assert empty.stdout == "" and "records no forwards" in empty.stderr
    posts = []  # three channels forward the same four posts of one channel within a minute; a fourth once
    for day in range(4):
        original = (T0 + timedelta(days=day)).isoformat().replace("+00:00", "Z")
        for k, channel in enumerate(["Relay A", "Relay B", "Relay C"] + (["Honest D"] if day == 0 else [])):
            meta = {"platform": "telegram", "forwarded_from": "Harbour Truth", "forwarded_from_id": "channel42",
                    "forwarded_date": original, "message_id": 100 + day}
            posts.append(Document(source=f"{channel}/{day}", kind="article", author=channel, body=f"post {day} {k}",
                                  published=T0 + timedelta(days=day, minutes=5, seconds=15 * k), meta=meta,
                                  title=f"{channel} {day}").assign_ids())
    posts.append(Document(source="own", kind="article", author="Relay A", body="own words", published=T0,
                          meta={"platform": "telegram", "views": 3}).assign_ids())
    with open_store(str(db)) as store:
        store.write(posts)
    result = _run("--db", str(db), "--kind", "co-forward", "--window", "60")
    edges = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(e["source"], e["target"], e["co_actions"]) for e in edges] == [
        ("Relay A", "Relay B", 4), ("Relay A", "Relay C", 4), ("Relay B", "Relay C", 4)]
    assert edges[0]["evidence"][0]["shared"] == "forwarded from Harbour Truth of 2024-05-01T12:00:00Z"
    assert edges[0]["evidence"][0]["ids"] == [posts[0].id, posts[1].id]
    assert "records no forwards" not in result.stderr


def test_flagged_text_is_hidden_unless_asked_for(tmp_path):
    from narrascope.model import Annotation

    db = tmp_path / "t.duckdb"
    docs = _corpus(db)
    flagged = docs[0].comments[1]  # sock0's first copy
    with open_store(str(db)) as store:
        store.add_annotations([Annotation(flagged.id, "comment", 0, 10, "toxicity", "offensive", 0.9, "toxicity", "1")])
    hidden = [json.loads(x) for x in _run("--db", str(db), "--kind", "co-text", "--window", "60").stdout.splitlines()]
    items = [item for e in hidden for item in e["evidence"]]
    marker = "[offensive — hidden, --show-flagged to show]"
    assert [item["ids"] for item in items if item["shared"] == marker] == [
        [flagged.id, docs[0].comments[2].id], [flagged.id, docs[0].comments[3].id]]
    others = [item["shared"] for item in items if flagged.id not in item["ids"]]
    assert len(others) == 10 and all(text.startswith(SLOGAN) for text in others)
    revealed = _run("--db", str(db), "--kind", "co-text", "--window", "60", "--show-flagged").stdout
    assert "hidden" not in revealed
    table = _run("--db", str(db), "--kind", "co-text", "--window", "60", "--clusters").stdout
    assert "[offensive — hidden, --show-flagged to show] (2)" in table


def test_gexf_and_graphml_open_with_weights_and_node_attributes(tmp_path):
    db = tmp_path / "g.duckdb"
    _corpus(db)
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        out = tmp_path / f"net.{fmt}"
        result = _run("--db", str(db), "--kind", "co-link", "--window", "60", "--format", fmt, "--out", str(out))
        assert result.stdout == ""
        graph = read(out)
        assert sorted(graph.nodes) == ["sock0", "sock1", "sock2"]
        assert graph.edges["sock0", "sock1"]["weight"] == 4.0 and int(graph.edges["sock0", "sock1"]["co_actions"]) == 4
        node = graph.nodes["sock0"]
        assert int(node["actions"]) == 4 and int(node["posts"]) == 4
        assert node["first"] == "2024-05-01T12:30:00Z" and node["last"] == "2024-05-04T12:30:00Z"
        assert json.loads(graph.edges["sock1", "sock2"]["evidence"])[0]["shared"] == "harbour-news.example/deal"
    rows = _run("--db", str(db), "--kind", "co-link", "--window", "60", "--format", "csv").stdout.splitlines()
    assert rows[0] == "kind,source,target,weight,co_actions,first,last,evidence" and len(rows) == 4
    assert rows[1].startswith("co-link,sock0,sock1,4.0,4,2024-05-01T12:30:00Z,2024-05-04T12:30:20Z,")


def test_hostile_names_make_valid_xml(tmp_path):
    from narrascope.coordination.formats import write_network
    from narrascope.coordination.network import Edge, Network, Node

    evil = "evil\x1b[31m<b>&\x00"
    network = Network("co-text", 60, "", [Node(evil, 1, 1, "x", "y"), Node("b", 1, 1, "x", "y")],
                      [Edge("co-text", evil, "b", 3.0, 3, "x", "y", [{"shared": "</node>\x07"}])])
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        stream = io.StringIO()
        write_network(network, fmt, stream)
        path = tmp_path / f"evil.{fmt}"
        path.write_text(stream.getvalue())
        graph = read(path)
        assert sorted(graph.nodes) == ["b", "evil\\x1b[31m<b>&\\x00"]


def test_clusters_are_printed_and_stored_beside_the_threads_signals(tmp_path):
    db = tmp_path / "c.duckdb"
    _corpus(db)
    with open_store(str(db)) as store:
        found = detect(store)
    threads_signals = {s.id for s in found if s.kind != "network_cluster"}
    assert sorted(s.evidence["network"] for s in found if s.kind == "network_cluster") == [
        "co-link", "co-reply", "co-text"]  # threads stores every network's clusters too
    result = _run("--db", str(db), "--kind", "co-link", "--window", "60", "--clusters")
    assert "sock0, sock1, sock2" in result.stdout and "harbour-news.example/deal" in result.stdout
    lines = [json.loads(x) for x in _run("--db", str(db), "--kind", "co-link", "--window", "60", "--clusters",
                                         "--format", "jsonl").stdout.splitlines()]
    assert [(c["record"], c["members"], c["co_actions"]) for c in lines] == [
        ("cluster", ["sock0", "sock1", "sock2"], 12)]
    _run("--db", str(db), "--kind", "co-text", "--window", "60", "--clusters")
    with open_store(str(db)) as store:
        stored = stored_signals(store)
    clusters = [s for s in stored if s.kind == "network_cluster"]
    assert sorted(s.evidence["network"] for s in clusters) == ["co-link", "co-reply", "co-text"]  # replaced
    assert {s.evidence["window_seconds"] for s in clusters if s.evidence["network"] != "co-reply"} == {60}
    assert {s.id for s in stored if s.kind != "network_cluster"} == threads_signals
    link = next(s for s in clusters if s.evidence["network"] == "co-link")
    assert link.authors == ["sock0", "sock1", "sock2"] and len(link.comment_ids) == 12


def test_an_empty_or_nameless_store_gives_an_empty_network_with_a_note(tmp_path):
    db = tmp_path / "e.duckdb"
    with open_store(str(db)):
        pass
    for kind in ("co-text", "co-link", "co-reply", "co-forward"):
        result = _run("--db", str(db), "--kind", kind)
        assert result.stdout == "" and "the network is empty" in result.stderr
    graph = tmp_path / "e.gexf"
    _run("--db", str(db), "--format", "gexf", "--out", str(graph))
    assert nx.read_gexf(graph).number_of_nodes() == 0
    with open_store(str(db)) as store:
        store.write([Document(source="q", kind="thread", comments=[
            Comment(text=SLOGAN, author=None, posted=T0), Comment(text=SLOGAN, author="x", posted=None),
            Comment(text=SLOGAN, author="y", posted=T0)]).assign_ids()])
    result = _run("--db", str(db), "--kind", "co-text", "--clusters")
    assert "1 posts without an author" in result.stderr and "1 posts without a time" in result.stderr
    assert "clusters (0)" in result.stdout


@pytest.mark.parametrize(("option", "value"), [("--kind", "co-like"), ("--format", "svg"), ("--min-weight", "0"),
                                               ("--threshold", "1.5"), ("--window", "soon"), ("--window", "-5"),
                                               ("--executor", "dask"), ("--format", "table")])
def test_bad_settings_are_refused_naming_the_option(tmp_path, option, value):
    db = tmp_path / "b.duckdb"
    _corpus(db)
    result = runner.invoke(app, ["networks", "--db", str(db), option, value])
    assert result.exit_code == 2 and result.stderr.startswith(f"narrascope: {option} {value}"), result.output
    assert runner.invoke(app, ["networks", "--db", str(tmp_path / "none.duckdb")]).exit_code == 2


def test_csv_defuses_author_names_a_spreadsheet_would_run(tmp_path):
    db = tmp_path / "h.duckdb"
    docs = []
    for t in range(3):
        start = T0 + timedelta(days=t)
        docs.append(Document(source=f"h{t}", kind="thread", title=f"H{t}", comments=[
            Comment(text=f"{SLOGAN} https://harbour.example/deal", author=name, posted=start + timedelta(seconds=k))
            for k, name in enumerate(['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1)"])
        ]).assign_ids())
    with open_store(str(db)) as store:
        store.write(docs)
    rows = list(csv.reader(io.StringIO(_run("--db", str(db), "--kind", "co-link", "--window", "60",
                                            "--format", "csv").stdout)))
    assert [(r[1], r[2]) for r in rows[1:]] == [
        ("'+cmd|' /C calc'!A0", "'=HYPERLINK(\"http://evil.example\",\"x\")"),
        ("'+cmd|' /C calc'!A0", "'@SUM(1)"),
        ("'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(1)")]



def test_out_never_overwrites_the_database_and_an_unwritable_out_is_one_line(tmp_path):
    db = tmp_path / "o.duckdb"
    _corpus(db)
    before = db.read_bytes()
    for out in (db, tmp_path / "o.duckdb.wal", tmp_path, tmp_path / "no" / "such" / "dir.csv"):
        result = runner.invoke(app, ["networks", "--db", str(db), "--window", "60", "--format", "csv",
                                     "--out", str(out), "--clusters"])
        assert result.exit_code == 2, (out, result.output)
        assert result.stderr.startswith(f"narrascope: {out}: ") and len(result.stderr.splitlines()) == 1, result.stderr
    assert db.read_bytes() == before
    assert len(_run("--db", str(db), "--kind", "co-link", "--window", "60").stdout.splitlines()) == 3


def test_a_duckdb_file_that_is_no_narrascope_store_is_one_line(tmp_path):
    import duckdb

    db = tmp_path / "other.duckdb"
    duckdb.connect(str(db)).execute("CREATE TABLE x (a INTEGER)").close()
    result = runner.invoke(app, ["networks", "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"narrascope: {db}: not a narrascope store"), result.stderr


def test_co_forward_without_the_original_s_id_or_date_tells_originals_apart_by_their_text(tmp_path):
    """Telegram Desktop exports name the forwarded channel but neither the original's id nor its date."""
    db = tmp_path / "tg.duckdb"
    a, b = "Strike at the tractor works goes on for a second day", "Column heads to the square, join us now"
    plan = {"Relay A": [(a, 0), (b, 20)], "Relay B": [(b, 5), (a, 25)], "Relay C": [(a, 3), (b, 23)]}
    posts = []
    for day in range(3):
        for channel, forwards in plan.items():
            for text, second in forwards:
                meta = {"platform": "telegram", "forwarded_from": "Street Voice", "forwarded_from_id": "channel555"}
                posts.append(Document(source=f"{channel}/{day}/{second}", kind="article", author=channel,
                                      body=f"{text} (day {day})", title=f"{channel} {day} {second}", meta=meta,
                                      published=T0 + timedelta(days=day, seconds=second)).assign_ids())
    with open_store(str(db)) as store:
        store.write(posts)
    edges = [json.loads(x) for x in _run("--db", str(db), "--kind", "co-forward", "--window", "10").stdout.splitlines()]
    # A and C forward the same two posts 3 s apart; B forwards the other post 5 s after A: no co-forward
    assert [(e["source"], e["target"], e["co_actions"]) for e in edges] == [("Relay A", "Relay C", 6)]
    assert sorted(x["shared"] for x in edges[0]["evidence"]) == sorted(
        f"forwarded from Street Voice: {text} (day {day})" for text in (a, b) for day in range(3))


def test_a_store_that_does_not_exist_is_one_line(tmp_path):
    missing = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["networks", "--db", str(missing)])
    assert result.exit_code == 2 and result.stderr == (
        f"narrascope: {missing}: no such database; create it with narrascope ingest or analyze\n")
    assert not missing.exists()


def test_a_cluster_counts_every_thread_not_only_the_evidence_kept(tmp_path):
    db = tmp_path / "many.duckdb"
    docs = [Document(source=f"m{t}", kind="thread", title=f"M{t}", comments=[
        Comment(text=f"{SLOGAN} {t}", author=f"sock{k}", posted=T0 + timedelta(days=t, seconds=10 * k))
        for k in range(3)]).assign_ids() for t in range(12)]
    with open_store(str(db)) as store:
        store.write(docs)
    [cluster] = [json.loads(x) for x in _run("--db", str(db), "--window", "60", "--clusters", "--format", "jsonl")
                 .stdout.splitlines()]
    assert cluster["co_actions"] == 36 and len(cluster["edges"]) == 3
    assert len(cluster["places"]) == 5  # the five most used
    assert {p["co_actions"] for p in cluster["places"]} == {3}  # three pairs in each thread
    with open_store(str(db)) as store:
        [signal] = [s for s in stored_signals(store) if s.kind == "network_cluster"]
    assert signal.summary.startswith("3 authors acted together 36 times (co-text, window 60 s) in 12 threads")
    assert sorted(signal.document_ids) == sorted(d.id for d in docs)


def test_clusters_with_an_edge_format_and_no_out_is_refused_not_ignored(tmp_path):
    db = tmp_path / "k.duckdb"
    _corpus(db)
    for fmt in ("csv", "gexf", "graphml"):
        result = runner.invoke(app, ["networks", "--db", str(db), "--clusters", "--format", fmt])
        assert result.exit_code == 2 and result.stdout == "", (fmt, result.output)
        assert result.stderr.startswith(f"narrascope: --format {fmt} with --clusters: "), result.stderr
    out = tmp_path / "edges.csv"
    _run("--db", str(db), "--window", "60", "--clusters", "--format", "csv", "--out", str(out))
    assert out.read_text().splitlines()[0] == "kind,source,target,weight,co_actions,first,last,evidence"
