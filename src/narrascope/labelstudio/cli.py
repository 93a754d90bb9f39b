"""``narrascope import labelstudio`` and the Label Studio side of ``narrascope export``."""

from __future__ import annotations

from pathlib import Path

import typer

from narrascope.errors import NarrascopeError

import_app = typer.Typer(help="Bring work done in other tools back into narrascope.", no_args_is_help=True)


def export_labelstudio(db: str, table: str, out: str | None, annotators: str | None, config: bool) -> str | None:
    """The labeling config (``config``) or the corrections as tasks, written to ``out`` or returned."""
    from narrascope.labelstudio.config import labeling_config
    from narrascope.labelstudio.tasks import read_annotators, write_text
    from narrascope.store import open_store
    from narrascope.store.export import check_export_target
    from narrascope.web.corrections import export
    from narrascope.web.sidefile import side_path

    if out is not None:
        check_export_target(db, out)
    if config:
        return write_text(labeling_config(), out, "the labeling config")
    if table != "corrections":
        raise NarrascopeError(f"labelstudio is only for --table corrections; export {table!r} as jsonl, csv or "
                              "parquet")
    emails = read_annotators(annotators)
    with open_store(db) as store:
        return export(store.db, side_path(db), "labelstudio", out, emails)  # type: ignore[attr-defined]


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``narrascope import labelstudio``."""
    groups[""].add_typer(import_app, name="import")
    groups["import"] = import_app

    @import_app.command("labelstudio")
    def import_labelstudio(
        files: list[Path] = typer.Argument(..., help="Label Studio JSON exports (Export -> JSON) of projects "
                                           "holding narrascope's tasks."),
        db: Path = typer.Option(..., "--db", help="The store the tasks were exported from."),
        annotators: Path | None = typer.Option(None, "--annotators", help="JSON object of analyst name -> "
                                               "Label Studio email, read backwards: an annotation without an "
                                               "'analyst' name is credited to the name of its email."),
    ) -> None:
        """Read Label Studio's JSON export back into the analysts' corrections (confirm, reject, relabel, add)."""
        from narrascope.labelstudio.results import import_file
        from narrascope.labelstudio.tasks import read_annotators
        from narrascope.web.reader import StoreReader
        from narrascope.web.sidefile import connect

        if not db.exists():
            typer.echo(f"narrascope: no store at {db}; give the --db the tasks were exported from", err=True)
            raise typer.Exit(2)
        try:
            emails = {email: name for name, email in read_annotators(str(annotators) if annotators else None).items()}
        except NarrascopeError as exc:
            typer.echo(f"narrascope: {exc}", err=True)
            raise typer.Exit(2) from None
        side, reader, failed = connect(str(db)), StoreReader(str(db)), False
        try:
            for path in files:
                try:
                    with reader.cursor() as cur:
                        got = import_file(str(path), cur, side, emails)
                except NarrascopeError as exc:
                    typer.echo(f"narrascope: {exc}", err=True)
                    failed = True
                    continue
                for error in got.errors:
                    typer.echo(f"narrascope: {error}", err=True)
                failed = failed or bool(got.errors)
                typer.echo(f"{path}: {got.imported} of {got.tasks} tasks imported, {got.written} corrections "
                           f"written" + (f", {len(got.errors)} tasks refused" if got.errors else ""))
        finally:
            reader.close()
            side.close()
        if failed:
            raise typer.Exit(1)
