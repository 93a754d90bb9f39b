"""``narrascope eval model --head toxicity`` on a made-up data directory (the shipped model, a real baseline)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from narrascope.cli import app

from .conftest import write_data

pytestmark = pytest.mark.slow


def test_eval_model_prints_the_toxicity_rows_beside_the_baseline(tmp_path, shipped_model):
    write_data(tmp_path / "data" / "toxicity", copies=6)
    result = CliRunner().invoke(app, ["eval", "model", "--data", str(tmp_path / "data"), "--head", "toxicity",
                                      "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["head"] for r in rows} == {"toxicity"}
    metrics = {(r["data"].split(" (")[0], r["metric"]): r for r in rows}
    held = metrics[("HateXplain held-out", "macro_f1")]
    assert 0.0 <= held["narrascope"] <= 1.0 and 0.0 <= held["baseline"] <= 1.0
    assert ("HateXplain held-out, community bias", "GMB bpsn_auc (p = -5)") in metrics
    spans = metrics[("SemEval-2021 toxic spans test", "character F1")]
    assert spans["data"] == "SemEval-2021 toxic spans test (2 posts)" and spans["baseline"] is None
    assert held["data"] == "HateXplain held-out (5 posts)"
    overall = metrics[("functional test templates", "accuracy overall")]
    assert overall["data"] == "functional test templates (1118 cases)"
    assert round(overall["narrascope"], 3) == 0.843  # the shipped model, as its model card states
    assert len([k for k in metrics if k[0] == "functional test templates"]) == 28  # 27 functionalities + overall


def test_the_rows_score_the_test_part_of_toxicity_split_as_the_old_model_held_it_out(tmp_path):
    from narrascope.toxicity.scores import split_parts
    from narrascope.toxicity.training import split_data

    root = write_data(tmp_path / "toxicity", copies=6)
    parts, old = split_parts(root), split_data(root)
    assert [e.id for e in parts["hx_test"]] == [e.id for e in old["hx_test"]] == [
        "post0_2", "post3_3", "post4_0", "post5_0", "post5_2"]
    assert [e.id for e in parts["tsd_test"]] == [e.id for e in old["tsd_dev"]] == ["tsd_train-22", "tsd_train-23"]
    fitted = {e.id for e in parts["hx_train"]}
    assert len(fitted) == 17 and not fitted & {e.id for e in parts["hx_test"]}  # 19 outside test, 2 validate


def test_eval_model_names_a_missing_model_directory(tmp_path, usage_error):
    result = CliRunner().invoke(app, ["eval", "model", "--data", str(tmp_path), "--head", "toxicity", "--model",
                                      str(tmp_path / "nope")], env={"COLUMNS": "400"})
    assert usage_error(result) == f"Invalid value for '--model': dir '{tmp_path / 'nope'}' does not exist."


def test_eval_model_table_names_an_unknown_head(tmp_path):
    result = CliRunner().invoke(app, ["eval", "model", "--data", str(tmp_path), "--head", "nonesuch"])
    assert (result.exit_code, result.output) == (
        2, "narrascope: no model_evaluation named 'nonesuch'; known: claims, narratives, techniques, toxicity\n")
