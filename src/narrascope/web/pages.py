"""Server-rendered pages: overview (with HTMX chart fragments), document, thread, narratives, search."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from narrascope.web import corrections, queries, views
from narrascope.web.app import State, state

router = APIRouter(default_response_class=HTMLResponse)


def filters(outlet: str | None = None, start: str | None = None, end: str | None = None, language: str | None = None,
            technique: str | None = None, narrative: str | None = None) -> queries.Filters:
    return queries.Filters(outlet, start, end, language, technique, narrative)


def render(request: Request, st: State, name: str, **context: Any) -> Response:
    return st.templates.TemplateResponse(request, name, {"db": st.db, **context})


def charts_context(st: State, f: queries.Filters) -> dict[str, Any]:
    """The overview's counts, charts and top documents for these filters (cached per store version)."""
    def compute() -> dict[str, Any]:
        with st.reader.cursor() as cur:
            return {"overview": queries.overview(cur, f), "techniques": queries.layer_series(cur, "techniques", f),
                    "narratives": queries.layer_series(cur, "narratives", f),
                    "top": queries.top_documents(cur, f, 20)}

    return {"f": f, "query": urlencode(f.query()), **st.cached(("charts", tuple(f.query().items())), compute)}


@router.get("/")
def overview(request: Request, f: queries.Filters = Depends(filters), st: State = Depends(state)) -> Response:
    def choices() -> dict[str, list[str]]:
        with st.reader.cursor() as cur:
            return queries.choices(cur)

    return render(request, st, "overview.html", choices=st.cached("choices", choices), **charts_context(st, f))


@router.get("/fragments/charts")
def charts_fragment(request: Request, f: queries.Filters = Depends(filters), st: State = Depends(state)) -> Response:
    return render(request, st, "charts.html", **charts_context(st, f))


@router.get("/documents/{document_id}")
def document(request: Request, document_id: str, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        doc = views.document(cur, document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id!r}")
    fixes = corrections.latest(st.side.db, [document_id])
    spans = [a for a in doc["annotations"] if a["layer"] == "techniques"
             and fixes.get(a["id"], {}).get("action") != "reject"]
    shown = [{**a, "label": fixes[a["id"]]["label"]} if a["id"] in fixes else a for a in spans]
    layers: dict[str, list[dict[str, Any]]] = {}
    for a in doc["annotations"]:
        layers.setdefault(a["layer"], []).append(a)
    return render(request, st, "document.html", doc=doc, spans=shown, layers=layers, fixes=fixes,
                  author=request.cookies.get("narrascope_author", ""))


@router.get("/threads/{document_id}")
def thread(request: Request, document_id: str, offset: int = 0, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        doc = views.document(cur, document_id)
        if doc is None:
            raise HTTPException(404, f"no document {document_id!r}")
        found = views.thread(cur, document_id, 500, max(0, offset))
    return render(request, st, "thread.html", doc=doc, thread=found, offset=max(0, offset))


@router.get("/narratives")
def narratives(request: Request, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        found = views.narratives(cur)
    return render(request, st, "narratives.html", found=found)


@router.get("/narratives/{narrative_id}")
def narrative(request: Request, narrative_id: str, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        found = views.narrative(cur, narrative_id)
    return render(request, st, "narrative.html", n=found)


@router.get("/search")
def search(request: Request, q: str = "", kind: str = "documents", offset: int = 0,
           st: State = Depends(state)) -> Response:
    kind = "comments" if kind == "comments" else "documents"
    hits = st.side.search(q, kind, 20, max(0, offset)) if q.strip() else []
    with st.reader.cursor() as cur:
        total = int(cur.execute("SELECT count(*) FROM documents").fetchone()[0])
        if kind == "comments" and hits:  # flagged comments stay behind their content warning here too
            flagged = dict(cur.execute(
                "SELECT target_id, label FROM annotations WHERE layer = 'toxicity' AND label IN ('hatespeech', "
                "'offensive') AND target_id IN (SELECT unnest(?))", [[h["id"] for h in hits]]).fetchall())
            for h in hits:
                h["flag"] = flagged.get(h["id"])
    return render(request, st, "search.html", q=q, kind=kind, hits=hits, offset=max(0, offset),
                  indexed=st.side.indexed(), total=total)


@router.post("/corrections")
def correct(request: Request, annotation_id: str = Form(...), action: str = Form(...), author: str = Form(""),
            label: str = Form(""), note: str = Form(""), token: str | None = Form(None),
            st: State = Depends(state)) -> Response:
    from narrascope.errors import NarrascopeError

    st.check_write(request, token)
    with st.reader.cursor() as cur:
        found = views.annotation(cur, annotation_id)
    if found is None:
        raise HTTPException(404, f"no annotation {annotation_id!r}")
    try:
        corrections.add(st.side.db, found, action, author, label, note)
    except NarrascopeError as exc:
        raise HTTPException(400, str(exc)) from None
    doc_id = found["target_id"].split("-c", 1)[0]
    page = f"/documents/{doc_id}" if found["target_type"] == "document" else f"/threads/{doc_id}"
    response = RedirectResponse(f"{page}#a-{annotation_id}", status_code=303)
    response.set_cookie("narrascope_author", author.strip()[:200], httponly=True, samesite="strict")
    return response
