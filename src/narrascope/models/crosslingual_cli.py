"""Command: ``narrascope train multilingual-head LAYER``: a layer's head on the multilingual trunk's embeddings.

Each layer says how its head is trained in ``TRAINERS`` (``module:function``); the function takes
``(data, out, threads, test)``, trains on the English training part of the layer's data only (choices
on validation data inside it), writes ``out/<layer>.npz`` (the head, loaded without pickle) and returns
its figures, which the command prints as JSON and writes to ``out/<layer>-scores.json``. Ship a head by
copying its ``.npz`` beside the trunk (``src/narrascope/models/multilingual/``).

``--targets`` says what the head is fitted to: ``gold`` (the data's labels, the default) or ``english-model``
(the shipped English model's decisions on the same English texts: a distilled head). It reaches a trainer
as the keyword argument ``targets``; a trainer without that argument fits gold labels only, and asking it
for ``english-model`` is refused by name.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import typer

#: layer -> "module:function" that trains its multilingual head
TRAINERS: dict[str, str] = {
    "claims": "narrascope.claims.multilingual:train_head",
    "narratives": "narrascope.narratives.multilingual:train_head",
    "toxicity": "narrascope.toxicity.multilingual_training:train",
    "techniques": "narrascope.techniques.multilingual:train_head",
}
#: what a head can be fitted to: the data's gold labels, or the shipped English model's decisions
TARGETS = ("gold", "english-model")


def train_multilingual_head(
    layer: str = typer.Argument(..., help="The layer whose head to train."),
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data directory."),
    out: Path = typer.Option(Path("artifacts/multilingual"), "--out", help="Where the head and its figures go."),
    threads: int = typer.Option(2, "--threads", min=1, help="Cores for the trunk's embeddings."),
    test: bool = typer.Option(False, "--test", help="Also score the untouched English test part (once, at the end)."),
    targets: str = typer.Option("gold", "--targets", help="What the head is fitted to: gold (the data's labels) or "
                                "english-model (the shipped English model's decisions on the same texts)."),
) -> None:
    """Train LAYER's head on the frozen multilingual trunk (issue 26): it reads Russian, Ukrainian, Belarusian."""
    if layer not in TRAINERS:
        raise typer.BadParameter(f"no multilingual head for layer {layer!r}; layers with one: "
                                 f"{', '.join(sorted(TRAINERS)) or 'none'}", param_hint="LAYER")
    if targets not in TARGETS:
        raise typer.BadParameter(f"unknown targets {targets!r}; one of {', '.join(TARGETS)}", param_hint="--targets")
    module, function = TRAINERS[layer].split(":")
    trainer = getattr(importlib.import_module(module), function)
    takes_targets = "targets" in inspect.signature(trainer).parameters
    if targets != "gold" and not takes_targets:
        raise typer.BadParameter(f"the {layer} head is fitted to gold labels only, not {targets!r}",
                                 param_hint="--targets")
    out.mkdir(parents=True, exist_ok=True)
    extra = {"targets": targets} if takes_targets else {}
    scores = trainer(data, out, threads, test, **extra)
    text = json.dumps(scores, indent=2, ensure_ascii=False)
    (out / f"{layer}-scores.json").write_text(text + "\n", encoding="utf-8")
    typer.echo(text)


def train_multilingual_align(
    parallel: Path = typer.Option(Path("training/translate-train"), "--parallel",
                                  help="The parallel items (a directory of *.yaml files, or one file)."),
    out: Path = typer.Option(Path("artifacts/multilingual-align"), "--out",
                             help="Where alignment.npz, the refitted heads and alignment.json go."),
    threads: int = typer.Option(2, "--threads", min=1, help="Cores for the trunk and the English models."),
) -> None:
    """Fit and choose the translate-train alignment and refitted heads on parallel items (issue 26)."""
    from narrascope.models.alignment_training import train

    report = train(parallel, out, threads)
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``train multilingual-head`` and ``train multilingual-align``."""
    groups["train"].command("multilingual-head")(train_multilingual_head)
    groups["train"].command("multilingual-align")(train_multilingual_align)
