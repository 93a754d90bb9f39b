from __future__ import annotations

import json

from typer.testing import CliRunner

from narrascope.cli import app

runner = CliRunner()


def test_predict_checkworthy_contract() -> None:
    lines = [{"id": 1, "text": "Unemployment fell by 3 percent in the last two years, the lowest rate since 1970."},
             {"id": 2, "text": "Thank you very much, it is great to be here tonight."},
             {"id": 3, "text": "   "}, {"id": 4, "text": 7}]
    result = runner.invoke(app, ["predict", "checkworthy"], input="\n".join(json.dumps(x) for x in lines) + "\n")
    assert result.exit_code == 1  # one bad line
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [1, 2, 3, 4]
    assert {k for k in rows[0] if k != "note"} == {"id", "checkworthy", "score"}
    assert rows[0]["checkworthy"] is True and rows[1]["checkworthy"] is False
    assert rows[0]["score"] > rows[1]["score"]
    assert rows[2]["checkworthy"] is False and rows[2]["note"] == "empty text"
    assert rows[3]["checkworthy"] is None and "line 4" in rows[3]["error"]


def test_threshold_option_moves_the_decision() -> None:
    line = json.dumps({"id": "x", "text": "Thank you very much, it is great to be here tonight."}) + "\n"
    strict = json.loads(runner.invoke(app, ["predict", "checkworthy", "--threshold", "0.0"], input=line).stdout)
    assert strict["checkworthy"] is True


def test_a_number_or_a_word_alone_is_not_a_claim() -> None:
    lines = [{"id": "n", "text": "42%"}, {"id": "s", "text": "Inflation. 8%. Lies."},
             {"id": "c", "text": "Inflation reached 8% in March, the highest rate since 1991."}]
    result = runner.invoke(app, ["predict", "checkworthy"], input="\n".join(json.dumps(x) for x in lines) + "\n")
    rows = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    # the model alone scored "42%" 0.98 check-worthy; the note said nothing would be reported
    assert rows["n"]["checkworthy"] is False and rows["n"]["score"] == 0.0 and "one-word" in rows["n"]["note"]
    assert rows["s"]["checkworthy"] is False and "no sentence of 2 words" in rows["s"]["note"]
    assert "a claim" in rows["s"]["note"] and "narrative" not in rows["s"]["note"]
    assert rows["c"]["checkworthy"] is True and "note" not in rows["c"]
