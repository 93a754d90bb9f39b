from __future__ import annotations

import json

from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.techniques import TECHNIQUES


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


def test_techniques_needs_paths_or_classify(usage_error):
    result = CliRunner().invoke(app, ["techniques"], env={"COLUMNS": "400"})
    assert usage_error(result) == "Invalid value for PATH: name text files or directories, or use --classify"


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
                                      str(tmp_path / "article8.txt"), "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'article8.txt'}: binary data, not a text file: skipped" in result.stderr  # in the dir
    assert f"{tmp_path / 'article8.txt'}: binary data, not a text file\n" in result.stderr  # named: an error
    assert "article10.txt" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines() if "technique" in line]
    assert {r["article_id"] for r in rows} <= {"7", "9"} and "7" in {r["article_id"] for r in rows}
    for r in rows:  # offsets index the decoded text, also for the Windows-1252 file
        text = (tmp_path / f"article{r['article_id']}.txt").read_bytes().decode("cp1252")
        assert text[r["start"]:r["end"]] == r["text"]


TRAITORS = "Only the corrupt traitors in Brussels would sell out our great nation."


def run(*args, **kwargs):
    return CliRunner().invoke(app, [str(a) for a in args], **kwargs)


def test_eval_ptc_runs_the_model_on_the_same_text_as_techniques(tmp_path):
    """CRLF kept and invalid UTF-8 read the same way, so the model's own run scores as its printed spans."""
    arts = tmp_path / "articles"
    arts.mkdir()
    text = ("Title\r\n\r\n" + TRAITORS + "\r\n") * 3 + "Caf\u00e9 "
    (arts / "article1.txt").write_bytes(text.encode() + b"\xff")  # one invalid byte
    start = text.rindex("corrupt traitors")  # offsets that count each \r
    gold = tmp_path / "gold.labels"
    gold.write_text(f"1\tName_Calling,Labeling\t{start}\t{start + 16}\n", encoding="utf-8")
    printed = run("techniques", arts)
    assert printed.exit_code == 0 and "replaced by U+FFFD" in printed.stderr
    (tmp_path / "si.labels").write_text(printed.stdout, encoding="utf-8")
    own = run("eval", "ptc", "--articles", arts, "--labels", gold)
    given = run("eval", "ptc", "--articles", arts, "--labels", gold, "--predictions", tmp_path / "si.labels")
    assert own.exit_code == given.exit_code == 0, own.output
    assert json.loads(own.stdout)["si"] == json.loads(given.stdout)["si"]
    assert json.loads(own.stdout)["si"]["recall"] > 0


def test_eval_ptc_refuses_tc_predictions_that_are_not_the_gold_spans(tmp_path):
    gold = write_corpus(tmp_path)
    tc = tmp_path / "tc.labels"
    tc.write_text("1\tLoaded_Language\t13\t27\n", encoding="utf-8")
    result = run("eval", "ptc", "--articles", tmp_path / "articles", "--labels", gold, "--predictions", tc,
                 "--tc-predictions", tc)
    assert result.exit_code == 2 and result.stdout == ""
    assert "1 gold span(s) have no prediction (e.g. article 1 13-17)" in result.stderr


def test_eval_ptc_never_drops_gold_silently(tmp_path):
    gold = write_corpus(tmp_path)
    with gold.open("a", encoding="utf-8") as f:
        f.write("2\tDoubt\t0\t5\n")  # article 2 has no file
    si = tmp_path / "si.labels"
    si.write_text("1\t13\t27\n", encoding="utf-8")
    tc = tmp_path / "tc.labels"
    tc.write_text(gold.read_text(encoding="utf-8"), encoding="utf-8")
    given = run("eval", "ptc", "--articles", tmp_path / "articles", "--labels", gold, "--predictions", si,
                "--tc-predictions", tc)
    assert given.exit_code == 0 and "1 gold article(s): 2" in given.stderr
    scores = json.loads(given.stdout)
    assert scores["gold_spans"] == 3 and scores["si"]["recall"] == 0.5 and scores["tc"]["f1"] == 1.0
    own = run("eval", "ptc", "--articles", tmp_path / "articles", "--labels", gold)
    assert own.exit_code == 2 and "1 gold article(s): 2: add them; without their text the model cannot find their " \
        "spans (SI) or label their gold spans (TC); to score prediction files instead, give --predictions and " \
        "--tc-predictions" in own.stderr
    si_only = run("eval", "ptc", "--articles", tmp_path / "articles", "--labels", gold, "--predictions", si)
    assert si_only.exit_code == 2 and "the model cannot label their gold spans (TC); to score prediction files " \
        "instead, give --tc-predictions\n" in si_only.stderr


