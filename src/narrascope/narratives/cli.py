"""Commands: ``narrascope narratives list|add|validate|discover|promote``, ``predict|train narratives``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

TAXONOMY = typer.Option(None, "--taxonomy", help="The analyst's taxonomy file (default: $NARRASCOPE_TAXONOMY or "
                        "./narratives.yaml), overlaid on the shipped one.")
narratives_app = typer.Typer(help="The narrative taxonomy: list, add, validate; discover and promote candidates.",
                             no_args_is_help=True)


def _fail(exc: Exception | str, code: int = 2) -> NoReturn:
    typer.echo(f"narrascope: {exc}", err=True)
    raise typer.Exit(code)


def _load(taxonomy: Path | None, code: int) -> Any:
    """The taxonomy; a taxonomy file that was named (``--taxonomy`` or ``$NARRASCOPE_TAXONOMY``) must exist."""
    import os

    from narrascope.narratives.taxonomy import TaxonomyError, load_taxonomy, user_taxonomy_path

    path = user_taxonomy_path(taxonomy)
    named = taxonomy is not None or bool(os.environ.get("NARRASCOPE_TAXONOMY"))
    if named and not path.is_file():
        _fail(f"taxonomy file {path} {'is not a file' if path.exists() else 'does not exist'}; check the path "
              f"(`narrascope narratives add --taxonomy {path} ...` creates a new one)", code)
    try:
        return load_taxonomy(taxonomy)
    except TaxonomyError as exc:
        _fail(exc, code)


def _tree(tax: Any) -> list[tuple[int, Any]]:
    """``(depth, narrative)`` depth-first: each narrative right under its parent, siblings in file order."""
    children: dict[str | None, list[Any]] = {}
    for n in tax:
        children.setdefault(n.parent, []).append(n)
    out: list[tuple[int, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for n in children.get(parent, []):
            out.append((depth, n))
            walk(n.id, depth + 1)

    walk(None, 0)
    return out


@narratives_app.command("list")
def list_narratives(taxonomy: Path | None = TAXONOMY,
                    format: str = typer.Option("text", "--format", help="text or jsonl.")) -> None:
    """Print every narrative of the taxonomy as a tree (id, name, number of examples, origin)."""
    tax = _load(taxonomy, 2)
    if format == "jsonl":
        for n in tax:
            sys.stdout.write(json.dumps({**n.to_yaml_dict(), "origin": n.origin}, ensure_ascii=False) + "\n")
        return
    typer.echo(f"taxonomy version {tax.version}: {len(tax)} narratives")
    for depth, n in _tree(tax):
        typer.echo(f"{'  ' * depth}{n.id}  {n.name}  [{len(n.examples)} examples, {n.origin}]")


@narratives_app.command("validate")
def validate_narratives(taxonomy: Path | None = TAXONOMY) -> None:
    """Check the taxonomy: required fields, duplicate ids, unknown parents, cycles (each error names its line)."""
    tax = _load(taxonomy, 1)
    typer.echo(f"ok: {len(tax)} narratives, version {tax.version}")


@narratives_app.command("add")
def add(id: str = typer.Option(..., "--id", help="New narrative id (lowercase letters, digits, dashes)."),
        name: str = typer.Option(..., "--name"), description: str = typer.Option(..., "--description"),
        example: list[str] = typer.Option(..., "--example", help="An example sentence (repeat; 3-10 work well)."),
        parent: str | None = typer.Option(None, "--parent"),
        keyword: list[str] | None = typer.Option(None, "--keyword", help="EUvsDisinfo keyword tag it matches."),
        taxonomy: Path | None = typer.Option(None, "--taxonomy", help="The analyst's taxonomy file (default: "
                                             "$NARRASCOPE_TAXONOMY or ./narratives.yaml); created if absent.")
        ) -> None:
    """Add a narrative to the end of the analyst's taxonomy file (comments kept; the file is created if absent);
    it is used at once (few-shot on its examples)."""
    from narrascope.narratives.taxonomy import Narrative, TaxonomyError, add_narrative

    try:
        path = add_narrative(Narrative(id, name, description, parent, list(keyword or []), [], list(example),
                                       origin="user"), taxonomy)
    except TaxonomyError as exc:
        _fail(exc, 1)
        return
    typer.echo(f"added {id!r} to {path}")


def predict_narratives(input: Path | None = typer.Option(None, "--input", help="JSON Lines file (stdin if omitted)."),
                       taxonomy: Path | None = TAXONOMY,
                       threads: int = typer.Option(1, "--threads", help="onnxruntime threads."),
                       sentences: bool = typer.Option(False, "--sentences", help="Also print the carrying "
                                                      "sentence spans of each narrative.")) -> None:
    """Narratives and EUvsDisinfo keyword tags of {"id", "text"} lines."""
    from narrascope.narratives.jsonl import notes
    from narrascope.narratives.model import NarrativeModel
    from narrascope.predict import predict_command

    model = NarrativeModel(taxonomy, threads=threads)

    def predict(texts: list[str]) -> list[dict[str, Any]]:
        rows = []
        for res in model.analyse(texts):
            narr = [{k: v for k, v in n.items() if sentences or k != "sentences"} for n in res.narratives]
            rows.append({"narratives": narr, "keywords": [k["keyword"] for k in res.keywords]})
        return rows

    predict_command(input, predict, {"narratives": [], "keywords": []}, lambda text: notes(text, model.max_chars))


def train_narratives(data: Path = typer.Option(..., "--data", help="Directory with euvsdisinfo/ and "
                                               "propaganda_diary/ (like ../shared/data).",
                                               exists=True, file_okay=False),
                     out: Path = typer.Option(Path("artifacts/narratives"), "--out"),
                     install: bool = typer.Option(False, "--install", help="Copy the heads into the package."),
                     threads: int = typer.Option(1, "--threads"),
                     finetune: int = typer.Option(0, "--finetune", help="Also fine-tune the encoder for this many "
                                                  "epochs (needs the \\[train] extra) and export it."),
                     holdout: float = typer.Option(0.2, "--holdout", help="Newest share of the EUvsDisinfo cases "
                                                   "held out and scored; 0 for the model to ship (no held-out "
                                                   "figures)."),
                     validation: str = typer.Option("newest", "--validation", help="Cases the thresholds are "
                                                    "chosen on: 'newest' (15%) or 'recent-half' (half of the "
                                                    "newest 30%, the other half fitted).")) -> None:
    """Train keyword/diary heads on sentence embeddings; report held-out micro-F1 beside a TF-IDF baseline."""
    from narrascope.narratives.training import VALIDATION, train

    if validation not in VALIDATION or not 0 <= holdout < 1:
        raise typer.BadParameter(f"--validation must be one of {', '.join(VALIDATION)} and --holdout in [0, 1)")
    log = lambda m: typer.echo(m, err=True)  # noqa: E731
    summary = train(data, out, threads=threads, install=install, log=log, holdout=holdout, validation=validation)
    if finetune:
        import shutil

        from narrascope.narratives.finetune import LABELS_FILE, ONNX_FILE
        from narrascope.narratives.finetune import finetune as run
        from narrascope.narratives.model import HEADS_FILE

        summary["finetuned"] = run(data, out, epochs=finetune, threads=threads, log=log, holdout=holdout,
                                     validation=validation)  # writes tokenizer.json too
        if install:
            for name in (ONNX_FILE, LABELS_FILE, "tokenizer.json"):
                shutil.copy(out / name, HEADS_FILE.parent / name)
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")


def register(groups: dict[str, typer.Typer]) -> None:
    """Add the narrative commands to the ``narrascope`` command groups."""
    from narrascope.narratives import discovery_cli

    discovery_cli.register(narratives_app)
    groups[""].add_typer(narratives_app, name="narratives")
    groups["predict"].command("narratives")(predict_narratives)
    groups["train"].command("narratives")(train_narratives)
