from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.store import open_store

runner = CliRunner()
REVIEWS = {"@context": "https://schema.org", "@graph": [
    {"@type": "ClaimReview", "claimReviewed": "The opposition leader is paid by Western intelligence",
     "url": "https://fc.example/opp", "reviewRating": {"alternateName": "False"}, "keywords": ["Puppets"]},
    {"@type": "ClaimReview", "claimReviewed": "5G masts spread the coronavirus", "url": "https://fc.example/5g"}]}


def test_import_search_match_chain(tmp_path: Path) -> None:
    db = str(tmp_path / "t.duckdb")
    (tmp_path / "r.jsonld").write_text(json.dumps(REVIEWS), encoding="utf-8")
    (tmp_path / "bad.csv").write_text("when,what\n2020-01-01,x\n", encoding="utf-8")
    result = runner.invoke(app, ["debunks", "import", str(tmp_path / "bad.csv"), str(tmp_path / "r.jsonld"),
                                 "--db", db])
    assert result.exit_code == 1  # the bad file is reported, the good one still imported
    assert "bad.csv" in result.output and "missing" in result.output
    assert "2 debunks read, 2 new" in result.output
    found = runner.invoke(app, ["debunks", "search", "The coronavirus is spread by 5G phone masts", "--db", db])
    top = json.loads(found.stdout.splitlines()[0])
    assert top["url"] == "https://fc.example/5g" and top["above_threshold"] and top["rank"] == 1

    page = tmp_path / "page.txt"
    page.write_text("Opposition news\n\nThe opposition leader is being paid by Western intelligence services, "
                    "our sources say. It rained all day.\n", encoding="utf-8")
    analyzed = runner.invoke(app, ["analyze", str(page), "--db", db, "-c", "claims", "-c", "narratives"])
    assert analyzed.exit_code == 0, analyzed.output
    assert runner.invoke(app, ["debunks", "match", "--db", db, "--threshold", "0.6"]).exit_code == 0
    rows = [json.loads(x) for x in runner.invoke(app, ["debunks", "chain", "--db", db]).stdout.splitlines()]
    assert {r["debunk_url"] for r in rows} == {"https://fc.example/opp"}
    assert "puppets" in {r["narrative_id"] for r in rows}


def test_import_reports_each_file_and_keeps_the_others(tmp_path: Path) -> None:
    db = str(tmp_path / "t.duckdb")
    (tmp_path / "one.json").write_text(json.dumps([  # no narrative tag for it: used to crash the import
        {"@type": "ClaimReview", "url": "https://fc.example/2", "claimReviewed": "5G towers spread the coronavirus"},
        {"@type": "ClaimReview", "url": "https://fc.example/3", "reviewBody": "no claim here"}]), encoding="utf-8")
    (tmp_path / "none.json").write_text('{"@type": "ClaimReview", "reviewBody": "x"}', encoding="utf-8")
    (tmp_path / "semi.csv").write_text("date;id;title;keywords\n2020-01-01;u;NATO encircles Russia;NATO\n",
                                       encoding="utf-8")
    files = [str(tmp_path / f) for f in ("one.json", "none.json", "semi.csv")]
    result = runner.invoke(app, ["debunks", "import", *files, "--db", db])
    assert result.exit_code == 1, result.output
    assert "one.json: 1 debunks read, 1 new" in result.output and "semi.csv: 1 debunks read, 1 new" in result.output
    assert "none.json: 1 ClaimReview item(s) found but none names the claim" in result.output
    again = runner.invoke(app, ["debunks", "import", files[0], "--db", db])
    assert again.exit_code == 0 and "0 new, 1 already stored" in again.output
    found = runner.invoke(app, ["debunks", "search", "5G masts spread covid", "--db", db])
    assert json.loads(found.stdout.splitlines()[0])["url"] == "https://fc.example/2"


def test_broken_taxonomy_stops_the_import_before_anything_is_stored(tmp_path: Path) -> None:
    (tmp_path / "r.jsonld").write_text(json.dumps(REVIEWS), encoding="utf-8")
    (tmp_path / "cycle.yaml").write_text("narratives:\n  - {id: a, name: A, description: a, parent: a}\n",
                                         encoding="utf-8")
    result = runner.invoke(app, ["debunks", "import", str(tmp_path / "r.jsonld"), "--db", str(tmp_path / "t.duckdb"),
                                 "--taxonomy", str(tmp_path / "cycle.yaml")])
    assert result.exit_code == 2 and "parent cycle a -> a" in result.output and "nothing was imported" in result.output
    assert not (tmp_path / "t.duckdb").exists()
    open_store(str(tmp_path / "t.duckdb")).close()
    result = runner.invoke(app, ["debunks", "retag", "--db", str(tmp_path / "t.duckdb"),
                                 "--taxonomy", str(tmp_path / "cycle.yaml")])
    assert result.exit_code == 2 and "parent cycle a -> a" in result.output
    assert "nothing was retagged" in result.output and "imported" not in result.output


def test_commands_that_read_the_store_refuse_a_missing_one(tmp_path: Path) -> None:
    nope = tmp_path / "nope.duckdb"
    for command in (["match"], ["chain"], ["search", "5G masts spread covid"], ["retag"]):
        result = runner.invoke(app, ["debunks", *command, "--db", str(nope)])
        assert result.exit_code == 2, (command, result.output)
        assert f"no store at {nope}" in result.output and "debunks import" in result.output
        assert not nope.exists()


def test_analyze_help_shows_the_ray_extra() -> None:  # rich markup used to eat "[ray]" (src/narrascope/cli.py)
    assert "[ray] extra" in runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"}).output