"""Command: ``narrascope train distil``: distil the five shipped graphs into one fine-tuned MiniLM student."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from narrascope.models.distil.capture import GRAPHS, LIMITS

TRAINING_TOKENS: dict[str, int] = {"techniques": 250_000, "toxicity": 200_000, "claims": 120_000,
                                   "narratives": 120_000, "sentence": 60_000}
LIMIT_DEFAULTS = ", ".join(f"{k}={v or 'all'}" for k, v in LIMITS.items())
TOKEN_DEFAULTS = ", ".join(f"{k}={v}" for k, v in TRAINING_TOKENS.items())


def _pairs(values: list[str], option: str, defaults: dict[str, int]) -> dict[str, int]:
    out = dict(defaults)
    for value in values:
        layer, _, number = value.partition("=")
        if layer not in GRAPHS or not number.isdigit():
            raise typer.BadParameter(f"{value!r} is not LAYER=NUMBER with LAYER one of {', '.join(GRAPHS)}",
                                     param_hint=option)
        out[layer] = int(number)
    return out


def train_distil(
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data directory (ptc/train, "
                              "toxicity, checkworthy, euvsdisinfo, propaganda_diary).", exists=True, file_okay=False),
    out: Path = typer.Option(Path("artifacts/distil"), "--out", help="Where to write capture/, student.pt, "
                             "training.json and views/<layer>/ (one model directory per shipped graph)."),
    limit: list[str] = typer.Option([], "--limit", help="LAYER=N: capture at most N fit texts of a layer (a tenth "
                                    f"as many validation texts; repeatable). Default: {LIMIT_DEFAULTS}."),
    tokens: list[str] = typer.Option([], "--tokens", help="LAYER=N: train on a seeded sample of about N tokens of a "
                                     f"layer's captured fit rows (repeatable). Default: {TOKEN_DEFAULTS}."),
    epochs: int = typer.Option(1, "--epochs", min=1, help="Passes over the sampled fit rows."),
    lr: float = typer.Option(8e-5, "--lr", help="Learning rate of the trunk (heads: 1e-3)."),
    batch_tokens: int = typer.Option(4096, "--batch-tokens", min=64, help="Padded tokens per batch."),
    techniques_weight: float = typer.Option(0.1, "--techniques-weight", min=0.0, help="Weight of the squared "
                                            "error on the techniques logits in the training loss."),
    seed: int = typer.Option(0, "--seed", help="Seed of sampling, shuffling and the heads' initialisation."),
    threads: int = typer.Option(2, "--threads", min=1, help="torch CPU threads."),
    base: Path | None = typer.Option(None, "--base", help="A BERT-style encoder directory to start the student "
                                     "from (default: the pinned all-MiniLM-L6-v2, sha256 checked).",
                                     exists=True, file_okay=False),
    no_views: bool = typer.Option(False, "--no-views", help="Train only; export no ONNX views."),
) -> None:
    """Capture each shipped graph's answers on its layer's fit and validation texts (never test), train one student
    on all of them, export it as five int8 views with the shipped graphs' inputs and outputs."""
    import torch
    from transformers import AutoModel

    from narrascope.models.distil.capture import Capture, capture_all
    from narrascope.models.distil.student import build_student, train_student
    from narrascope.models.distil.views import write_views
    from narrascope.models.encoder import verify_base_encoder

    limits = {**LIMITS, **_pairs(limit, "--limit", {})}
    budget = _pairs(tokens, "--tokens", TRAINING_TOKENS)
    torch.set_num_threads(threads)
    start = time.time()
    captured = out / "capture"
    if not all((captured / f"{layer}.npz").is_file() for layer in GRAPHS):
        capture_all(data, captured, limits, seed, log=typer.echo)
    else:
        typer.echo(f"{captured}: reusing the capture there")
    captures = [Capture.load(captured / f"{layer}.npz", layer) for layer in GRAPHS]
    capture_s = time.time() - start
    directory = base if base is not None else verify_base_encoder()
    student = build_student(AutoModel.from_pretrained(str(directory)))
    result = train_student(student, captures, epochs=epochs, lr=lr, tokens=batch_tokens, seed=seed, budget=budget,
                           techniques_weight=techniques_weight, log=typer.echo)
    torch.save(student.state_dict(), out / "student.pt")
    train_s = time.time() - start - capture_s
    if not no_views:
        for layer, path in write_views(student, out / "views").items():
            typer.echo(f"{layer}: {path}")
    summary = {**result, "capture_seconds": round(capture_s), "training_seconds": round(train_s),
               "export_seconds": round(time.time() - start - capture_s - train_s), "threads": threads,
               "limits": limits, "tokens": budget, "epochs_asked": epochs, "lr": lr, "batch_tokens": batch_tokens,
               "techniques_weight": techniques_weight,
               "seed": seed, "base": str(directory)}
    (out / "training.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    typer.echo(f"{out / 'training.json'}: chosen epoch {result['chosen_epoch']}, training {train_s:.0f}s")


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``train distil``."""
    groups["train"].command("distil")(train_distil)
