from __future__ import annotations

import json

from typer.testing import CliRunner

from narrascope.cli import app


def write_corpus(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "article1.txt").write_text("Title\n\nThese evil traitors lie.\n", encoding="utf-8")
    gold = tmp_path / "gold.labels"
    gold.write_text("1\tName_Calling,Labeling\t13\t27\n1\tLoaded_Language\t13\t17\n", encoding="utf-8")
    return gold


def test_eval_ptc_scores_given_prediction_files(tmp_path):
    gold = write_corpus(tmp_path)
    si = tmp_path / "si.labels"
    si.write_text("1\t13\t20\n", encoding="utf-8")  # 7 of merged gold [13, 27)
    tc = tmp_path / "tc.labels"
    tc.write_text("1\tLoaded_Language\t13\t27\n1\tDoubt\t13\t17\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "ptc", "--articles", str(tmp_path / "articles"), "--labels", str(gold),
                                      "--predictions", str(si), "--tc-predictions", str(tc)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["si"]["precision"] == 1.0 and abs(scores["si"]["recall"] - 0.5) < 1e-9
    assert scores["tc"]["f1"] == 0.0  # Loaded_Language was predicted on the wrong span


def test_techniques_needs_paths_or_classify():
    result = CliRunner().invoke(app, ["techniques"])
    assert result.exit_code != 0


def test_train_and_eval_commands_are_registered():
    runner = CliRunner()
    assert "--data" in runner.invoke(app, ["train", "techniques", "--help"]).stdout
    assert "--labels" in runner.invoke(app, ["eval", "ptc", "--help"]).stdout


def test_techniques_reports_a_binary_or_missing_file_and_goes_on_with_the_batch(tmp_path):
    (tmp_path / "article7.txt").write_text("Only the corrupt traitors in Brussels would sell out our great nation.",
                                           encoding="utf-8")
    (tmp_path / "article8.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    (tmp_path / "article9.txt").write_bytes("Caf\xe9 owners say the evil regime lies.".encode("cp1252"))
    result = CliRunner().invoke(app, ["techniques", str(tmp_path), str(tmp_path / "article10.txt"),
                                      "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'article8.txt'}: binary data, not a text file" in result.stderr
    assert "article10.txt" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["article_id"] for r in rows} <= {"7", "9"} and "7" in {r["article_id"] for r in rows}
    for r in rows:  # offsets index the decoded text, also for the Windows-1252 file
        text = (tmp_path / f"article{r['article_id']}.txt").read_bytes().decode("cp1252")
        assert text[r["start"]:r["end"]] == r["text"]
