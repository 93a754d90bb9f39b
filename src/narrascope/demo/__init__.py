"""The bundled demo corpus: pages written for narrascope in the styles it reads.

Every page here is invented (outlets under ``.example``), so it can ship with the
package: WordPress and phpBB HTML, a syndicated copy, extracted plain text with a
Typepad-style thread, a listing page, an RSS feed, JSON Lines and a Reddit export.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"


def run_demo(db: str) -> int:
    """Analyse the demo corpus into ``db`` and print what it holds; return the exit status."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from narrascope.cli_output import print_summary, progress_bar
    from narrascope.corpus import Corpus

    console = Console(width=None if Console().is_terminal else 140)
    with Corpus(db) as corpus:
        with progress_bar("demo") as advance:
            summary = corpus.analyze([str(CORPUS)], progress=advance)
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
    return 0 if summary.ok else 1
