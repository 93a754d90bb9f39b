"""The ``narrascope`` command line: a thin layer over the Python API (Typer and rich)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import typer

from narrascope.evaluation.models import eval_model
from narrascope.store import DEFAULT_DB

app = typer.Typer(help="Where and how a corpus of pages and comment threads persuades.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Score narrascope against published benchmarks.", no_args_is_help=True)
train_app = typer.Typer(help="Train narrascope's models (needs the \\[train] extra).", no_args_is_help=True)
predict_app = typer.Typer(help="Run one model over JSON Lines {id, text} and print its predictions.",
                          no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
app.add_typer(predict_app, name="predict")
eval_app.command("model")(eval_model)
GROUPS = {"": app, "eval": eval_app, "train": train_app, "predict": predict_app}

#: modules whose ``register(groups)`` adds built-in commands; plugins use the same hook
#: through the ``narrascope.commands`` entry-point group
BUILTIN_COMMANDS: list[str] = ["narrascope.techniques.cli", "narrascope.toxicity.cli",
                               "narrascope.coordination.cli", "narrascope.coordination.networks_cli",
                               "narrascope.narratives.cli", "narrascope.claims.cli",
                               "narrascope.debunks.cli", "narrascope.web.cli", "narrascope.labelstudio.cli",
                               "narrascope.models.e5.cli", "narrascope.models.distil.cli",
                               "narrascope.models.crosslingual_cli"]

READER = typer.Option(None, "--reader", help="Reader to use instead of sniffing (html, text, warc, feed, "
                      "jsonl, csv, parquet, platform-json, telegram).")
FIELD = typer.Option(None, "--field", help="Map a document field to a JSONL/CSV column: body=content.")
LANGS = typer.Option(None, "--language", help="Restrict language identification to these ISO codes.")
MAX_MB = typer.Option(20, "--max-mb", help="Pages larger than this many MB are recorded as failures.")
WORKERS = typer.Option(0, "--workers", help="Processes reading pages for the local executor, and the threads "
                       "each analysis model uses (0: one per CPU core).")


def _reader_options(field: list[str] | None, language: list[str] | None, max_mb: int) -> dict:
    options: dict = {"max_bytes": max_mb * 2**20}
    if field:
        pairs = [f.split("=", 1) for f in field]
        bad = [f for f, p in zip(field, pairs, strict=True) if len(p) != 2]
        if bad:
            raise typer.BadParameter(f"{bad[0]!r} is not FIELD=COLUMN", param_hint="--field")
        options["fields"] = dict(pairs)  # type: ignore[arg-type]
    if language:
        options["languages"] = language
    return options


@app.command()
def parse(inputs: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin."),
          reader: str | None = READER, field: list[str] | None = FIELD,
          language: list[str] | None = LANGS, max_mb: int = MAX_MB,
          explain: bool = typer.Option(False, "--explain", help="Instead of JSON, say per page which reader and "
                                       "which thread grammar matched which line ranges (article, furniture, "
                                       "each comment, items).")) -> None:
    """Print one JSON object per page (JSON Lines); store nothing."""
    from narrascope.errors import ReadError
    from narrascope.readers import finish, iter_inputs, read_input

    options = _reader_options(field, language, max_mb)
    if explain:
        from narrascope.readers.explain import explain as explain_pages

        for line in explain_pages(list(iter_inputs(inputs)), reader=reader, **options):
            typer.echo(line)
        return
    failed = 0
    for inp in iter_inputs(inputs):
        try:
            docs = read_input(inp, reader=reader, **options)
        except ReadError as exc:
            failed += 1
            typer.echo(f"narrascope: {exc}", err=True)
            docs = finish(getattr(exc, "documents", None) or [], options)  # ids and language, as for whole reads
        except Exception as exc:  # noqa: BLE001 - report and go on with the batch
            failed += 1
            typer.echo(f"narrascope: {inp.source}: {type(exc).__name__}: {exc}", err=True)
            continue
        for doc in docs:
            data = doc.to_dict()
            data.pop("annotations")
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


def _run(inputs: list[str], db: str, components: list[Any] | None, executor: str, reader: str | None,
         options: dict, workers: int = 0, address: str | None = None) -> None:
    from narrascope.cli_output import print_summary, progress_bar
    from narrascope.corpus import Corpus
    from narrascope.errors import NarrascopeError

    if Path(db).is_dir():
        raise NarrascopeError(f"{db}: is a directory; give --db a database file, such as {Path(db) / DEFAULT_DB}")

    executor_options: dict = {"workers": workers or os.cpu_count() or 1} if executor == "local" else {}
    if executor == "ray" and address:
        executor_options["address"] = address
    with Corpus(db) as corpus, progress_bar() as advance:
        summary = corpus.analyze(inputs, components=components, reader=reader, executor=executor,
                                 executor_options=executor_options, progress=advance, **options)
    print_summary(summary)
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def ingest(inputs: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin."),
           db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to store into."),
           reader: str | None = READER, field: list[str] | None = FIELD,
           language: list[str] | None = LANGS, max_mb: int = MAX_MB, workers: int = WORKERS) -> None:
    """Parse and store pages; inputs stored already are skipped."""
    _run(inputs, db, [], "local", reader, _reader_options(field, language, max_mb), workers)


@app.command()
def analyze(inputs: list[str] = typer.Argument(..., help="Files, directories, globs, or - for stdin."),
            db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to store into."),
            executor: str = typer.Option("local", "--executor", help="Executor: local, or ray (the \\[ray] extra)."),
            address: str | None = typer.Option(None, "--address", help="Ray cluster address (ray executor); "
                                               "without it a local Ray starts."),
            component: list[str] | None = typer.Option(None, "--component", "-c",
                                                          help="Run only these components."),
            setting: list[str] | None = typer.Option(None, "--set", help="A component's parameter for this run, "
                                                     "COMPONENT.PARAMETER=VALUE (JSON or text), e.g. "
                                                     "toxicity.multilingual=true."),
            reader: str | None = READER, field: list[str] | None = FIELD,
            language: list[str] | None = LANGS, max_mb: int = MAX_MB, workers: int = WORKERS) -> None:
    """Ingest, then run every enabled analysis component over what is new."""
    from narrascope.pipeline.settings import configured, parse_settings

    threads = (workers or os.cpu_count() or 1) if executor == "local" else None
    components = configured(component or None, parse_settings(setting or []), threads)
    _run(inputs, db, components, executor, reader, _reader_options(field, language, max_mb), workers,
         address)


@app.command()
def export(db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to read."),
           table: str = typer.Option("documents", "--table", help="documents, comments, annotations, failures, "
                                     "sources, items, edges, runs, signals, or corrections (the analysts' "
                                     "corrections kept beside the store)."),
           format: str = typer.Option("jsonl", "--format", help="jsonl, csv or parquet; labelstudio for "
                                      "--table corrections. CSV cells starting with = + - @ tab or CR get a "
                                      "leading ' (spreadsheet formula injection)."),
           out: Path | None = typer.Option(None, "--out", help="File to write (standard output if omitted); "
                                           "never the database or a file beside it."),
           annotators: Path | None = typer.Option(None, "--annotators", help="labelstudio: JSON object of analyst "
                                                  "name -> Label Studio email; only those analysts' annotations "
                                                  "are credited to a Label Studio user (completed_by)."),
           config: bool = typer.Option(False, "--config", help="labelstudio: write the labeling config (XML, "
                                       "every layer's labels) instead of the tasks.")) -> None:
    """Export one table of the store."""
    from narrascope.errors import NarrascopeError
    from narrascope.store import open_store

    if not Path(db).exists() and not config:
        raise typer.BadParameter(f"{db}: no such database; create it with narrascope ingest", param_hint="--db")
    if (annotators or config) and format != "labelstudio":
        raise typer.BadParameter("--annotators and --config are for --format labelstudio", param_hint="--format")
    try:
        if format == "labelstudio":
            from narrascope.labelstudio.cli import export_labelstudio

            text = export_labelstudio(db, table, str(out) if out else None, str(annotators) if annotators else None,
                                      config)
        else:
            with open_store(db) as store:
                text = store.export(table, format, str(out) if out else None)
    except NarrascopeError as exc:
        typer.echo(f"narrascope: {exc}", err=True)
        raise typer.Exit(2) from None
    if text is not None:
        sys.stdout.write(text)


@app.command()
def demo(db: str = typer.Option("demo.duckdb", "--db", help="Where to store the demo corpus.")) -> None:
    """Ingest and analyse the bundled demo corpus, then show what it holds."""
    from narrascope.demo import run_demo

    raise typer.Exit(run_demo(db))


@eval_app.command("extraction")
def eval_extraction(directory: Path = typer.Argument(..., help="A directory in the Zyte benchmark's layout: "
                                                     "html/<id>.html.gz and ground-truth.json."),
                    fast: bool = typer.Option(True, help="trafilatura's fast mode."),
                    compare: bool = typer.Option(False, "--compare", help="Also score bare trafilatura.extract "
                                                 "on the same pages.")) -> None:
    """Article-body extraction: 4-word shingle precision, recall and F1 averaged over pages."""
    from narrascope.evaluation.extraction import EXTRACTORS, evaluate_directory, print_scores

    names = list(EXTRACTORS) if compare else ["narrascope"]
    print_scores({name: evaluate_directory(directory, fast=fast, extractor=name) for name in names})


@eval_app.command("threads")
def eval_threads(paths: list[Path] = typer.Argument(..., help="HTML pages or directories of them "
                                                    "(.html, .htm, .html.gz)."),
                 renderer: list[str] | None = typer.Option(None, "--renderer", help="Only these renderers: lynx, w3m, "
                                                           "html2text, inscriptis, trafilatura (default: every one "
                                                           "this machine has)."),
                 misses: bool = typer.Option(False, "--misses", help="Also list each reference comment "
                                             "that a rendering lost.")) -> None:
    """The text reader against each page's HTML thread, through plain-text renderings of the page."""
    from narrascope.evaluation.renderings import RENDERERS, available
    from narrascope.evaluation.threads import evaluate, format_table, read_pages

    names = renderer or available()
    unknown = [n for n in names if n not in RENDERERS]
    if unknown:
        raise typer.BadParameter(f"{unknown[0]!r} is not one of {', '.join(RENDERERS)}", param_hint="--renderer")
    table = evaluate(read_pages(paths), names)
    typer.echo(format_table(table))
    if misses:
        for (name, _), score in sorted(table.items()):
            for miss in score.misses:
                typer.echo(f"{name}: {miss}")


def _register_commands() -> None:
    import importlib

    from narrascope import registry

    for module in BUILTIN_COMMANDS:
        importlib.import_module(module).register(GROUPS)
    for name in registry.commands.names():
        registry.commands.get(name)(GROUPS)


_register_commands()


def main() -> None:
    """Run the command line; narrascope's own errors print one line, ``narrascope: <message>``, and exit 2.

    Anything else is a bug and keeps its traceback.
    """
    from narrascope.errors import NarrascopeError

    try:
        app()
    except NarrascopeError as exc:
        typer.echo(f"narrascope: {exc}", err=True)
        sys.exit(2)
