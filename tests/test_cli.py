"""The command line over real files: parse, ingest, analyze, export, demo."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.demo import CORPUS

runner = CliRunner()
PAGE = CORPUS / "minsk-square.html"


def test_parse_prints_one_json_object_per_page_and_stores_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["parse", str(PAGE), str(CORPUS / "reactions.jsonl")])
    assert result.exit_code == 0, result.output
    pages = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(pages) == 4
    first = pages[0]
    for field in ("source", "kind", "title", "author", "published", "published_raw", "language", "body",
                  "items", "comments"):
        assert field in first
    assert first["kind"] == "article" and first["published"] == "2020-10-27T06:15:00Z"
    assert "Stella monument" in first["body"] and "Soros" not in first["body"]
    ids = [c["id"] for c in first["comments"]]
    # (author, parent's position): a reply, a reply to the reply, a new top-level comment
    assert [(c["author"], ids.index(c["parent"]) if c["parent"] else None) for c in first["comments"]] == [
        ("Andrei K.", None), ("TruthSeeker1917", 0), ("Andrei K.", 1), ("Олег", None)]
    assert not list(tmp_path.iterdir())


def test_parse_reports_a_bad_input_and_goes_on(tmp_path):
    bad = tmp_path / "broken.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage")
    result = runner.invoke(app, ["parse", str(bad), str(PAGE)])
    assert result.exit_code == 1
    assert len(result.stdout.strip().splitlines()) == 1
    assert "broken.gz" in result.stderr


def test_ingest_export_and_exit_status(tmp_path):
    db = str(tmp_path / "c.duckdb")
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["ingest", str(PAGE), str(tmp_path / "empty.txt"), "--db", db, "--workers", "1"])
    assert result.exit_code == 1 and "empty input" in result.stderr
    again = runner.invoke(app, ["ingest", str(PAGE), "--db", db, "--workers", "1"])
    assert again.exit_code == 0
    out = tmp_path / "comments.parquet"
    assert runner.invoke(app, ["export", "--db", db, "--table", "comments", "--format", "parquet",
                               "--out", str(out)]).exit_code == 0
    rows = duckdb.sql(f"SELECT author FROM '{out}' ORDER BY position").fetchall()
    assert len(rows) >= 1
    failures = runner.invoke(app, ["export", "--db", db, "--table", "failures", "--format", "csv"])
    assert "empty.txt" in failures.stdout and "empty input" in failures.stdout


def test_export_names_what_is_wrong(tmp_path, usage_error):
    # wide enough that the error box does not wrap a long temporary path
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb")], env={"COLUMNS": "400"})
    assert usage_error(result) == (f"Invalid value for --db: {tmp_path / 'none.duckdb'}: no such database; "
                                   "create it with narrascope ingest")
    db = str(tmp_path / "c.duckdb")
    runner.invoke(app, ["ingest", str(PAGE), "--db", db, "--workers", "1"])
    bad = runner.invoke(app, ["export", "--db", db, "--table", "secrets"])
    assert bad.exit_code == 2 and "no table 'secrets'" in bad.stderr


@pytest.mark.slow
def test_demo_stores_the_bundled_corpus_writes_demo_html_and_every_table_exports(tmp_path):
    db = tmp_path / "demo.duckdb"
    result = runner.invoke(app, ["demo", "--db", str(db)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    kinds = dict(con.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall())
    copies = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert kinds.get("article", 0) >= 6 and copies == 1
    assert con.execute("SELECT count(*) FROM comments").fetchone()[0] >= 10
    con.close()
    # the report beside the store: one offline file, CSS inline, no script
    report = tmp_path / "demo.html"
    assert f"Report (one file, opens offline): {report.as_uri()}" in result.stdout
    # the top findings in words: the densest article and its techniques, the most flagged thread, narratives
    assert "Densest article: " in result.stdout and "technique spans per 1,000 characters of body" in result.stdout
    # the demo's comments argue but insult nobody: model v2 labels none of them (v1 flagged two as offensive)
    assert "Most flagged thread: no comment labelled hate speech or offensive" in result.stdout
    assert "Narratives found: Protests are a Western-run colour revolution" in result.stdout
    html = report.read_text(encoding="utf-8")
    assert html.lower().startswith("<!doctype html>") and "<style" in html and "<script" not in html
    assert "The square that would not go home" in html
    # threads stores the coordination signals; then each of the other tables exports what the store holds
    assert runner.invoke(app, ["threads", "--db", str(db), "--format", "jsonl"]).exit_code == 0
    con = duckdb.connect(str(db), read_only=True)
    held = {t: (con.execute(f"SELECT count(*) FROM {t}").fetchone()[0],
                [c[0] for c in con.execute(f"DESCRIBE {t}").fetchall()])
            for t in ("sources", "items", "edges", "runs", "signals")}
    con.close()
    exported = {}
    for table in ("sources", "items", "edges", "runs", "signals"):
        out = runner.invoke(app, ["export", "--db", str(db), "--table", table, "--format", "jsonl"])
        assert out.exit_code == 0, (table, out.output)
        rows = [json.loads(line) for line in out.stdout.splitlines()]
        exported[table] = (len(rows), list(rows[0]) if rows else [])
    assert exported == held and min(n for n, _ in held.values()) >= 1
    items = [json.loads(line) for line in runner.invoke(app, ["export", "--db", str(db), "--table", "items",
                                                              "--format", "jsonl"]).stdout.splitlines()]
    assert (items[0]["position"], items[0]["title"]) == (0, "Minsk marchers defy ban for an eleventh Sunday")
    signals = runner.invoke(app, ["export", "--db", str(db), "--table", "signals", "--format", "csv"]).stdout
    assert signals.splitlines()[0].startswith("id,kind,score,summary") and "near_duplicate" in signals


def test_no_help_text_loses_an_extras_name_to_markup():
    """Rich reads ``[train]`` as a style tag and drops it unless escaped (``\\[train]``)."""
    import typer.main

    from narrascope.cli import app

    def paths(command, prefix):
        yield prefix
        for name, sub in getattr(command, "commands", {}).items():
            yield from paths(sub, [*prefix, name])

    checked = 0
    for path in paths(typer.main.get_command(app), []):
        out = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).output
        assert " extra)" not in out.replace("] extra)", "") and "the  extra" not in out, (path, out)
        checked += 1
    assert checked > 20


def _hostile_store(path) -> str:
    """A store with one comment whose author and text a spreadsheet would run as formulas."""
    from narrascope.model import Comment, Document
    from narrascope.store import open_store

    db = str(path / "h.duckdb")
    with open_store(db) as store:
        store.write([Document(source="p", kind="thread", title="t", comments=[
            Comment(text="=1+2 and a NUL \x00 here", author="@bob"), Comment(text="-1 is fine\tin the middle",
                                                                             author="+alice")]).assign_ids()])
    return db


def test_export_refuses_to_overwrite_the_database_or_its_side_files(tmp_path, monkeypatch):
    db = _hostile_store(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "h.duckdb").read_bytes()
    for out in ("h.duckdb", str(tmp_path / "h.duckdb"), "./sub/../h.duckdb", "h.duckdb.wal", "h.duckdb.web.sqlite"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        result = runner.invoke(app, ["export", "--db", db, "--table", "comments", "--format", "csv", "--out", out])
        assert result.exit_code == 2, (out, result.output)
        assert "keeps beside it" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "h.duckdb").read_bytes()[:16] == before[:16]
    assert not (tmp_path / "h.duckdb.web.sqlite").exists()
    with duckdb.connect(db, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM comments").fetchone()[0] == 2


def test_export_to_a_missing_directory_is_one_line(tmp_path):
    db = _hostile_store(tmp_path)
    for table in ("comments", "corrections"):
        result = runner.invoke(app, ["export", "--db", db, "--table", table, "--format", "csv",
                                     "--out", str(tmp_path / "no" / "dir" / "x.csv")])
        assert result.exit_code == 2 and "does not exist" in result.stderr, result.output
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_csv_export_defuses_formulas_and_jsonl_keeps_the_text(tmp_path):
    import csv
    import io

    db = _hostile_store(tmp_path)
    out = runner.invoke(app, ["export", "--db", db, "--table", "comments", "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    cells = {r["author"]: r["text"] for r in rows}
    assert cells == {"'@bob": "'=1+2 and a NUL \u2400 here", "'+alice": "'-1 is fine\tin the middle"}
    assert "\x00" not in out.stdout
    raw = [json.loads(line) for line in runner.invoke(app, ["export", "--db", db, "--table", "comments"]).stdout
           .splitlines()]
    assert {r["author"] for r in raw} == {"@bob", "+alice"} and any("\x00" in r["text"] for r in raw)


def _corrected_store(path) -> tuple[str, str]:
    """A store with one comment labelled offensive with one toxic span, and two analysts' corrections of the span."""
    from narrascope.model import Annotation, Comment, Document
    from narrascope.store import open_store
    from narrascope.web.sidefile import connect

    db = str(path / "c.duckdb")
    text = "you are a stupid idiot, honestly"
    doc = Document(source="p", kind="thread", title="t", comments=[Comment(text=text, author="x")]).assign_ids()
    cid = doc.comments[0].id
    doc.annotations += [Annotation(cid, "comment", 0, len(text), "toxicity", "offensive", 0.8, "toxicity", "1"),
                        Annotation(cid, "comment", 10, 22, "toxicity", "toxic_span", 0.8, "toxicity", "1")]
    with open_store(db) as store:
        store.write([doc])
        rows = store.db.execute("SELECT id, label, start_char, end_char FROM annotations WHERE target_id = ?",
                                [cid]).fetchall()
    span = next(r for r in rows if r[1] == "toxic_span")
    side = connect(db)
    with side:
        for author, action, note, when in (("=ana", "reject", "-wrong", "2026-01-01T00:00:00+00:00"),
                                           ("ben", "confirm", "@right", "2026-01-02T00:00:00+00:00")):
            side.execute("INSERT INTO corrections (annotation_id, target_id, target_type, layer, start_char, end_char, "
                         "model_label, model_score, action, label, author, note, created_at) VALUES "
                         "(?, ?, 'comment', 'toxicity', ?, ?, 'toxic_span', 0.8, ?, 'toxic_span', ?, ?, ?)",
                         [span[0], cid, span[2], span[3], action, author, note, when])
    side.close()
    return db, span[0]


