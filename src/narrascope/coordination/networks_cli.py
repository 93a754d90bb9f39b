"""``narrascope networks``: coordination networks across the corpus, for Gephi and for reading.

Edges go to ``--out`` (or stdout) as JSON Lines, CSV, GEXF or GraphML; what the command chose and
noticed (the window, posts left out, an empty network) goes to stderr. ``--clusters`` prints the
clusters and stores them in the ``signals`` table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from narrascope.coordination.actions import KINDS
from narrascope.coordination.formats import FORMATS


def parse_window(value: str) -> float | str:
    """``auto`` or a number of seconds (at least 0)."""
    if value == "auto":
        return value
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise ValueError(f"--window {value}: give auto or a number of seconds, at least 0 (default auto)")
    return seconds


def bad_option(kind: str, format: str, min_weight: float, threshold: float, executor: str) -> str | None:
    """What is wrong with the settings, naming the option, or ``None``."""
    if kind not in KINDS:
        return f"--kind {kind}: choose one of {', '.join(KINDS)}"
    if format not in (*FORMATS, "table"):
        return f"--format {format}: choose one of {', '.join(FORMATS)} (or table, with --clusters)"
    if not min_weight > 0:
        return f"--min-weight {min_weight:g}: an edge's weight is above 0; give a number above 0 (default 3)"
    if not 0 < threshold <= 1:
        return f"--threshold {threshold:g}: not a Jaccard similarity; give one above 0 and at most 1 (default 0.6)"
    if executor not in ("local", "ray"):
        return f"--executor {executor}: choose local or ray"
    return None


def print_clusters(clusters: list[Any], format: str) -> None:
    """Clusters as a rich table, or one JSON object a line (``--format jsonl``)."""
    if format == "jsonl":
        for c in clusters:
            sys.stdout.write(json.dumps({"record": "cluster", **c.to_dict()}, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    from narrascope.cli_output import terminal_text as escape

    table = Table(title=f"clusters ({len(clusters)})")
    for col in ("members", "co-actions", "weight", "first", "last", "shared most", "where"):
        table.add_column(col, overflow="fold")
    for c in clusters:
        shared = "; ".join(f"{w[:60]} ({n})" for w, n in c.shared[:3])
        places = ", ".join(f"{d} ({n})" for d, n in c.places[:3])
        table.add_row(escape(", ".join(c.members)), str(c.co_actions), f"{c.weight:g}", c.first, c.last,
                      escape(shared), escape(places))
    Console().print(table)


def require_store(store: Any, db: Path) -> None:
    """Refuse a DuckDB file that narrascope did not write (no ``comments`` or ``documents`` table)."""
    from narrascope.errors import NarrascopeError

    found = {name for (name,) in store.db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name IN ('comments', 'documents')").fetchall()}
    if found != {"comments", "documents"}:
        raise NarrascopeError(f"{db}: not a narrascope store (no comments or documents table); give the --db that "
                              "narrascope ingest or analyze wrote")


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``narrascope networks`` to the top-level commands."""

    @groups[""].command("networks")
    def networks(
        db: Path = typer.Option(..., "--db", help="DuckDB file written by narrascope ingest / analyze."),
        kind: str = typer.Option("co-text", "--kind", help="co-text, co-link, co-reply or co-forward."),
        window: str = typer.Option("auto", "--window", help="Seconds within which two actions are a co-action, "
                                   "or auto (estimated from the data, and printed)."),
        min_weight: float = typer.Option(3.0, "--min-weight", help="Keep edges (and cluster) at this weight or more."),
        threshold: float = typer.Option(0.6, "--threshold", help="co-text: Jaccard similarity of near-identical "
                                        "texts (word 3-grams)."),
        format: str | None = typer.Option(None, "--format", help="jsonl (default), csv, gexf or graphml; with "
                                          "--clusters: table (default) or jsonl."),
        out: Path | None = typer.Option(None, "--out", help="Write the network here instead of stdout."),
        clusters: bool = typer.Option(False, "--clusters", help="Print the clusters (and store them as "
                                      "network_cluster signals) instead of the edges."),
        executor: str = typer.Option("local", "--executor", help="local, or ray (the \\[ray] extra: LSH bands "
                                     "as Ray tasks)."),
        show_flagged: bool = typer.Option(False, "--show-flagged", help="Show shared text the toxicity layer "
                                          "flagged."),
    ) -> None:
        """Coordination networks: authors who post the same text or link, answer or forward the same message
        within a time window."""
        from narrascope.coordination import save_signals
        from narrascope.coordination.clusters import cluster_signals, find_clusters, mask_flagged
        from narrascope.coordination.formats import write_network
        from narrascope.coordination.load import store_network
        from narrascope.errors import NarrascopeError
        from narrascope.store import open_store
        from narrascope.store.export import check_export_target
        from narrascope.threads.graph import flagged_comments

        format = format or ("table" if clusters else "jsonl")
        problem = bad_option(kind, format, min_weight, threshold, executor)
        try:
            seconds = parse_window(window)
        except ValueError as exc:
            problem = problem or str(exc)
        if format == "table" and not clusters and not problem:
            problem = "--format table: only with --clusters; the network itself is jsonl, csv, gexf or graphml"
        if clusters and format in ("csv", "gexf", "graphml") and out is None and not problem:
            problem = (f"--format {format} with --clusters: the clusters print as table or jsonl; give --out FILE "
                       f"for the edges in {format}")
        if not db.exists() and not problem:
            problem = f"{db}: no such database; create it with narrascope ingest or analyze"
        if problem:
            typer.echo(f"narrascope: {problem}", err=True)
            raise typer.Exit(2)
        try:
            if out is not None:  # before anything is computed: never the store itself, a folder or nowhere
                check_export_target(str(db), str(out))
            with open_store(str(db), read_only=True) as store:
                require_store(store, db)
                network = store_network(store, kind, seconds, min_weight, threshold, executor=executor)
            found = find_clusters(network) if clusters else []
            with open_store(str(db), read_only=not clusters) as store:
                if clusters:  # stored as found; shown below with flagged text hidden
                    save_signals(store, cluster_signals(found, network.window), network=kind)
                flagged = flagged_comments(store)
            for e in network.edges:
                mask_flagged(e.evidence, flagged, show_flagged)
            found = find_clusters(network) if clusters else []
        except NarrascopeError as exc:
            typer.echo(f"narrascope: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"narrascope: {network.window_note}", err=True)
        for note in network.notes:
            typer.echo(f"narrascope: {note}", err=True)
        typer.echo(f"narrascope: {len(network.nodes)} authors, {len(network.edges)} edges of weight {min_weight:g} "
                   "or more" + (f", {len(found)} clusters" if clusters else ""), err=True)
        if clusters:
            print_clusters(found, "jsonl" if format == "jsonl" else "table")  # edges, in ``format``, to --out
            if out is None:
                return
        if out is not None:
            try:
                with out.open("w", encoding="utf-8", newline="") as stream:
                    write_network(network, format if format != "table" else "jsonl", stream)
            except OSError as exc:
                typer.echo(f"narrascope: {out}: cannot write the network ({exc.strerror or exc}); choose another --out",
                           err=True)
                raise typer.Exit(2) from None
        else:
            write_network(network, format, sys.stdout)
