"""Commands: ``narrascope predict toxicity`` and ``narrascope train toxicity``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import typer


def _lines(stream: IO[str], batch: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(stream, 1):
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= batch:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def predict_lines(stream: IO[str], out: IO[str], model: Any, batch: int = 64) -> int:
    """Score JSON Lines ``{"id", "text"}`` from ``stream``; write one JSON line per input. Returns bad lines."""
    bad = 0
    for chunk in _lines(stream, batch):
        parsed: list[tuple[Any, str | None, str | None]] = []
        for number, line in chunk:
            obj: Any = None
            try:
                obj = json.loads(line)
                text = obj.get("text") if isinstance(obj, dict) else None
                if not isinstance(text, str):
                    raise ValueError('no "text" string')
                parsed.append((obj.get("id"), text, None))
            except ValueError as exc:
                ident = obj.get("id") if isinstance(obj, dict) else None
                parsed.append((ident, None, f'line {number}: {exc}; expected {{"id": ..., "text": "..."}}'))
        results = iter(model.predict([t for _, t, e in parsed if e is None]))
        for ident, _, error in parsed:
            if error:
                bad += 1
                row: dict[str, Any] = {"id": ident, "label": None, "scores": None, "spans": [], "error": error}
            else:
                row = {"id": ident, **next(results).to_dict()}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return bad


def register(groups: dict[str, typer.Typer]) -> None:
    """Add the toxicity commands to the ``predict`` and ``train`` groups."""

    @groups["predict"].command("toxicity")
    def predict_toxicity(
        input: Path | None = typer.Option(None, "--input", help="JSON Lines file (standard input if omitted)."),
        model_dir: Path | None = typer.Option(None, "--model", help="A model directory (default: the shipped one)."),
        threads: int = typer.Option(1, "--threads", help="onnxruntime threads."),
    ) -> None:
        """Label {"id", "text"} lines: hatespeech, offensive or normal, with scores and toxic spans."""
        from narrascope.errors import NarrascopeError
        from narrascope.toxicity.inference import ToxicityModel

        model = ToxicityModel(model_dir, threads=threads)
        try:
            if input is None:
                bad = predict_lines(sys.stdin, sys.stdout, model)
            else:
                with open(input, encoding="utf-8") as fh:
                    bad = predict_lines(fh, sys.stdout, model)
        except (NarrascopeError, OSError) as exc:
            typer.echo(f"narrascope: {exc}", err=True)
            raise typer.Exit(2) from None
        raise typer.Exit(1 if bad else 0)

    @groups["train"].command("toxicity")
    def train_toxicity(
        data: Path = typer.Option(..., "--data", help="The toxicity data directory (hatexplain/, "
                                  "toxic_spans_civilcomments/)."),
        out: Path = typer.Option(Path("artifacts/toxicity-model"), "--out", help="Where to write the model."),
        epochs: int = typer.Option(4, "--epochs"),
        spans_per_epoch: int = typer.Option(3500, "--spans-per-epoch", help="Toxic-spans posts sampled per epoch."),
        threads: int = typer.Option(1, "--threads", help="torch threads (keep 1 on a shared machine)."),
        limit: int | None = typer.Option(None, "--limit", help="Use only this many posts per split (smoke test)."),
        seed: int = typer.Option(13, "--seed"),
    ) -> None:
        """Fine-tune the toxicity model, export it to int8 ONNX and print held-out scores."""
        import logging

        from narrascope.toxicity.build import train_and_export

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

        scores = train_and_export(data, out, epochs=epochs, spans_per_epoch=spans_per_epoch, threads=threads,
                                  limit=limit, seed=seed)
        typer.echo(json.dumps(scores, indent=2))