def test_corrections_csv_is_defused_too(tmp_path):
    import csv
    import io

    db, _ = _corrected_store(tmp_path)
    out = runner.invoke(app, ["export", "--db", db, "--table", "corrections", "--format", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["author"], r["note"]) for r in rows] == [("'=ana", "'-wrong"), ("ben", "'@right")]


def test_label_studio_annotations_hold_each_analysts_decisions_under_their_name(tmp_path):
    db, span_id = _corrected_store(tmp_path)
    out = runner.invoke(app, ["export", "--db", db, "--table", "corrections", "--format", "labelstudio"])
    assert out.exit_code == 0, out.output
    [task] = json.loads(out.stdout)
    ana, ben = task["annotations"]  # one per analyst, each with their own latest decision
    assert "completed_by" not in ana and "completed_by" not in ben  # names are not Label Studio emails
    assert task["data"]["analysts"] == ["=ana", "ben"]
    assert [(r["id"], r["from_name"], r["value"].get("labels") or r["value"].get("text") or r["value"]["choices"])
            for r in ben["result"]] == [(span_id, "toxicity", ["toxic_span"]), (span_id, "note", ["@right"]),
                                        ("analyst", "analyst", ["ben"]), ("review", "review", ["partial"])]
    assert [r["from_name"] for r in ana["result"]] == ["analyst", "review"]  # her rejection: the span is left out
    assert [(c["author"], c["action"], c["note"]) for c in task["data"]["corrections"]] == [
        ("=ana", "reject", "-wrong"), ("ben", "confirm", "@right")]
    predicted = {r["type"]: r for r in task["predictions"][0]["result"]}
    assert predicted["choices"]["from_name"] == "toxicity_text"
    assert predicted["choices"]["value"] == {"choices": ["offensive"]}
    assert predicted["labels"]["value"]["text"] == "stupid idiot"
    assert task["predictions"][0]["score"] == 0.8


