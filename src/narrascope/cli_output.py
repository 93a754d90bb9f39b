"""Rich progress bars and summary tables for the command line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from narrascope.pipeline.executor import RunSummary

console = Console(stderr=True)


@contextmanager
def progress_bar(label: str = "reading") -> Iterator[Callable[[int], None]]:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.advance(task, n)


def print_summary(summary: RunSummary) -> None:
    table = Table(title="narrascope run", show_header=False)
    rate = summary.inputs / summary.seconds if summary.seconds else 0.0
    rows: list[tuple[str, int | str]] = [("inputs", summary.inputs), ("skipped (stored before)", summary.skipped),
            ("documents", summary.documents), ("exact copies of stored documents", summary.duplicates),
            ("comments", summary.comments)]
    rows += [(f"annotations: {layer}", n) for layer, n in sorted(summary.annotations.items())]
    rows += [(f"not analysed (unsupported): {language}", n) for language, n in sorted(summary.not_read.items())]
    rows += [("failures", len(summary.failures)), ("wall time", f"{summary.seconds:.1f} s"),
             ("inputs per second", f"{rate:.1f}")]
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    if summary.failures:
        failed = Table(title="failed inputs", show_header=True)
        failed.add_column("input", overflow="fold")
        failed.add_column("reason", overflow="fold")
        for source, reason in summary.failures[:50]:
            failed.add_row(terminal_text(source), terminal_text(reason))
        console.print(failed)
        if len(summary.failures) > 50:
            console.print(f"... and {len(summary.failures) - 50} more: narrascope export --table failures")


#: C0 controls but tab and newline, DEL, C1 controls (0x9b is a CSI on many terminals), bidirectional overrides
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """Corpus text made safe to print through rich: control characters shown as escapes, markup escaped.

    Comments, names and titles come from pages anyone could write. An ESC sequence in them
    (``\\x1b]0;title\\x07``, ``\\x1b[2J``) would retitle or clear the analyst's terminal, and rich passes
    ESC through; so every control character except tab and newline is printed as its escape
    (``\\x1b``, ``\\u202e``), and ``[...]`` is escaped so that it is not read as rich markup.
    """
    from rich.markup import escape

    return escape(_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text))


def require_store(db: str, hint: str) -> None:
    """Exit 2 unless a store file exists at ``db`` (``:memory:`` aside): a command that only reads a
    store takes a missing file for a typo instead of creating an empty store; ``hint`` says which
    command writes one."""
    import typer

    if db != ":memory:" and not Path(db).is_file():
        typer.echo(f"narrascope: no store at {db}; {hint}", err=True)
        raise typer.Exit(2)
