"""Coordination clusters in the web app: the list, and one cluster's page with its network and evidence.

The clusters are the ``network_cluster`` signals that ``narrascope networks --clusters`` and
``narrascope threads`` store. The network picture is an SVG drawn on the server: members on a
circle, edges as lines as thick as their weight; every label is escaped by the template.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from narrascope.coordination.clusters import mask_cluster
from narrascope.toxicity.masking import mask_sql
from narrascope.web.app import State, state

router = APIRouter(default_response_class=HTMLResponse)
#: the picture's size in pixels, and how many members it draws (the rest are listed)
SIZE, MOST = 420, 40


def layout(members: list[str], edges: list[list[Any]]) -> dict[str, Any]:
    """Positions for the SVG: members on a circle (as many as :data:`MOST`), edges between them."""
    drawn = members[:MOST]
    radius = SIZE / 2 - 70
    at = {m: (SIZE / 2 + radius * math.cos(2 * math.pi * k / max(len(drawn), 1) - math.pi / 2),
              SIZE / 2 + radius * math.sin(2 * math.pi * k / max(len(drawn), 1) - math.pi / 2))
          for k, m in enumerate(drawn)}
    heaviest = max((float(w) for _, _, w in edges), default=1.0) or 1.0
    lines = [{"x1": at[a][0], "y1": at[a][1], "x2": at[b][0], "y2": at[b][1], "source": a, "target": b,
              "weight": w, "width": 1 + 5 * float(w) / heaviest} for a, b, w in edges if a in at and b in at]
    nodes = [{"id": m, "x": x, "y": y, "anchor": "start" if x >= SIZE / 2 else "end",
              "dx": 10 if x >= SIZE / 2 else -10} for m, (x, y) in at.items()]
    return {"size": SIZE, "nodes": nodes, "lines": lines, "left_out": len(members) - len(drawn)}


def _clusters(cur: Any, signal_id: str | None = None) -> list[dict[str, Any]]:
    where = "kind = 'network_cluster'" + (" AND id = ?" if signal_id else "")
    rows = cur.execute(f"SELECT id, score, summary, authors, document_ids, evidence FROM signals WHERE {where} "
                       "ORDER BY score DESC, id", [signal_id] if signal_id else []).fetchall()
    return [{"id": i, "score": s, "summary": m, "members": list(a or []), "documents": list(d or []),
             **json.loads(e or "{}")} for i, s, m, a, d, e in rows]


@router.get("/clusters")
def clusters(request: Request, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        found = _clusters(cur)
    return st.templates.TemplateResponse(request, "clusters.html", {"db": st.db, "clusters": found})


@router.get("/clusters/{signal_id}")
def cluster(request: Request, signal_id: str, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        found = _clusters(cur, signal_id)
        if not found:
            raise HTTPException(404, f"no coordination cluster {signal_id!r}")
        docs = found[0]["documents"]
        titles = dict(cur.execute("SELECT id, coalesce(nullif(title, ''), id) FROM documents "
                                  "WHERE list_contains(?, id)", [docs]).fetchall()) if docs else {}
        ids = [i for item in found[0].get("co_actions_shown", []) for i in item["ids"]]
        flagged = dict(cur.execute("SELECT t.target_id, t.label FROM annotations t WHERE t.layer = 'toxicity' AND "
                                   f"{mask_sql(st.offensive_threshold)} AND list_contains(?, t.target_id)",
                                   [ids]).fetchall()) if ids else {}
    c = found[0]
    mask_cluster(c, flagged, option="open the thread")  # flagged text stays behind its label, as on thread pages
    return st.templates.TemplateResponse(request, "cluster.html", {
        "db": st.db, "c": c, "titles": titles, "picture": layout(c["members"], c.get("edges", []))})