def test_export_help_and_errors_name_every_table_and_format(tmp_path):
    help_text = runner.invoke(app, ["export", "--help"], env={"COLUMNS": "200"}).output
    assert "corrections" in help_text and "signals" in help_text and "labelstudio" in help_text
    db = _hostile_store(tmp_path)
    bad = runner.invoke(app, ["export", "--db", db, "--table", "secrets"])
    assert bad.exit_code == 2 and "corrections" in bad.stderr
    ls = runner.invoke(app, ["export", "--db", db, "--table", "comments", "--format", "labelstudio"])
    assert ls.exit_code == 2 and "labelstudio is only for --table corrections" in ls.stderr


def test_a_file_that_is_not_a_store_is_named_as_such(tmp_path):
    notdb = tmp_path / "notdb.duckdb"
    notdb.write_text("just some text\n")
    result = runner.invoke(app, ["export", "--db", str(notdb), "--table", "comments"])
    assert result.exit_code == 2
    assert "not a narrascope store" in result.stderr and "another narrascope process" not in result.stderr
    assert notdb.read_text() == "just some text\n"


@pytest.mark.parametrize("args, message", [
    (["--db", "{tmp}"], "is a directory"),
    (["--executor", "nosuch"], "no executor named 'nosuch'; known: local"),
    (["-c", "nosuch"], "no component named 'nosuch'"),
])
def test_expected_errors_are_one_line_and_exit_2(args, message, tmp_path, monkeypatch, capsys):
    from narrascope.cli import main

    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    db = [] if "--db" in args else ["--db", str(tmp_path / "c.duckdb")]
    monkeypatch.setattr("sys.argv", ["narrascope", "analyze", str(PAGE), "--workers", "1", *db, *args])
    with pytest.raises(SystemExit) as exit:
        main()
    err = capsys.readouterr().err
    assert exit.value.code == 2
    assert err.startswith("narrascope: ") and message in err and len(err.strip().splitlines()) == 1


def test_unexpected_errors_keep_their_traceback(monkeypatch):
    from narrascope import cli

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main()
