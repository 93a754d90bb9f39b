"""``narrascope eval model``: the before column, from another tree (``--before``) or as recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.evaluation.models import COLUMNS, RECORDED, recorded_rows, with_before

ROOT = Path(__file__).resolve().parents[2]


def test_before_figures_join_rows_of_the_same_head_data_and_metric():
    now = [{"head": "claims", "data": "ClaimBuster (5 debates)", "metric": "F1", "narrascope": 0.9, "baseline": 0.8},
           {"head": "claims", "data": "ClaimBuster (6 debates)", "metric": "F1", "narrascope": 0.7, "baseline": 0.6}]
    then = [{"head": "claims", "data": "ClaimBuster (5 debates)", "metric": "F1", "narrascope": 0.85, "before": 0.1}]
    rows = with_before(now, then, "--before /tmp/old")
    assert [list(r) for r in rows] == [[*COLUMNS, "before_from"]] * 2
    assert [(r["before"], r["narrascope"], r["before_from"]) for r in rows] == [
        (0.85, 0.9, "--before /tmp/old"), (None, 0.7, None)]


def test_recorded_figures_name_their_commit_and_date(tmp_path):
    path = tmp_path / "before.json"
    path.write_text(json.dumps({"commit": "0123456789abcdef", "date": "2026-12-06", "command": "narrascope eval model",
                                "rows": [{"head": "h", "data": "d", "metric": "m", "narrascope": 0.5}]}))
    assert recorded_rows(path) == ("recorded at 0123456789 on 2026-12-06",
                                   [{"head": "h", "data": "d", "metric": "m", "narrascope": 0.5}])
    assert recorded_rows(tmp_path / "absent.json") == ("", [])


def test_the_shipped_record_covers_every_head():
    source, rows = recorded_rows(RECORDED)
    assert source.startswith("recorded at ")
    assert source.startswith("recorded at 96b59c5dc0") and source.endswith(" on 2026-12-06")
    assert {r["head"] for r in rows} == {"claims", "narratives", "techniques", "toxicity"}
    figures = {(r["head"], r["metric"]): round(r["narrascope"], 3) for r in rows}
    assert figures[("techniques", "SI F1")] == 0.396 and figures[("claims", "MAP")] == 0.342


def test_before_refuses_a_directory_that_is_no_narrascope_tree(tmp_path):
    result = CliRunner().invoke(app, ["eval", "model", "--data", str(tmp_path), "--head", "toxicity",
                                      "--before", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path}: not a narrascope tree (no src/narrascope)" in result.output


def write_debates(data: Path) -> Path:
    """checkworthy/ with 10 made-up ClaimBuster debates and 2 CheckThat! 2019 debates (written here, not copied)."""
    (data / "checkworthy").mkdir(parents=True)
    lines = ["File_id,Line_number,Text,Verdict"]
    for d in range(10):
        for k, (text, verdict) in enumerate([(f"Unemployment rose {d + 3} percent last year", 1),
                                             (f"Thank you all for coming tonight {d}", -1),
                                             (f"Taxes went up {d + 10} percent under him", 1),
                                             (f"I want to say hello to my family {d}", 0)]):
            lines.append(f"debate{d},{k},{text},{verdict}")
    (data / "checkworthy" / "claimbuster_crowdsourced.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    clef = ["line_number,speaker,text,label,file_name"]
    for g in ("clef_a.tsv", "clef_b.tsv"):
        for k, (text, label) in enumerate([("The deficit doubled in four years", 1), ("Good evening everyone", 0),
                                           ("Crime fell 20 percent in our city", 1), ("Let me be clear", 0)]):
            clef.append(f"{k},A,{text} ({g}),{label},{g}")
    (data / "checkworthy" / "clef2019_task1_english_train.csv").write_text("\n".join(clef) + "\n", encoding="utf-8")
    return data


@pytest.mark.slow
def test_before_runs_the_other_tree_and_puts_its_figures_in_the_before_column(tmp_path):
    data = write_debates(tmp_path / "data")
    result = CliRunner().invoke(app, ["eval", "model", "--data", str(data), "--head", "claims", "--before", str(ROOT),
                                      "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["metric"], r["before_from"]) for r in rows] == [("F1 check-worthy", f"--before {ROOT}"),
                                                               ("MAP", f"--before {ROOT}")]
    assert rows[1]["data"] == "CheckThat! 2019 debates sharing no training sentence (2 debates, 8 sentences)"
    assert [r["before"] for r in rows] == [r["narrascope"] for r in rows]  # the same tree, the same figures


class SaysPercent:
    """A check-worthiness model that flags exactly the sentences naming a percentage."""

    threshold = 0.5

    def probabilities(self, texts):
        import numpy as np

        return np.array([1.0 if "percent" in t else 0.0 for t in texts])


def test_another_model_is_scored_through_its_predictor_on_the_same_split(tmp_path):
    from narrascope.evaluation.models import model_rows

    data = write_debates(tmp_path / "data")
    f1, average_precision = model_rows(data, ["claims"], predictors={"claims": SaysPercent()})
    assert f1["narrascope"] == 1.0  # every check-worthy test sentence names a percentage, no other does
    # per CheckThat! debate: "Crime fell 20 percent" first (precision 1 at recall 1/2), then a tie of the
    # other three holding the deficit sentence (precision 2/4 at recall 1): AP 0.5 + 0.25
    assert average_precision["narrascope"] == 0.75
    assert f1["data"] == "ClaimBuster test debates (2 debates, 8 sentences, 4 check-worthy)"
