"""``narrascope analyze --set COMPONENT.PARAMETER=VALUE``: a component's constructor arguments for one run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.errors import NarrascopeError
from narrascope.pipeline.settings import configured, parse_settings

RUSSIAN = "Ты жалкий неудачник, который живёт у мамы в подвале."


def test_values_are_read_as_json_else_as_text() -> None:
    assert parse_settings(["toxicity.multilingual=true", "toxicity.threads=2", "toxicity.languages=[\"en\", \"de\"]",
                           "techniques.model_dir=/models/x"]) == {
        "toxicity": {"multilingual": True, "threads": 2, "languages": ["en", "de"]},
        "techniques": {"model_dir": "/models/x"}}


@pytest.mark.parametrize("bad", ["multilingual", "toxicity=true", ".multilingual=true", "toxicity.=1",
                                 "toxicity.a b=1"])
def test_a_setting_that_is_not_component_dot_parameter_is_refused_by_name(bad: str) -> None:
    with pytest.raises(NarrascopeError, match=f"--set {bad!r}: not COMPONENT.PARAMETER=VALUE"):
        parse_settings([bad])


def test_settings_build_only_the_components_they_name() -> None:
    built = configured(["claims", "toxicity"], {"toxicity": {"multilingual": True}})
    assert built is not None and built[0] == "claims"
    assert built[1].name == "toxicity" and built[1].multilingual is True
    assert configured(["claims"], {}) == ["claims"] and configured(None, {}) is None


def test_a_setting_for_a_component_not_run_or_a_parameter_it_lacks_is_refused() -> None:
    with pytest.raises(NarrascopeError, match="this run does not run component 'toxicity' .*name it with -c toxicity"):
        configured(["claims"], {"toxicity": {"multilingual": True}})
    with pytest.raises(NarrascopeError, match="component 'toxicity' has no parameter 'colour' .*multilingual"):
        configured(["toxicity"], {"toxicity": {"colour": 1}})


def test_analyze_set_turns_on_the_toxicity_layers_multilingual_head(tmp_path: Path) -> None:
    page = tmp_path / "thread.jsonl"
    page.write_text(json.dumps({"source": "https://example.org/t", "kind": "thread", "body": "",
                                "comments": [{"author": "a", "text": RUSSIAN}]}, ensure_ascii=False) + "\n",
                    encoding="utf-8")

    def labels(db: Path, *extra: str) -> list[tuple[str, str | None]]:
        result = CliRunner().invoke(app, ["analyze", str(page), "--db", str(db), "-c", "toxicity", *extra])
        assert result.exit_code == 0, result.output
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT label, json_extract_string(data, '$.model') FROM annotations "
                               "WHERE layer = 'toxicity'").fetchall()

    assert labels(tmp_path / "off.duckdb") == [("unsupported", None)]
    on = labels(tmp_path / "on.duckdb", "--set", "toxicity.multilingual=true")
    assert len(on) == 1 and on[0][0] in ("hatespeech", "offensive", "normal") and on[0][1] == "multilingual"


def test_analyze_refuses_a_bad_setting_before_reading_anything(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    result = CliRunner().invoke(app, ["analyze", str(tmp_path), "--db", str(db), "-c", "claims",
                                      "--set", "toxicity.multilingual=true"])
    assert result.exit_code != 0 and isinstance(result.exception, NarrascopeError)
    assert "this run does not run component 'toxicity'" in str(result.exception)
    assert not db.exists()


def test_threads_go_to_every_component_that_takes_them_unless_a_setting_says_otherwise() -> None:
    built = configured(["claims", "toxicity"], {"toxicity": {"threads": 1}}, threads=3)
    assert built is not None and [(c.name, c.threads) for c in built] == [("claims", 3), ("toxicity", 1)]
    defaults = configured(None, {}, threads=2)
    assert defaults is not None and [(c.name, c.threads) for c in defaults] == [("techniques", 2), ("toxicity", 2)]


@pytest.mark.slow
def test_analyze_stores_the_same_annotations_with_one_worker_and_with_two(tmp_path: Path) -> None:
    from narrascope.demo import CORPUS

    def stored(workers: str) -> list[tuple]:
        db = tmp_path / f"w{workers}.duckdb"
        result = CliRunner().invoke(app, ["analyze", str(CORPUS), "--db", str(db), "--workers", workers,
                                          "-c", "techniques", "-c", "toxicity", "-c", "narratives", "-c", "claims"])
        assert result.exit_code == 0, result.output
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT id, target_id, start_char, end_char, layer, label, score, producer_version, "
                               "CAST(data AS VARCHAR) FROM annotations ORDER BY ALL").fetchall()

    one = stored("1")
    assert {row[4] for row in one} >= {"techniques", "toxicity", "narratives", "claims"} and len(one) > 40
    assert stored("2") == one
