"""Commands: ``narrascope debunks import FILE``, ``debunks match``, ``debunks search``, ``debunks chain``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from narrascope.store import DEFAULT_DB

DB = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to use.")
debunks_app = typer.Typer(help="Known debunks: import them, match stored claims to them.", no_args_is_help=True)


def _open(db: str):  # type: ignore[no-untyped-def]
    from narrascope.store import open_store

    return open_store(db)


@debunks_app.command("import")
def import_file(files: list[Path] = typer.Argument(..., help="EUvsDisinfo .csv or ClaimReview .json/.jsonld files."),
                db: str = DB) -> None:
    """Load debunks into the store, tag them with narratives and rebuild the persisted index."""
    from narrascope.debunks.io import DebunkFileError, read_debunks
    from narrascope.debunks.store import import_debunks

    failed = 0
    store = _open(db)
    try:
        for path in files:
            try:
                debunks, problems = read_debunks(path)
            except (DebunkFileError, OSError, UnicodeDecodeError) as exc:
                typer.echo(f"narrascope: {exc}", err=True)
                failed += 1
                continue
            for p in problems:
                typer.echo(f"narrascope: {p}", err=True)
            added = import_debunks(store, debunks)
            typer.echo(f"{path}: {len(debunks)} debunks read, {added} new")
    finally:
        store.close()
    raise typer.Exit(1 if failed else 0)


@debunks_app.command("match")
def match(db: str = DB, k: int = typer.Option(3, "--k", help="Debunks kept per claim."),
          threshold: float = typer.Option(0.65, "--threshold", help="Cosine similarity that counts as a match.")
          ) -> None:
    """Match every stored claim annotation to its nearest debunks (table claim_matches)."""
    from narrascope.debunks.store import match_claims

    store = _open(db)
    try:
        found = match_claims(store, k=k, threshold=threshold)
    finally:
        store.close()
    typer.echo(f"{found} claim-debunk matches above {threshold}")


@debunks_app.command("search")
def search(text: str = typer.Argument(..., help="A claim to look up."), db: str = DB,
           k: int = typer.Option(5, "--k"), threshold: float = typer.Option(0.65, "--threshold")) -> None:
    """Print the debunks nearest to one claim, with similarity scores (JSON Lines)."""
    from narrascope.debunks.store import match_embeddings
    from narrascope.models.sentence import SentenceEncoder

    store = _open(db)
    try:
        [found] = match_embeddings(store, SentenceEncoder().encode([text]), k, threshold)
    finally:
        store.close()
    for m in found:
        sys.stdout.write(json.dumps(vars(m), ensure_ascii=False) + "\n")


@debunks_app.command("chain")
def chain(db: str = DB, limit: int = typer.Option(100, "--limit")) -> None:
    """Print technique span -> claim -> debunk -> narrative rows (the narrative_chain view)."""
    from narrascope.debunks.store import chain as rows

    store = _open(db)
    try:
        for row in rows(store, limit):
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        store.close()


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``narrascope debunks``."""
    groups[""].add_typer(debunks_app, name="debunks")
