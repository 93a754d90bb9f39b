"""Commands: ``narrascope debunks import FILE``, ``debunks retag``, ``match``, ``search``, ``chain``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from narrascope.store import DEFAULT_DB

DB = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to use.")
TAXONOMY = typer.Option(None, "--taxonomy", help="The analyst's taxonomy file (default: $NARRASCOPE_TAXONOMY or "
                        "./narratives.yaml), overlaid on the shipped one; debunks are tagged with its narratives.")
debunks_app = typer.Typer(help="Known debunks: import them, match stored claims to them.", no_args_is_help=True)


def _require(db: str) -> None:
    """Exit 2 unless a store exists at ``db``: only ``import`` creates one, elsewhere a missing file is a typo."""
    from narrascope.cli_output import require_store

    require_store(db, "give the --db that `narrascope debunks import FILE --db PATH` wrote")


def _open(db: str, create: bool = False) -> Any:
    """The store at ``db``, created only when ``create``."""
    from narrascope.store import open_store

    if not create:
        _require(db)
    return open_store(db)


def _narrative_model(taxonomy: Path | None, nothing: str = "nothing was imported") -> Any:
    """The narrative model over a validated taxonomy; a broken taxonomy exits 2 (saying ``nothing``) before
    anything is stored."""
    from narrascope.narratives.model import NarrativeModel
    from narrascope.narratives.taxonomy import TaxonomyError

    model = NarrativeModel(taxonomy)
    try:
        model.taxonomy  # noqa: B018 - loads and validates it
    except TaxonomyError as exc:
        typer.echo(f"narrascope: {exc}\n{nothing}", err=True)
        raise typer.Exit(2) from None
    return model


@debunks_app.command("import")
def import_file(files: list[Path] = typer.Argument(..., help="EUvsDisinfo .csv or ClaimReview .json/.jsonld files."),
                db: str = DB, taxonomy: Path | None = TAXONOMY) -> None:
    """Load debunks into the store, tag them with narratives and rebuild the persisted index.

    Each file is one transaction: a file that fails is reported and left out whole, the others are imported
    (exit code 1). Debunks whose claim is already stored (same id, or the same text up to case and trailing
    punctuation) are skipped. When the taxonomy changed since the stored tags were made, every stored debunk
    is retagged.
    """
    from narrascope.debunks.io import DebunkFileError, read_debunks
    from narrascope.debunks.store import import_debunks

    model = _narrative_model(taxonomy)
    failed = 0
    store = _open(db, create=True)
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
            try:
                done = import_debunks(store, debunks, narratives=model)
            except Exception as exc:  # noqa: BLE001 - rolled back; report it and go on with the next file
                typer.echo(f"narrascope: {path}: not imported, nothing of it stored ({type(exc).__name__}: {exc})",
                           err=True)
                failed += 1
                continue
            skipped = "".join([f", {done.known} already stored" if done.known else "",
                               f", {done.duplicates} duplicate claims skipped" if done.duplicates else ""])
            typer.echo(f"{path}: {len(debunks)} debunks read, {done.new} new{skipped}")
            if done.retagged:
                typer.echo(f"taxonomy changed: narrative tags of {done.retagged} stored debunks recomputed")
    finally:
        store.close()
    if failed:
        typer.echo(f"narrascope: {failed} of {len(files)} files not imported (reasons above)", err=True)
    raise typer.Exit(1 if failed else 0)


@debunks_app.command("retag")
def retag_debunks(db: str = DB, taxonomy: Path | None = TAXONOMY) -> None:
    """Recompute the narrative tags of every stored debunk with the current taxonomy (import does this itself
    when the taxonomy changed since the tags were made)."""
    from narrascope.debunks.store import retag

    _require(db)
    model = _narrative_model(taxonomy, "nothing was retagged")
    store = _open(db)
    try:
        n = retag(store, model)
    finally:
        store.close()
    typer.echo(f"narrative tags of {n} debunks recomputed (taxonomy {model.taxonomy.version})")


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
