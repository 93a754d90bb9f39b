"""``narrascope serve`` (the web app) and ``narrascope report`` (one self-contained HTML file)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import typer

SERVER_EXTRA = "the web app needs the [server] extra: .venv/bin/pip install -e \".[server]\""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(groups: dict[str, typer.Typer]) -> None:
    """Add ``narrascope serve`` and ``narrascope report`` to the top-level commands."""

    @groups[""].command("serve")
    def serve(
        db: Path = typer.Option(..., "--db", help="DuckDB store written by narrascope ingest / analyze."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; other than loopback needs --token."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        token: str | None = typer.Option(None, "--token", envvar="NARRASCOPE_TOKEN",
                                         help="Secret every write must carry (open the app once with ?token=T)."),
        offensive_threshold: float | None = typer.Option(
            None, "--offensive-threshold", min=0.0, max=1.0,
            help="Hide comments labelled offensive from this score on (default: the model card's calibrated "
                 "threshold); hatespeech is always hidden."),
    ) -> None:
        """Serve the analyst's web app (overview, documents, threads, narratives, search, corrections, API)."""
        if not db.exists():
            raise typer.BadParameter(f"{db}: no such store; create it with narrascope ingest or narrascope demo",
                                     param_hint="--db")
        if not is_loopback(host) and not token:
            raise typer.BadParameter(f"binding to {host} exposes the app to the network: give --token so that "
                                     "every write needs it", param_hint="--token")
        try:
            import uvicorn

            from narrascope.web.app import create_app
        except ImportError:
            typer.echo(f"narrascope: {SERVER_EXTRA}", err=True)
            raise typer.Exit(2) from None
        app = create_app(str(db), token=token, offensive_threshold=offensive_threshold)
        typer.echo(f"narrascope: serving {db} on http://{host}:{port}/" + (f"?token={token}" if token else ""))
        uvicorn.run(app, host=host, port=port, log_level="warning")

    @groups[""].command("report")
    def report(
        db: Path = typer.Option(..., "--db", help="DuckDB store written by narrascope ingest / analyze."),
        out: Path = typer.Option(Path("report.html"), "--out", help="HTML file to write."),
        top: int = typer.Option(10, "--top", help="Documents shown with their highlights."),
    ) -> None:
        """Write one self-contained HTML report (overview, top documents, narratives, techniques, charts)."""
        from narrascope.errors import NarrascopeError

        if not db.exists():
            raise typer.BadParameter(f"{db}: no such store; create it with narrascope ingest or narrascope demo",
                                     param_hint="--db")
        from narrascope.web.report import write_report

        try:
            seconds = write_report(str(db), out, top=top)
        except NarrascopeError as exc:
            typer.echo(f"narrascope: {exc}", err=True)
            raise typer.Exit(2) from None
        typer.echo(f"narrascope: wrote {out} in {seconds:.1f} s; it opens offline in any browser")
