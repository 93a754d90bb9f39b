from __future__ import annotations

import json

from typer.testing import CliRunner

from narrascope.cli import app


def test_predict_toxicity_writes_one_line_per_input(tmp_path, shipped_model):
    lines = [{"id": "a", "text": "You are a disgusting stupid idiot"}, {"id": 2, "text": "Thank you, well written."},
             {"id": "e", "text": ""}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["predict", "toxicity", "--input", str(path)])
    assert result.exit_code == 1  # one bad line
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, "e", None]
    assert [(r["label"], r["spans"]) for r in rows[:2]] == [("hatespeech", [[21, 33]]), ("normal", [])]
    assert [set(r["scores"]) for r in rows[:2]] == [{"hatespeech", "offensive", "normal"}] * 2
    assert rows[0]["scores"]["normal"] < rows[1]["scores"]["normal"]
    assert rows[2]["unsupported"] and rows[3]["error"].startswith("line 4")


def test_predict_toxicity_reads_standard_input(shipped_model):
    result = CliRunner().invoke(app, ["predict", "toxicity"], input='{"id": 1, "text": "Nice photo"}\n')
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == 1


def test_predict_toxicity_answers_hostile_bytes_and_surrogates_line_by_line(tmp_path, shipped_model):
    lines = [b'{"id": "cp1252", "text": "Caf\xe9 owners are idiots"}',  # Windows-1252, not UTF-8
             b'{"id": "surrogate", "text": "lone \\ud800 surrogate, you moron"}',  # valid JSON, not encodable
             b'{"id": "\\udfff", "text": "an id that is a lone surrogate"}',
             b'{"id": "ok", "text": "Thanks, that was a good read"}']
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    for args, stdin in ((["--input", str(path)], None), ([], path.read_bytes())):
        result = CliRunner().invoke(app, ["predict", "toxicity", *args], input=stdin)
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["id"] for r in rows] == ["cp1252", "surrogate", "?", "ok"]
        # in the normal "an id that is a lone surrogate" model version 2's span head marks "id" and "lone
        # surrogate" at the ordinary 0.40, below the threshold of spans on a normal comment: none shown
        assert [(r["label"], r["spans"]) for r in rows] == [("hatespeech", [[16, 22]]), ("offensive", [[22, 27]]),
                                                            ("normal", []), ("normal", [])]
