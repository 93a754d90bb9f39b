"""``narrascope eval model``: each model head's held-out figures beside its baseline, as rows.

A head joins by registering a function ``rows(data, model_dir) -> list[dict]`` in
:data:`narrascope.registry.model_evaluations` (plugins: the ``narrascope.model_evaluations``
entry-point group). ``data`` is the shared data directory (``../shared/data``); each row holds
``head``, ``data``, ``metric``, ``narrascope`` (the shipped model's figure) and ``baseline``
(a simple model's figure on the same posts in the same run, ``None`` where there is none).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

COLUMNS = ("head", "data", "metric", "narrascope", "baseline")


def model_rows(data: Path, heads: list[str] | None = None, model_dir: Path | None = None) -> list[dict[str, Any]]:
    """Every asked head's rows (all registered heads when ``heads`` is empty)."""
    from narrascope import registry

    names = heads or registry.model_evaluations.names()
    return [row for name in names for row in registry.model_evaluations.get(name)(data, model_dir)]


def _cell(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def eval_model(
    data: Path = typer.Option(Path("../shared/data"), "--data", help="The shared data directory "
                              "(toxicity/hatexplain, toxicity/toxic_spans_civilcomments)."),
    head: list[str] | None = typer.Option(None, "--head", help="Only this head (repeatable): toxicity."),
    model_dir: Path | None = typer.Option(None, "--model", help="A model directory instead of the shipped one "
                                          "(with one --head).", exists=True, file_okay=False),
    as_json: bool = typer.Option(False, "--json", help="JSON Lines rows instead of a table."),
) -> None:
    """Held-out figures of the shipped models beside a baseline on the same posts (slow: minutes)."""
    from narrascope.cli_output import terminal_text

    rows = model_rows(data, head, model_dir)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="model figures (held-out data)")
    for col in COLUMNS:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(terminal_text(_cell(row[c])) for c in COLUMNS))
    Console().print(table)
