"""The documents and threads tables (as pages and as CSV / Parquet / JSON Lines), the glossary and the API docs."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.background import BackgroundTask

from narrascope.store.export import EXPORT_FORMATS, csv_safe_query
from narrascope.web import hits, queries, tables
from narrascope.web.app import State, state
from narrascope.web.pages import OFFSET, filters, render
from narrascope.web.sidefile import search_keys, search_terms

router = APIRouter(default_response_class=HTMLResponse)
SEARCH_PAGE = 20
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv", "parquet": "application/vnd.apache.parquet"}
FORMAT = Query("html", pattern="^(html|json|jsonl|csv|parquet)$",
               description="html (the page), json (this page's rows), or jsonl, csv, parquet: every row that "
                           "matches, in the order shown")


def export_rows(con: Any, sql: str, params: list[Any], fmt: str, name: str) -> FileResponse:
    """Every row of ``sql`` as a ``fmt`` file download (lists joined with "; " in CSV, formula cells defused)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE export_rows AS {sql}", params)
    query = "SELECT * FROM export_rows"
    if fmt == "csv":
        lists = [r[0] for r in con.execute("DESCRIBE export_rows").fetchall() if str(r[1]).endswith("[]")]
        if lists:
            query = "SELECT * REPLACE (" + ", ".join(f"array_to_string({c}, '; ') AS {c}" for c in lists) + \
                    ") FROM export_rows"
        query = csv_safe_query(con, query)
    tmp = tempfile.mkdtemp(prefix="narrascope-export-")
    path = Path(tmp) / f"{name}.{fmt}"
    try:
        con.execute(f"COPY ({query}) TO '{str(path).replace(chr(39), '')}' ({EXPORT_FORMATS[fmt]})")
        con.execute("DROP TABLE export_rows")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return FileResponse(path, media_type=MEDIA[fmt], filename=path.name,
                        background=BackgroundTask(shutil.rmtree, tmp, True))


def table_page(request: Request, st: State, view: tables.View, fmt: str) -> Response:
    source = st.stats()
    with st.memory() as con:
        if fmt in MEDIA:
            sql, params = view.query(source, paged=False)
            return export_rows(con, sql, params, fmt, view.table)
        found, total = tables.rows(con, source, view)
    if fmt == "json":
        return JSONResponse(jsonable_encoder({"items": found, "total": total, "limit": view.limit,
                                              "offset": view.offset}))

    def choices() -> dict[str, list[str]]:
        with st.reader.cursor() as cur:
            return queries.choices(cur)

    return render(request, st, "table.html", view=view, rows=found, total=total, choices=st.cached("choices", choices))


@router.get("/documents")
def documents(request: Request, f: queries.Filters = Depends(filters), q: str = "", sort: str = "", order: str = "",
              offset: int = OFFSET, format: str = FORMAT, st: State = Depends(state)) -> Response:
    """Every document with its technique density (spans per 1,000 characters of article body), narratives,
    claims, comments and flagged comments; sortable by any column, filtered as the overview."""
    return table_page(request, st, tables.View("documents", f, q, sort, order, offset=offset), format)


@router.get("/threads")
def threads(request: Request, f: queries.Filters = Depends(filters), q: str = "", sort: str = "", order: str = "",
            offset: int = OFFSET, format: str = FORMAT, st: State = Depends(state)) -> Response:
    """Every comment thread with its comments, authors, flagged share, hate speech, techniques, narratives
    and coordination signals; sortable by any column."""
    return table_page(request, st, tables.View("threads", f, q, sort, order, offset=offset), format)


@router.get("/search")
def search(request: Request, q: str = "", kind: str = "documents", language: str = "", offset: int = OFFSET,
           format: str = FORMAT, st: State = Depends(state)) -> Response:
    """Full-text search over documents or comments: each word in any of its spellings and scripts (Cyrillic or
    Latin), titled hits with their language and a snippet around the words found (toxic words masked),
    ``language`` keeping texts in that language only; the hits shown export as CSV, Parquet or JSON Lines."""
    kind = "comments" if kind == "comments" else "documents"
    found = st.side.search(q, kind, SEARCH_PAGE, offset, language or None) if q.strip() else []
    with st.reader.cursor() as cur:
        total = int(cur.execute("SELECT count(*) FROM documents").fetchone()[0])
        labelled = kind == "comments" or st.cached("toxic documents", lambda: cur.execute(
            "SELECT count(*) FROM annotations WHERE layer = 'toxicity' AND target_type = 'document'").fetchone()[0] > 0)
        shown = hits.shape(cur, found, kind, search_terms(q), st.offensive_threshold, labelled, search_keys(q))
        languages = st.cached("choices", lambda: queries.choices(cur))["languages"]
    if format in MEDIA or format == "json":
        rows = [{"kind": kind[:-1], "id": h["id"], "title": h["title"], "author": h.get("author"),
                 "language": h["language"], "snippet": "".join(p for p, _ in h["pieces"]), "flag": h["flag"],
                 "link": f"/threads/{h['document_id']}#{h['id']}" if kind == "comments" else f"/documents/{h['id']}"}
                for h in shown]
        if format == "json":
            return JSONResponse({"items": rows, "offset": offset})
        with st.memory() as con:
            con.execute("CREATE TEMP TABLE hits (kind VARCHAR, id VARCHAR, title VARCHAR, author VARCHAR, "
                        "language VARCHAR, snippet VARCHAR, flag VARCHAR, link VARCHAR)")
            if rows:
                con.executemany("INSERT INTO hits VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [list(r.values()) for r in rows])
            return export_rows(con, "SELECT * FROM hits", [], format, "search")
    asked = {"q": q, "kind": kind, **({"language": language} if language else {})}
    return render(request, st, "search.html", q=q, kind=kind, language=language, languages=languages, hits=shown,
                  offset=offset, page=SEARCH_PAGE, indexed=st.side.indexed(), total=total,
                  export=lambda fmt: urlencode({**asked, "offset": offset, "format": fmt}),
                  next_page=urlencode({**asked, "offset": offset + SEARCH_PAGE}))


@router.get("/glossary")
def glossary(request: Request, st: State = Depends(state)) -> Response:
    """The techniques, narratives, claims and toxicity labels: definitions, examples, sources, models."""
    return render(request, st, "glossary.html")


@router.get("/docs")
def api_docs(request: Request, st: State = Depends(state)) -> Response:
    """The REST API in words: each endpoint, its parameters and what it returns (from the OpenAPI schema)."""
    schema = request.app.openapi()
    endpoints = []
    for path, methods in schema.get("paths", {}).items():
        if not path.startswith("/api"):
            continue
        for method, op in methods.items():
            params = [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""), "params": params,
                              "body": "requestBody" in op})
    if not endpoints:
        raise HTTPException(500, "the API schema lists no endpoint")
    return render(request, st, "docs.html", endpoints=endpoints)