def test_eval_ptc_scores_two_prediction_files_without_articles(tmp_path):
    gold = write_corpus(tmp_path)
    (tmp_path / "empty").mkdir()
    for articles in (["--articles", tmp_path / "empty"], []):
        result = run("eval", "ptc", "--labels", gold, "--predictions", gold, "--tc-predictions", gold, *articles)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["tc"]["f1"] == json.loads(result.stdout)["si"]["f1"] == 1.0
        assert json.loads(result.stdout)["articles"] == 1
        assert ("no readable .txt article files; scored from the label files alone" in result.stderr) == bool(articles)
    result = run("eval", "ptc", "--labels", gold, "--predictions", gold)
    assert result.exit_code == 2 and "give --articles DIR" in result.stderr


def test_eval_ptc_refuses_spans_that_cannot_be_in_their_article(tmp_path):
    gold = write_corpus(tmp_path)  # article 1 has 32 characters
    si = tmp_path / "si.labels"
    si.write_text("1\t13\t20\n1\t10\t10\n1\t30\t20\n1\t-3\t2\n1\t20\t500\n", encoding="utf-8")
    result = run("eval", "ptc", "--articles", tmp_path / "articles", "--labels", gold, "--predictions", si,
                 "--tc-predictions", gold)
    assert result.exit_code == 2 and result.stdout == ""
    for n, why in [(2, "(an empty span)"), (3, "(a reversed span)"), (4, "start -3 is negative"),
                   (5, "end 500 is past the end of article 1 (32 characters)")]:
        assert f"si.labels: line {n}: " in result.stderr and why in result.stderr
    assert "4 span(s) cannot be in their article" in result.stderr and "line 1:" not in result.stderr


def test_eval_ptc_says_why_it_cannot_score(tmp_path):
    gold = write_corpus(tmp_path)
    si_gold = tmp_path / "si-gold.labels"
    si_gold.write_text("1\t13\t27\n", encoding="utf-8")
    result = run("eval", "ptc", "--articles", tmp_path / "articles", "--labels", si_gold, "--predictions", si_gold)
    assert result.exit_code == 0 and "no technique column" in result.stderr
    assert json.loads(result.stdout)["tc"] is None and json.loads(result.stdout)["si"]["f1"] == 1.0
    (tmp_path / "empty").mkdir()
    bad = tmp_path / "bad.labels"
    bad.write_text("1\tX\tten\t20\n", encoding="utf-8")
    for args, message in [(["--articles", tmp_path / "empty"], "no readable .txt article files"),
                          (["--articles", tmp_path / "none"], "none: not a directory"),
                          (["--articles", tmp_path / "articles", "--predictions", bad], "bad.labels: line 1 is not"),
                          (["--articles", tmp_path / "articles", "--tc-predictions", tmp_path / "no.labels"],
                           "no.labels: No such file")]:
        result = run("eval", "ptc", "--labels", gold, *args)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
        assert isinstance(result.exception, SystemExit)  # a message, no traceback


def test_classify_prints_only_lines_it_can_label_and_keeps_extra_columns(tmp_path):
    write_corpus(tmp_path)
    template = tmp_path / "template.txt"
    template.write_text("1\t?\t13\t27\tnote\n1\t?\t10\t5\n1\t?\t-5\t3\n1\t?\t0\t999\n999\t?\t0\t10\n"
                        "1\t?\t13\t27\n", encoding="utf-8")
    result = run("techniques", "--classify", template, "--articles", tmp_path / "articles")
    assert result.exit_code == 1
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(c[0], c[2:]) for c in lines] == [("1", ["13", "27", "note"]), ("1", ["13", "27"])]
    assert lines[0][1] != lines[1][1]  # the second copy of a span gets the second-ranked technique
    for n in (2, 3, 4):
        assert f"template.txt: line {n}: start" in result.stderr
    assert "template.txt: line 5: article 999" in result.stderr and "Loaded_Language\t0\t10" not in result.stdout


def test_classify_malformed_or_missing_template_is_a_clean_error(tmp_path):
    write_corpus(tmp_path)
    template = tmp_path / "template.txt"
    template.write_text("1\t?\t13\t27\n1\tx\tabc\t219\n", encoding="utf-8")
    for path, message in [(template, "template.txt: line 2 is not"), (tmp_path / "no.txt", "no.txt: No such file")]:
        result = run("techniques", "--classify", path, "--articles", tmp_path / "articles")
        assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


