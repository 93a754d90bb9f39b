"""``narrascope eval model``: each model head's figures on untouched test data, beside a baseline, as rows.

A head joins by registering a function ``rows(data, model_dir, predictor=None) -> list[dict]`` in
:data:`narrascope.registry.model_evaluations` (plugins: the ``narrascope.model_evaluations``
entry-point group). ``data`` is the shared data directory (``../shared/data``); the test parts are
those of :mod:`narrascope.evaluation.splits`; ``predictor`` is the model to score (the protocols
of :mod:`narrascope.evaluation.predictors`; default: the shipped one). Each row holds ``head``,
``data``, ``metric``, ``narrascope`` (the model's figure) and ``baseline`` (a simple model's figure
on the same test part in the same run, ``None`` where there is none).

``before`` is the figure of the models shipped when issue 21 began: from another narrascope tree
(``--before PATH``: its own ``eval model --json`` run in a subprocess), else as recorded in
:data:`RECORDED`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer

from narrascope.errors import NarrascopeError

COLUMNS = ("head", "data", "metric", "before", "narrascope", "baseline")
RECORDED = Path(__file__).with_name("before_issue21.json")


def model_rows(data: Path, heads: list[str] | None = None, model_dir: Path | None = None,
               predictors: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every asked head's rows (all registered heads when ``heads`` is empty); ``predictors`` maps a head
    to the model to score instead of the shipped one.

    BLAS and OpenMP run on one thread: on busy shared cores, multi-threaded BLAS made the baselines' logistic
    regressions 7 times as costly in CPU time (12.1 s against 1.7 s for one TF-IDF fit at load 7).
    """
    import sklearn.linear_model  # type: ignore[import-untyped]  # noqa: F401  (loads scipy's BLAS, to be limited)
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    from narrascope import registry

    names = heads or registry.model_evaluations.names()
    out = []
    with threadpool_limits(limits=1):
        for name in names:
            rows = registry.model_evaluations.get(name)
            given = (predictors or {}).get(name)
            out += rows(data, model_dir, predictor=given) if given is not None else rows(data, model_dir)
    return out


def _key(row: dict[str, Any]) -> tuple[str, str, str]:
    return row["head"], row["data"], row["metric"]


def start_tree(tree: Path, data: Path, heads: list[str] | None = None) -> subprocess.Popen[str]:
    """Start the narrascope source tree at ``tree`` (``tree/src``) on its own ``eval model --json``."""
    if not (tree / "src" / "narrascope").is_dir():
        raise NarrascopeError(f"{tree}: not a narrascope tree (no src/narrascope); check one out with "
                              "`git worktree add --detach DIR COMMIT`")
    command = [sys.executable, "-m", "narrascope", "eval", "model", "--data", str(Path(data).resolve()), "--json",
               *[arg for h in heads or [] for arg in ("--head", h)]]
    env = {**os.environ, "PYTHONPATH": str((tree / "src").resolve())}
    return subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tree_rows(run: subprocess.Popen[str], tree: Path) -> list[dict[str, Any]]:
    """The rows a :func:`start_tree` run printed, once it has ended."""
    out, err = run.communicate()
    if run.returncode:
        raise NarrascopeError(f"{tree}: its `narrascope eval model --json` failed (exit {run.returncode}): "
                              f"{err.strip()[-600:]}")
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def recorded_rows(path: Path = RECORDED) -> tuple[str, list[dict[str, Any]]]:
    """Where the recorded figures come from (commit and date) and their rows."""
    if not path.is_file():
        return "", []
    recorded = json.loads(path.read_text(encoding="utf-8"))
    return f"recorded at {recorded['commit'][:10]} on {recorded['date']}", recorded["rows"]


def with_before(rows: list[dict[str, Any]], before: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """``rows`` with ``before`` (the same head, data and metric's ``narrascope`` figure in ``before``)."""
    figures = {_key(r): r.get("narrascope") for r in before}
    return [{**{c: figures.get(_key(row)) if c == "before" else row.get(c) for c in COLUMNS},
             "before_from": source if _key(row) in figures else None} for row in rows]


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def eval_model(
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data directory (ptc/train, "
                              "euvsdisinfo, propaganda_diary, checkworthy, toxicity)."),
    head: list[str] | None = typer.Option(None, "--head", help="Only this head (repeatable): claims, narratives, "
                                          "techniques, toxicity."),
    model_dir: Path | None = typer.Option(None, "--model", help="A model directory instead of the shipped one "
                                          "(with one --head).", exists=True, file_okay=False),
    before: Path | None = typer.Option(None, "--before", help="A checkout of an older narrascope tree: its "
                                       "figures fill the before column (default: the recorded ones).",
                                       exists=True, file_okay=False),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines rows instead of a table."),
    translated: bool = typer.Option(False, "--translated", help="Instead: each head's decisions on the same "
                                    "checks in English, Russian, Ukrainian and Belarusian (the shipped parallel "
                                    "checks), per language: decided, same as in English, right."),
    checks: Path | None = typer.Option(None, "--checks", help="With --translated: a directory (or file) of "
                                       "check files of your own instead of the shipped ones.", exists=True),
    items: bool = typer.Option(False, "--items", help="With --translated: one row per item and language (its "
                               "gold label, its decision, the English text's decision, why unsupported)."),
) -> None:
    """Figures on untouched test data of the models then, now and a baseline, same split (slow: minutes)."""
    if translated or checks is not None or items:
        return eval_translated(head, checks, as_json, translated, items, model_dir is not None or before is not None)
    run = None
    try:
        run = start_tree(before, data, head) if before is not None else None  # runs beside this one
        ours = model_rows(data, head, model_dir)
        source, old = (f"--before {before}", tree_rows(run, before)) if run and before else recorded_rows()
    except NarrascopeError as exc:
        typer.echo(f"narrascope: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if run is not None and run.poll() is None:
            run.kill()
            run.wait()
    print_rows(with_before(ours, old, source), COLUMNS, as_json,
               f"model figures on untouched test data (before: {source or 'none recorded'})")


def eval_translated(heads: list[str] | None, checks: Path | None, as_json: bool, translated: bool, items: bool,
                    other_model: bool) -> None:
    """``eval model --translated``: the rows of :mod:`narrascope.evaluation.translated`."""
    from narrascope.evaluation.translated import COLUMNS as TRANSLATED
    from narrascope.evaluation.translated import ITEM_COLUMNS, translated_rows

    if other_model or not translated:
        typer.echo("narrascope: --translated scores the shipped models on the parallel checks (--checks and "
                   "--items go with it); --model and --before are not used with it", err=True)
        raise typer.Exit(2)
    try:
        rows = translated_rows(heads, checks, items)
    except NarrascopeError as exc:
        typer.echo(f"narrascope: {exc}", err=True)
        raise typer.Exit(2) from None
    title = ("each item's decision per language (english: the English text's decision)" if items else
             "each layer's decisions on parallel checks written for narrascope (same_as_english: the share of "
             "items decided as their English text)")
    print_rows(rows, ITEM_COLUMNS if items else TRANSLATED, as_json, title)


def print_rows(rows: list[dict[str, Any]], columns: tuple[str, ...], as_json: bool, title: str) -> None:
    """``rows`` as JSON Lines or as one table of ``columns``."""
    from rich.console import Console
    from rich.table import Table

    from narrascope.cli_output import terminal_text

    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    table = Table(title=title)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(terminal_text(_cell(row[c])) for c in columns))
    Console().print(table)
