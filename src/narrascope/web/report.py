"""``narrascope report``: one self-contained HTML file (inline CSS, inline SVG, no script, no request).

It carries the overview and charts, the documents table (technique density), the most flagged
threads (toxic words masked), the densest documents with their highlights and label popovers, and
the glossary with each layer's model and version. Jinja2 is a core dependency, so ``narrascope
demo`` writes it on the base install.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from narrascope.web import queries, tables, threadview, views
from narrascope.web.reader import StoreReader
from narrascope.web.render import HERE, environment


def technique_table(cur: Any) -> list[tuple[str, int, int, float]]:
    """Per technique: spans, documents carrying it and mean score."""
    rows = cur.execute(f"SELECT label, count(*), count(DISTINCT document_id), avg(score) FROM {queries.ANN} "
                       "WHERE layer = 'techniques' GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    return [(r[0], int(r[1]), int(r[2]), float(r[3] or 0)) for r in rows]


def threads_section(cur: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The most flagged threads: their summary, explained signals and flagged comments (toxic words masked)."""
    out = []
    for row in rows:
        if not row["flagged"]:
            continue
        found = views.thread(cur, row["id"], views.THREAD_PAGE, 0)
        signals, hidden = threadview.explained_signals(found["signals"], threadview.pace(cur, row["id"]))
        flagged = [c for c in found["comments"] if c["toxicity"] and c["toxicity"]["label"] in ("hatespeech",
                                                                                                 "offensive")]
        for c in flagged:
            c["groups"] = threadview.label_groups([c["toxicity"], *c["labels"]])
        out.append({**row, "summary": threadview.summary(cur, row["id"]), "signals": signals, "hidden": hidden,
                    "flagged_comments": flagged})
    return out


def gather(cur: Any, top: int) -> dict[str, Any]:
    """Everything the report shows, read in one short read-only session."""
    f = queries.Filters()
    cur.execute(f"CREATE OR REPLACE TEMP TABLE report_stats AS {tables.STATS}")  # the tables' measures, once
    document_view = tables.View("documents", f, limit=max(top, 50))
    document_rows = tables.rows(cur, "report_stats", document_view)[0]
    thread_view = tables.View("threads", f, sort="flagged", limit=20)
    thread_rows = tables.rows(cur, "report_stats", thread_view)[0]
    docs = []
    for row in document_rows[:top]:
        doc = views.document(cur, row["id"])
        if doc is not None:
            doc["spans"] = [a for a in doc["annotations"] if a["layer"] == "techniques"]
            doc["claims"] = [a for a in doc["annotations"] if a["layer"] == "claims"]
            doc["narrative_labels"] = sorted({a["data"].get("name") or a["label"] for a in doc["annotations"]
                                              if a["layer"] == "narratives"})
            doc["density"] = row["density"]
            docs.append(doc)
    narratives = views.narratives(cur)
    narratives["narratives"] = [n for n in narratives["narratives"] if n["documents"]]
    return {"overview": queries.overview(cur, f), "techniques": queries.layer_series(cur, "techniques", f),
            "narrative_series": queries.layer_series(cur, "narratives", f), "technique_table": technique_table(cur),
            "narratives": narratives, "documents": docs, "document_table": (document_view, document_rows),
            "thread_table": (thread_view, thread_rows), "threads": threads_section(cur, thread_rows[:5])}


def findings(context: dict[str, Any]) -> dict[str, Any]:
    """The top findings of a gathered report: the densest article and its techniques, the most flagged
    thread, the narratives found (``None`` / empty where the store has none)."""
    articles = [r for r in context["document_table"][1] if r["body_techniques"] and r["kind"] == "article"]
    threads = [r for r in context["thread_table"][1] if r["flagged"]]
    return {"densest": articles[0] if articles else None, "flagged_thread": threads[0] if threads else None,
            "narratives": [(n["name"], n["documents"]) for n in context["narratives"]["narratives"]]}


def write_report(db: str, out: str | Path, top: int = 10, found: dict[str, Any] | None = None) -> float:
    """Write the report of the store at ``db`` to ``out``; return the seconds it took."""
    started = time.perf_counter()
    reader = StoreReader(db, wait=30)
    try:
        with reader.cursor() as cur:
            context = gather(cur, top)
            if found is not None:  # the caller wants the top findings too (narrascope demo prints them)
                found.update(findings(context))
    finally:
        reader.close()
    css = (HERE / "static" / "app.css").read_text(encoding="utf-8")
    env = environment()
    env.globals["glossary_url"] = ""  # the glossary is in the report: its links stay in the file
    html = env.get_template("report.html").render(db=Path(db).name, css=css, generated=time.strftime(
        "%Y-%m-%d %H:%M UTC", time.gmtime()), **context)
    Path(out).write_text(html, encoding="utf-8")
    return time.perf_counter() - started
