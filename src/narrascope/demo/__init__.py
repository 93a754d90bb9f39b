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
    """Write the report beside the store, print its path and the top findings, and how to open the web app."""
    from importlib.util import find_spec

    from rich.markup import escape

    from narrascope.web.report import write_report

    report = Path(db).with_suffix(".html")
    found: dict[str, Any] = {}
    write_report(db, report, found=found)
    print_findings(console, found)
    console.print(f"Report (one file, opens offline): {escape(report.resolve().as_uri())}")
    install = ".venv/bin/pip install -e \".\\[server]\" && "
    serve = f"narrascope serve --db {escape(db)}  then open http://127.0.0.1:8000/"
    console.print("Web app: " + ("" if find_spec("fastapi") and find_spec("uvicorn") else install) + serve)


def print_findings(console: Any, found: dict[str, Any]) -> None:
    """The densest article and its techniques, the most flagged thread and the narratives found, in words."""
    from rich.markup import escape

    def say(line: str) -> None:  # one finding, one line (copied into notes, grepped in tests): not wrapped
        console.print(line, soft_wrap=True)

    say("[bold]Top findings[/bold]")
    densest = found.get("densest")
    if densest:
        techniques = ", ".join(densest["techniques"][:4]) + (" …" if len(densest["techniques"]) > 4 else "")
        say(f"  Densest article: {escape(densest['title'])} ({escape(densest['outlet'] or 'unknown outlet')})"
                      f" — {densest['density']:.1f} technique spans per 1,000 characters of body "
                      f"({densest['body_techniques']} span{'s' if densest['body_techniques'] != 1 else ''}): "
                      f"{escape(techniques)}")
    else:
        say("  Densest article: no technique span found (the techniques layer found nothing or did not run)")
    thread = found.get("flagged_thread")
    if thread:
        say(f"  Most flagged thread: {escape(thread['title'])} — {thread['flagged']} of {thread['comments']} "
                      f"comments flagged ({thread['flagged_share']:.0%}), {thread['hatespeech']} hate speech")
    else:
        say("  Most flagged thread: no comment labelled hate speech or offensive")
    narratives = found.get("narratives") or []
    if narratives:
        say("  Narratives found: " + "; ".join(f"{escape(name)} ({n} document{'s' if n != 1 else ''})"
                                                          for name, n in narratives[:6])
                      + (f"; and {len(narratives) - 6} more" if len(narratives) > 6 else ""))
    else:
        say("  Narratives found: none")
