from __future__ import annotations

import io
import json
from pathlib import Path

from typer.testing import CliRunner

from narrascope.cli import app

runner = CliRunner()
LINES = "\n".join([
    json.dumps({"id": "a", "text": "NATO keeps moving its bases and missiles closer to the Russian border."}),
    json.dumps({"id": "b", "text": ""}),
    "{not json",
    json.dumps({"id": "c", "text": "NATO"}),
    json.dumps({"id": "d", "text": "Die NATO umzingelt Russland mit immer neuen Stützpunkten an der Grenze."}),
    json.dumps({"id": "e"}),
    json.dumps({"text": "NATO keeps moving its bases and missiles closer to the Russian border."}),
]) + "\n"


def test_predict_narratives_contract(tmp_path: Path) -> None:
    result = runner.invoke(app, ["predict", "narratives", "--taxonomy", str(tmp_path / "none.yaml")], input=LINES)
    assert result.exit_code == 1  # two bad lines, the others still answered
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", None, "c", "d", "e", None]
    assert {(type(r["narratives"]), type(r["keywords"])) for r in rows} == {(list, list)}
    assert {tuple(sorted(n)) for r in rows for n in r["narratives"]} == {("id", "name", "score")}
    assert "encircling-russia" in {n["id"] for n in rows[0]["narratives"]}
    assert rows[1]["note"] == "empty text" and rows[1]["narratives"] == []
    assert "line 3" in rows[2]["error"] and "line 6" in rows[5]["error"]
    assert rows[6]["error"].startswith('line 7: missing "id"') and rows[6]["narratives"] == []
    # "NATO" alone names a topic, not a storyline: nothing is reported for it (the heads gave 0.999)
    assert "one-word" in rows[3]["note"] and rows[3]["narratives"] == [] and rows[3]["keywords"] == []
    assert "'de'" in rows[4]["note"]


def test_a_text_of_one_word_sentences_says_why_it_carries_nothing() -> None:
    result = runner.invoke(app, ["predict", "narratives"], input='{"id": "g", "text": "NATO. Soros. Coup."}\n')
    row = json.loads(result.stdout)
    assert row["narratives"] == [] and row["keywords"] == []
    assert row["note"].startswith("no sentence of 2 words or more: too short to carry a narrative")


def test_predict_names_lines_that_are_json_but_not_objects() -> None:
    from narrascope.predict import answer_lines

    out = io.StringIO()
    lines = '[1, 2]\n"a text"\n3\n{"id": "x"}\n{"id": "y", "text": "ok"}\n'
    bad = answer_lines(io.StringIO(lines), out, lambda texts: [{"n": 1} for _ in texts], {"n": 0})
    errors = [json.loads(x).get("error") for x in out.getvalue().splitlines()]
    assert bad == 4
    assert errors[0].startswith("line 1 is not a JSON object but a list")
    assert errors[1].startswith("line 2 is not a JSON object but a string")
    assert errors[2].startswith("line 3 is not a JSON object but a number")
    assert errors[3].startswith('line 4: no "text" string') and errors[4] is None
    result = runner.invoke(app, ["predict", "narratives"], input="[1, 2]\n")
    assert result.exit_code == 1 and "line 1 is not a JSON object" in json.loads(result.stdout)["error"]


def test_narratives_add_list_validate(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    ok = runner.invoke(app, ["narratives", "add", "--id", "grain-theft", "--name", "Grain is stolen",
                             "--description", "Ukraine's grain is said to be stolen by the West.",
                             "--example", "The West steals Ukrainian grain.", "--parent", "hostile-west",
                             "--taxonomy", str(user)])
    assert ok.exit_code == 0, ok.output
    listed = runner.invoke(app, ["narratives", "list", "--format", "jsonl", "--taxonomy", str(user)])
    mine = [json.loads(x) for x in listed.stdout.splitlines() if json.loads(x)["origin"] == "user"]
    assert [m["id"] for m in mine] == ["grain-theft"]
    dup = runner.invoke(app, ["narratives", "add", "--id", "coup", "--name", "x", "--description", "y",
                              "--example", "z", "--taxonomy", str(user)])
    assert dup.exit_code == 1 and "id 'coup' already exists at" in dup.output and "taxonomy.yaml:" in dup.output
    user.write_text(user.read_text() + "- id: grain-theft\n  name: again\n  description: again\n")
    bad = runner.invoke(app, ["narratives", "validate", "--taxonomy", str(user)])
    assert bad.exit_code == 1 and f"{user}:" in bad.output and "duplicate" in bad.output


def test_list_prints_a_tree_and_named_files_must_exist(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text("narratives:\n  - id: grain-theft\n    name: Grain is stolen\n    description: d\n"
                    "    parent: hostile-west\n", encoding="utf-8")
    lines = runner.invoke(app, ["narratives", "list", "--taxonomy", str(user)]).stdout.splitlines()[1:]
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("grain-theft"))
    assert lines[at].startswith("  grain-theft")
    parent = next(line for line in reversed(lines[:at]) if not line.startswith(" "))
    assert parent.startswith("hostile-west")
    typo = tmp_path / "typo.yaml"
    for command, status in (("validate", 1), ("list", 2)):  # validate's "check failed" is 1, a usage error 2
        missing = runner.invoke(app, ["narratives", command, "--taxonomy", str(typo)])
        assert (missing.exit_code, missing.output) == (status, (
            f"narrascope: taxonomy file {typo} does not exist; check the path "
            f"(`narrascope narratives add --taxonomy {typo} ...` creates a new one)\n"))


def test_discover_and_promote_need_an_existing_store(tmp_path: Path) -> None:
    from narrascope.store import open_store

    typo = str(tmp_path / "typo.duckdb")
    for command in (["narratives", "discover", "--db", typo],
                    ["narratives", "promote", "n123", "--id", "x-y", "--name", "x", "--db", typo]):
        result = runner.invoke(app, command)
        assert result.exit_code == 2 and "no store at" in result.output
    assert not (tmp_path / "typo.duckdb").exists()
    open_store(str(tmp_path / "empty.duckdb")).close()
    empty = runner.invoke(app, ["narratives", "discover", "--db", str(tmp_path / "empty.duckdb")])
    assert empty.exit_code == 0 and "nothing to discover" in empty.output
