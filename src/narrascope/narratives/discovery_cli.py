"""Commands: ``narrascope narratives discover`` and ``narrascope narratives promote``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from narrascope.store import DEFAULT_DB


def _open(db: str) -> Any:
    """The existing store at ``db``: discovery reads what ``analyze`` stored, so a missing file is a typo."""
    from narrascope.cli_output import require_store
    from narrascope.store import open_store

    require_store(db, "give the --db that `narrascope analyze ... --db PATH` wrote")
    return open_store(db)


def discover(db: str = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to read and write."),
             min_cluster_size: int = typer.Option(5, "--min-cluster-size"),
             join_threshold: float = typer.Option(0.6, "--join-threshold", help="Cosine to an existing cluster's "
                                                  "centroid that joins it."),
             limit: int = typer.Option(50_000, "--limit", help="Most new sentences read in one pass.")) -> None:
    """Cluster sentences no narrative covers into candidate narratives (JSON Lines out). Incremental: each
    sentence is considered once (joining a cluster or left as noise), so a rerun without new input changes
    nothing and a new batch joins the existing clusters or forms new ones."""
    from narrascope.narratives.discovery import Discovery
    from narrascope.narratives.discovery_store import discover as run

    store = _open(db)
    try:
        clusters = run(store, Discovery(min_cluster_size=min_cluster_size, join_threshold=join_threshold),
                       limit=limit, log=lambda m: typer.echo(m, err=True))
    finally:
        store.close()
    if not clusters:
        typer.echo(f"nothing to discover in {db} yet: no cluster of {min_cluster_size} similar sentences without a "
                   "narrative (analyse more documents with `narrascope analyze FILE --db PATH -c narratives`)",
                   err=True)
    for c in sorted(clusters, key=lambda c: -c.size):
        sys.stdout.write(json.dumps({"id": c.id, "label": c.label, "size": c.size, "first_seen": c.first_seen,
                                     "last_seen": c.last_seen, "representatives": c.representatives,
                                     "promoted_to": c.promoted_to}, ensure_ascii=False) + "\n")


def promote(cluster: str = typer.Argument(..., help="Cluster id from `narratives discover`."),
            id: str = typer.Option(..., "--id", help="New narrative id."), name: str = typer.Option(..., "--name"),
            description: str | None = typer.Option(None, "--description"),
            parent: str | None = typer.Option(None, "--parent"),
            db: str = typer.Option(DEFAULT_DB, "--db"),
            taxonomy: Path | None = typer.Option(None, "--taxonomy", help="The analyst's taxonomy file "
                                                 "(created if absent).")) -> None:
    """Promote a discovered cluster into the analyst's taxonomy (its representative sentences become examples)."""
    from narrascope.errors import NarrascopeError
    from narrascope.narratives.discovery_store import promote as run

    store = _open(db)
    try:
        path = run(store, cluster, id, name, description, parent, taxonomy)
    except NarrascopeError as exc:
        typer.echo(f"narrascope: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        store.close()
    typer.echo(f"promoted {cluster} as {id!r} in {path}")


def register(app: typer.Typer) -> None:
    """Add discover/promote to the ``narratives`` command group."""
    app.command("discover")(discover)
    app.command("promote")(promote)
