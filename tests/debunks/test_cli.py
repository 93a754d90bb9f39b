from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from narrascope.cli import app

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