def test_techniques_reads_every_visible_text_file_and_standard_input(tmp_path):
    (tmp_path / "my.notes.txt").write_text(TRAITORS, encoding="utf-8")
    (tmp_path / "other.md").write_text(TRAITORS + "\x00", encoding="utf-8")  # a NUL does not make it binary
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "article1.txt").write_text(TRAITORS, encoding="utf-8")
    (tmp_path / ".secret.txt").write_text(TRAITORS, encoding="utf-8")
    result = run("techniques", tmp_path, "-", input=TRAITORS)
    assert result.exit_code == 0, result.stderr
    assert {line.split("\t")[0] for line in result.stdout.splitlines()} == {"my.notes", "other", "stdin"}
    assert "picture.png: binary data, not a text file: skipped" in result.stderr


def test_jsonl_says_the_language_of_every_file_ptc_warns(tmp_path):
    german = tmp_path / "german.txt"
    german.write_text("Die korrupten Verräter zerstören unser großes Land, und die Feinde des Volkes niemals "
                      "aufhören werden.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run("techniques", german, tmp_path / "empty.txt", "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[-1] == {"article_id": "empty", "file": str(tmp_path / "empty.txt"), "spans": 0, "language": None}
    assert {r["unsupported_language"] for r in rows if r["article_id"] == "german"} == {"de"}
    result = run("techniques", german)
    assert f"{german}: language de" in result.stderr


def test_an_empty_directory_is_reported_like_a_missing_file(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "hidden").mkdir()
    (tmp_path / "hidden" / ".note.txt").write_text(TRAITORS, encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text(TRAITORS, encoding="utf-8")
    result = run("techniques", tmp_path / "empty", tmp_path / "hidden", tmp_path / "full")
    assert result.exit_code == 1 and result.stdout.startswith("a\t")
    assert f"no text files in {tmp_path / 'empty'} (hidden and binary files are skipped)" in result.stderr
    assert f"no text files in {tmp_path / 'hidden'} " in result.stderr and "full (" not in result.stderr


def test_a_stray_nul_is_kept_with_a_note_like_invalid_utf8(tmp_path):
    (tmp_path / "nul.txt").write_text(TRAITORS.replace("the ", "the\x00"), encoding="utf-8")
    result = run("techniques", tmp_path / "nul.txt", "-", input=TRAITORS + "\x07")
    assert result.exit_code == 0
    assert f"{tmp_path / 'nul.txt'}: 1 control character(s) (U+0000) kept in the text; offsets count them" \
        in result.stderr
    assert "-: 1 control character(s) (U+0007)" in result.stderr


def test_classify_refuses_arguments_it_would_ignore(tmp_path):
    write_corpus(tmp_path)
    template = tmp_path / "template.txt"
    template.write_text("1\t13\t27\n", encoding="utf-8")
    for args, message in [(["--classify", template], "--classify needs --articles DIR"),
                          (["--classify", template, "--articles", tmp_path / "no"],
                           "--classify needs --articles DIR ("),
                          (["--classify", template, "--articles", tmp_path / "articles", tmp_path / "articles"],
                           "reads no PATH arguments"),
                          (["--classify", template, "--articles", tmp_path / "articles", "--format", "jsonl"],
                           "--format does not apply"),
                          ([tmp_path / "articles", "--articles", tmp_path / "articles"],
                           "--articles is only used with --classify")]:
        result = run("techniques", *args)
        assert result.exit_code == 2 and message in result.stderr and result.stdout == "", (args, result.stderr)


def test_classify_turns_a_three_column_si_template_into_tc_lines(tmp_path):
    write_corpus(tmp_path)
    template = tmp_path / "template.txt"
    template.write_text("1\t13\t27\n1\t13\t17\n", encoding="utf-8")
    result = run("techniques", "--classify", template, "--articles", tmp_path / "articles")
    assert result.exit_code == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(c[0], c[2:]) for c in lines] == [("1", ["13", "27"]), ("1", ["13", "17"])]
    assert [c[1] in TECHNIQUES for c in lines] == [True, True]
    assert "--classify" in run("techniques", "--help").stdout and "article_id<TAB>start<TAB>end" in \
        run("techniques", "--help").stdout.replace("\n", "")
