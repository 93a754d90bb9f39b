"""README promises of the command line that had no test: --field, --max-mb, forced readers, the
taxonomy named by $NARRASCOPE_TAXONOMY, predict narratives --input, train's --data check."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.narratives.taxonomy import load_taxonomy

runner = CliRunner()
STORY = "The council met on Tuesday to discuss the budget. Members argued about the cost of the new bridge."


def test_parse_maps_columns_with_field(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("headline,content,date\nBridge vote,\"" + STORY + "\",2020-10-27\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path), "--field", "body=content", "--field", "title=headline",
                                 "--field", "published=date"])
    assert result.exit_code == 0, result.output
    [doc] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (doc["title"], doc["body"], doc["published"]) == ("Bridge vote", STORY, "2020-10-27T00:00:00Z")


def test_parse_refuses_a_page_above_max_mb_and_names_the_option(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body><p>" + b"word " * 300_000 + b"</p></body></html>")  # 1.5 MB
    result = runner.invoke(app, ["parse", str(big), "--max-mb", "1"])
    assert result.exit_code == 1 and result.stdout == ""
    assert "raise it with --max-mb" in result.stderr
    assert runner.invoke(app, ["parse", str(big), "--max-mb", "2"]).exit_code == 0


def test_a_forced_reader_reads_what_the_name_hides(tmp_path):
    rows = tmp_path / "export.txt"  # a CSV under a name that says text
    rows.write_text("title,body\nBridge vote,\"" + STORY + "\"\n", encoding="utf-8")
    [as_csv] = [json.loads(x) for x in runner.invoke(app, ["parse", str(rows), "--reader", "csv"]).stdout.splitlines()]
    assert (as_csv["title"], as_csv["body"]) == ("Bridge vote", STORY)
    feed = tmp_path / "feed.txt"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>Bridge vote'
                    f"</title><link>https://example.org/1</link><description>{STORY}</description></item></channel>"
                    "</rss>", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(feed), "--reader", "feed"])
    assert result.exit_code == 0, result.output
    [story] = [json.loads(x) for x in result.stdout.splitlines()]
    assert (story["title"], story["body"]) == ("Bridge vote", STORY)


def test_narrascope_taxonomy_names_the_analysts_file(tmp_path):
    user = tmp_path / "ours.yaml"
    user.write_text("version: 3\nnarratives:\n  - id: bridge-plot\n    name: The bridge is a plot\n"
                    "    description: The new bridge is said to serve foreign armies.\n    parent: null\n"
                    "    examples: [The bridge is for NATO tanks.]\n", encoding="utf-8")
    listed = runner.invoke(app, ["narratives", "list", "--format", "jsonl"], env={"NARRASCOPE_TAXONOMY": str(user)})
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(x) for x in listed.stdout.splitlines()]
    assert [(r["id"], r["origin"]) for r in rows if r["origin"] != "shipped"] == [("bridge-plot", "user")]
    head = runner.invoke(app, ["narratives", "list"], env={"NARRASCOPE_TAXONOMY": str(user)}).stdout.splitlines()[0]
    shipped = load_taxonomy(include_user=False).version
    assert head == f"taxonomy version {shipped}+3: {len(rows)} narratives"  # the overlay's version is part of it
    missing = runner.invoke(app, ["narratives", "list"], env={"NARRASCOPE_TAXONOMY": str(tmp_path / "none.yaml")})
    assert missing.exit_code == 2 and f"taxonomy file {tmp_path / 'none.yaml'} does not exist" in missing.output


def test_predict_narratives_reads_an_input_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": ""}) + "\n" + json.dumps({"id": "b", "text": "NATO"}) + "\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["predict", "narratives", "--input", str(path), "--taxonomy", str(tmp_path / "n.yaml")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["id"], r["narratives"], r["note"][:10]) for r in rows] == [("a", [], "empty text"),
                                                                          ("b", [], "one-word t")]


@pytest.mark.parametrize("command", [("train", "toxicity"), ("train", "narratives"), ("train", "checkworthy")])
def test_train_names_a_missing_data_directory(tmp_path, command, usage_error):
    result = runner.invoke(app, [*command, "--data", str(tmp_path / "nope")], env={"COLUMNS": "400"})
    assert usage_error(result) == f"Invalid value for '--data': dir '{tmp_path / 'nope'}' does not exist."
