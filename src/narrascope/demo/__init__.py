"""The bundled demo corpus: pages written for narrascope in the styles it reads.

Every page here is invented (outlets under ``.example``), so it can ship with the
package: WordPress and phpBB HTML, a syndicated copy, extracted plain text with a
Typepad-style thread, a listing page, an RSS feed, JSON Lines and a Reddit export.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).parent / "corpus"
#: layers ``analyze`` runs only when named; the demo shows every layer
OPT_IN = ["narratives", "claims"]


def run_demo(db: str) -> int:
    """Analyse the demo corpus into ``db`` and print what it holds; return the exit status."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from narrascope.cli_output import print_summary, progress_bar
    from narrascope.corpus import Corpus
    from narrascope.pipeline.component import default_components

    console = Console(width=None if Console().is_terminal else 140)
    with Corpus(db) as corpus:
        with progress_bar("demo") as advance:
            summary = corpus.analyze([str(CORPUS)], components=[*default_components(), *OPT_IN], progress=advance)
        print_summary(summary)
        table = Table(title=f"documents in {db}")
        for column in ("outlet", "kind", "lang", "published (UTC)", "title", "comments", "copy of"):
            table.add_column(column, overflow="fold")
        comments = Counter(c.id.rsplit("-c", 1)[0] for c in corpus.comments())
        for doc in corpus.documents():
            table.add_row(*(escape(str(v)) if v is not None else "" for v in (
                doc.outlet, doc.kind, doc.language, doc.published and doc.published.strftime("%Y-%m-%d %H:%M"),
                (doc.title or "")[:60], comments.get(doc.id, 0), doc.duplicate_of)))
        console.print(table)
        console.print(f"Explore further: narrascope export --db {db} --table comments --format csv")
    _how_to_open(console, db)
    return 0 if summary.ok else 1


def _how_to_open(console: Any, db: str) -> None:
    """Tell the analyst how to look at the analysed corpus: the web app, and the report (written if possible)."""
    from importlib.util import find_spec

    from rich.markup import escape

    install = ".venv/bin/pip install -e \".\\[server]\" && "
    serve = f"narrascope serve --db {escape(db)}  then open http://127.0.0.1:8000/"
    console.print("Web app: " + ("" if find_spec("fastapi") and find_spec("uvicorn") else install) + serve)
    report = str(Path(db).with_suffix(".html"))
    if find_spec("jinja2") is None:
        console.print(f"Report: {install}narrascope report --db {escape(db)} --out {escape(report)}")
        return
    from narrascope.web.report import write_report

    write_report(db, report)
    console.print(f"Report (one file, opens offline): {escape(Path(report).resolve().as_uri())}")
