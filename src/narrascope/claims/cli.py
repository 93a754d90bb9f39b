"""Commands: ``narrascope predict checkworthy`` and ``narrascope train checkworthy``."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import typer


def predict_checkworthy(input: Path | None = typer.Option(None, "--input", help="JSON Lines file (stdin if omitted)."),
                        threshold: float | None = typer.Option(None, "--threshold", help="Probability that counts "
                                                               "(default: chosen on held-out ClaimBuster)."),
                        threads: int = typer.Option(1, "--threads", help="onnxruntime threads."),
                        sentences: bool = typer.Option(False, "--sentences", help="Also print the check-worthy "
                                                       "sentence spans of longer texts.")) -> None:
    """Check-worthiness of {"id", "text"} lines: {"id", "checkworthy", "score"}."""
    from narrascope.claims.model import CheckworthyModel
    from narrascope.narratives.jsonl import notes
    from narrascope.predict import predict_command

    model = CheckworthyModel(threads=threads, threshold=threshold)

    def predict(texts: list[str]) -> list[dict[str, Any]]:
        rows = []
        for res in model.analyse(texts):
            row: dict[str, Any] = {"checkworthy": res.checkworthy, "score": res.score}
            if sentences:
                row["claims"] = [[c.start, c.end, c.score] for c in res.claims]
            rows.append(row)
        return rows

    predict_command(input, predict, {"checkworthy": None, "score": None},
                    lambda text: notes(text, model.max_chars, "a claim"))


def train_checkworthy(data: Path = typer.Option(..., "--data", help="Directory with checkworthy/"
                                                "claimbuster_crowdsourced.csv (and clef2019_task1_english_train.csv).",
                                                exists=True, file_okay=False),
                      out: Path = typer.Option(Path("artifacts/checkworthy"), "--out"),
                      install: bool = typer.Option(False, "--install", help="Copy the head (and the fine-tuned "
                                                   "tagger) into the package."),
                      finetune: int = typer.Option(0, "--finetune", help="Also fine-tune the encoder for this many "
                                                   "epochs (\\[train] extra); shipped, it replaces the head."),
                      threads: int = typer.Option(2, "--threads", help="torch threads for --finetune."),
                      holdout: bool = typer.Option(True, "--holdout/--no-holdout", help="Hold 20% of the debates "
                                                   "out of --finetune and score them; --no-holdout trains the "
                                                   "tagger to ship on 85% of them.")) -> None:
    """Train the check-worthiness head; report held-out ClaimBuster F1 and CheckThat! 2019 MAP by debate."""
    from narrascope.claims.training import train

    log = lambda m: typer.echo(m, err=True)  # noqa: E731
    summary = train(data, out, install=install, log=log)
    if finetune:
        from narrascope.claims.finetune import finetune as run
        from narrascope.claims.model import HEADS_FILE
        from narrascope.models.tagger import LABELS_FILE, ONNX_FILE

        summary["finetuned"] = run(data, out, epochs=finetune, threads=threads, log=log, holdout=holdout)
        if install:
            for name in (ONNX_FILE, LABELS_FILE, "tokenizer.json"):
                shutil.copy(out / name, HEADS_FILE.parent / name)
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")


def register(groups: dict[str, typer.Typer]) -> None:
    """Add the check-worthiness commands."""
    groups["predict"].command("checkworthy")(predict_checkworthy)
    groups["train"].command("checkworthy")(train_checkworthy)
