"""``narrascope train multilingual-head``: dispatch to a layer's trainer, its figures written beside the head."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from narrascope.cli import app
from narrascope.models import crosslingual_cli

CALLS: list[tuple[Path, Path, int, bool]] = []


def toy_trainer(data: Path, out: Path, threads: int, test: bool) -> dict[str, object]:
    CALLS.append((data, out, threads, test))
    (out / "toy.npz").write_bytes(b"head")
    return {"layer": "toy", "test": test}


def test_the_command_runs_the_layers_trainer_and_writes_its_figures(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(crosslingual_cli.TRAINERS, "toy", f"{__name__}:toy_trainer")
    out = tmp_path / "heads"
    result = CliRunner().invoke(app, ["train", "multilingual-head", "toy", "--data", str(tmp_path), "--out", str(out),
                                      "--threads", "1", "--test"])
    assert result.exit_code == 0, result.output
    assert CALLS[-1] == (tmp_path, out, 1, True)
    assert json.loads((out / "toy-scores.json").read_text(encoding="utf-8")) == {"layer": "toy", "test": True}
    assert (out / "toy.npz").read_bytes() == b"head"


def test_a_layer_without_a_trainer_is_refused_by_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "multilingual-head", "weather", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "no multilingual head for layer 'weather'" in result.output


TARGETED: list[str] = []


def targeted_trainer(data: Path, out: Path, threads: int, test: bool, targets: str = "gold") -> dict[str, object]:
    TARGETED.append(targets)
    return {"targets": targets}


def test_targets_reach_a_trainer_that_takes_them_gold_by_default(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(crosslingual_cli.TRAINERS, "toy", f"{__name__}:targeted_trainer")
    plain = CliRunner().invoke(app, ["train", "multilingual-head", "toy", "--out", str(tmp_path / "a")])
    distilled = CliRunner().invoke(app, ["train", "multilingual-head", "toy", "--out", str(tmp_path / "b"),
                                         "--targets", "english-model"])
    assert plain.exit_code == 0 and distilled.exit_code == 0, plain.output + distilled.output
    assert TARGETED[-2:] == ["gold", "english-model"]
    assert json.loads((tmp_path / "b" / "toy-scores.json").read_text(encoding="utf-8")) == {"targets": "english-model"}


def test_english_model_targets_are_refused_for_a_trainer_of_gold_labels_only(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(crosslingual_cli.TRAINERS, "toy", f"{__name__}:toy_trainer")
    calls = len(CALLS)
    refused = CliRunner().invoke(app, ["train", "multilingual-head", "toy", "--out", str(tmp_path),
                                       "--targets", "english-model"])
    unknown = CliRunner().invoke(app, ["train", "multilingual-head", "toy", "--out", str(tmp_path),
                                       "--targets", "silver"])
    assert refused.exit_code != 0 and "fitted to gold labels only" in refused.output
    assert unknown.exit_code != 0 and "unknown targets 'silver'" in unknown.output
    assert len(CALLS) == calls
