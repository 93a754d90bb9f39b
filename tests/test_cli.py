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
    assert all(c["parent"] is None or c["parent"] in ids for c in first["comments"])
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


def test_export_names_what_is_wrong(tmp_path):
    # wide enough that the error box does not wrap a long temporary path
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "none.duckdb")], env={"COLUMNS": "400"})
    assert result.exit_code != 0 and "no such database" in result.output
    db = str(tmp_path / "c.duckdb")
    runner.invoke(app, ["ingest", str(PAGE), "--db", db, "--workers", "1"])
    bad = runner.invoke(app, ["export", "--db", db, "--table", "secrets"])
    assert bad.exit_code == 2 and "no table 'secrets'" in bad.stderr


@pytest.mark.slow
def test_demo_stores_the_bundled_corpus(tmp_path):
    db = tmp_path / "demo.duckdb"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    kinds = dict(con.execute("SELECT kind, count(*) FROM documents GROUP BY kind").fetchall())
    copies = con.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert kinds.get("article", 0) >= 6 and copies == 1
    assert con.execute("SELECT count(*) FROM comments").fetchone()[0] >= 10


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
