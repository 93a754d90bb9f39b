"""Commands: ``narrascope predict toxicity`` and ``narrascope train toxicity``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import typer

from narrascope.predict import Predict, answer_lines, predict_command

FAILED_ROW: dict[str, Any] = {"label": None, "scores": None, "spans": []}


def predict_lines(stream: IO[str], out: IO[str], model: Any, batch: int = 64) -> int:
    """Score JSON Lines ``{"id", "text"}`` from ``stream``; write one JSON line per input. Returns bad lines."""
    return answer_lines(stream, out, _rows(model), FAILED_ROW, batch=batch)


def _rows(model: Any) -> Predict:
    return lambda texts: [r.to_dict() for r in model.predict(texts)]


def register(groups: dict[str, typer.Typer]) -> None:
    """Add the toxicity commands to the ``predict`` and ``train`` groups."""

    @groups["predict"].command("toxicity")
    def predict_toxicity(
        input: Path | None = typer.Option(None, "--input", help="JSON Lines file (standard input if omitted)."),
        model_dir: Path | None = typer.Option(None, "--model", help="A model directory (default: the shipped one)."),
        threads: int = typer.Option(1, "--threads", help="onnxruntime threads."),
    ) -> None:
        """Label {"id", "text"} lines: hatespeech, offensive or normal, with scores and toxic spans."""
        from narrascope.toxicity.inference import ToxicityModel

        predict_command(input, _rows(ToxicityModel(model_dir, threads=threads)), FAILED_ROW)

    @groups["train"].command("toxicity-blend")
    def train_toxicity_blend(
        data: Path = typer.Option(..., "--data", help="The toxicity data directory (hatexplain/, "
                                  "toxic_spans_civilcomments/).", exists=True, file_okay=False),
        out: Path = typer.Option(..., "--out", help="Where to write the blended model directory."),
        functional: Path = typer.Option(Path("tests/toxicity/functional/templates.txt"), "--functional",
                                        help="The functional templates file: the n-gram model trains on its "
                                        "train templates, the weight is chosen on its validation templates.",
                                        exists=True, dir_okay=False),
        base: Path | None = typer.Option(None, "--base", help="The network's model directory (default: the "
                                         "shipped one)."),
        version: str = typer.Option("4", "--version", help="The version written to config.json."),
        threads: int = typer.Option(1, "--threads", help="onnxruntime threads."),
        test: bool = typer.Option(False, "--test", help="Also score the network, the blend and TF-IDF + LR on "
                                  "the test parts, in one run (out/scores.json); no choice uses them."),
        multilingual_grid: bool = typer.Option(False, "--multilingual-grid", help="Also mix in the multilingual "
                                               "e5 head: weights a (n-gram) and b (e5 head) on a grid, the "
                                               "first five eligible points in order written to out/points/."),
        chosen: int = typer.Option(1, "--chosen", help="With --multilingual-grid: the position in that order "
                                   "of the point written to out (the first that passed the acceptance walk)."),
    ) -> None:
        """Blend a toxicity network with an n-gram TF-IDF + LR model; the weight chosen on validation data."""
        from narrascope.toxicity.blend_grid import build_grid
        from narrascope.toxicity.blend_training import build_blend, score_test_parts

        if multilingual_grid:
            report = build_grid(data, out, functional, base, version, threads, chosen)
        else:
            report = build_blend(data, out, functional, base, version, threads)
        if test:
            report["test"] = score_test_parts(data, out, functional, base, threads, e5_head=multilingual_grid)
            (out / "scores.json").write_text(json.dumps(report["test"], indent=2) + "\n")
        typer.echo(json.dumps(report, indent=2))

    @groups["train"].command("toxicity")
    def train_toxicity(
        data: Path = typer.Option(..., "--data", help="The toxicity data directory (hatexplain/, "
                                  "toxic_spans_civilcomments/).", exists=True, file_okay=False),
        out: Path = typer.Option(Path("artifacts/toxicity-model"), "--out", help="Where to write the model."),
        epochs: int = typer.Option(4, "--epochs"),
        spans_per_epoch: int = typer.Option(3500, "--spans-per-epoch", help="Toxic-spans posts sampled per epoch."),
        threads: int = typer.Option(1, "--threads", help="torch threads (keep 1 on a shared machine)."),
        limit: int | None = typer.Option(None, "--limit", help="Use only this many posts per split (smoke test)."),
        seed: int = typer.Option(13, "--seed"),
        functional: Path | None = typer.Option(None, "--functional", help="A functional templates file "
                                               "(tests/toxicity/functional/templates.txt): its train templates' "
                                               "cases are trained on, its test templates scored."),
        pooling: str = typer.Option("mean", "--pooling", help="What the class head reads: mean or mean+max."),
        validation: float = typer.Option(0.0, "--validation", help="Share of HateXplain's training part kept "
                                         "out to choose the epoch and the offensive masking threshold."),
        version: str = typer.Option("1", "--version", help="The version written to config.json."),
        functional_per_epoch: int | None = typer.Option(None, "--functional-per-epoch", help="Train-template "
                                                        "cases sampled per epoch (default: all)."),
        extra: Path | None = typer.Option(None, "--extra", help="A folder of public hate-speech sets "
                                          "(stormfront/, ethos/, toxigen/; see the model card) trained on as "
                                          "partial labels, with the shared data's debate sentences naming a "
                                          "group.", exists=True, file_okay=False),
        extra_per_epoch: int = typer.Option(1000, "--extra-per-epoch", help="Posts of each --extra set "
                                            "sampled per epoch."),
        hatexplain_repeats: int = typer.Option(1, "--hatexplain-repeats", help="Times each HateXplain "
                                               "training post is seen per epoch."),
        davidson_offensive: bool = typer.Option(False, "--davidson-offensive", help="With --extra: the shared "
                                                "Davidson tweets all raters called offensive language are "
                                                "trained as offensive only (not hatespeech)."),
        select_on_functional: bool = typer.Option(False, "--select-on-functional", help="Choose the epoch on "
                                                  "HateXplain validation macro-F1 + AUROC plus the accuracy on "
                                                  "--functional's validation templates (never trained on)."),
    ) -> None:
        """Fine-tune the toxicity model, export it to int8 ONNX and print held-out scores."""
        import logging

        from narrascope.toxicity.build import train_and_export

        if pooling not in ("mean", "mean+max"):
            raise typer.BadParameter(f"--pooling {pooling!r}: use mean or mean+max")

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

        scores = train_and_export(data, out, epochs=epochs, spans_per_epoch=spans_per_epoch, threads=threads,
                                  limit=limit, seed=seed, functional=str(functional) if functional else None,
                                  pooling=pooling, validation=validation, version=version,
                                  functional_per_epoch=functional_per_epoch,
                                  extra=str(extra) if extra else None, extra_per_epoch=extra_per_epoch,
                                  hatexplain_repeats=hatexplain_repeats, davidson_offensive=davidson_offensive,
                                  select_on_functional=select_on_functional)
        typer.echo(json.dumps(scores, indent=2))
