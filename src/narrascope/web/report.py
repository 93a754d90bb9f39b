"""``narrascope report``: one self-contained HTML file (inline CSS, inline SVG, no script, no request)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from narrascope.web import queries, views
from narrascope.web.reader import StoreReader
from narrascope.web.render import HERE, environment


def technique_table(cur: Any) -> list[tuple[str, int, int, float]]:
    """Per technique: spans, documents carrying it and mean score."""
    rows = cur.execute(f"SELECT label, count(*), count(DISTINCT document_id), avg(score) FROM {queries.ANN} "
                       "WHERE layer = 'techniques' GROUP BY 1 ORDER BY 2 DESC, 1").fetchall()
    return [(r[0], int(r[1]), int(r[2]), float(r[3] or 0)) for r in rows]


def gather(cur: Any, top: int) -> dict[str, Any]:
    """Everything the report shows, read in one short read-only session."""
    f = queries.Filters()
    docs = []
    for row in queries.top_documents(cur, f, top):
        doc = views.document(cur, row["id"])
        if doc is not None:
            doc["spans"] = [a for a in doc["annotations"] if a["layer"] == "techniques"]
            doc["narrative_labels"] = sorted({a["data"].get("name") or a["label"] for a in doc["annotations"]
                                              if a["layer"] == "narratives"})
            docs.append(doc)
    narratives = views.narratives(cur)
    narratives["narratives"] = [n for n in narratives["narratives"] if n["documents"]]
    return {"overview": queries.overview(cur, f), "techniques": queries.layer_series(cur, "techniques", f),
            "narrative_series": queries.layer_series(cur, "narratives", f), "technique_table": technique_table(cur),
            "narratives": narratives, "documents": docs}


def write_report(db: str, out: str | Path, top: int = 10) -> float:
    """Write the report of the store at ``db`` to ``out``; return the seconds it took."""
    started = time.perf_counter()
    reader = StoreReader(db, wait=30)
    try:
        with reader.cursor() as cur:
            context = gather(cur, top)
    finally:
        reader.close()
    css = (HERE / "static" / "app.css").read_text(encoding="utf-8")
    html = environment().get_template("report.html").render(db=Path(db).name, css=css, generated=time.strftime(
        "%Y-%m-%d %H:%M UTC", time.gmtime()), **context)
    Path(out).write_text(html, encoding="utf-8")
    return time.perf_counter() - started
