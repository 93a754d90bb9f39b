"""Server-rendered pages: overview (with HTMX chart fragments), document, thread, narratives, search."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from narrascope.web import corrections, queries, tables, threadview, views
from narrascope.web.app import State, state

router = APIRouter(default_response_class=HTMLResponse)
AUTHOR_COOKIE = "narrascope_author"  # percent-encoded: a cookie header carries Latin-1 only
#: the largest offset a page or the API accepts (an out-of-range one is a 422, on pages and in the API alike)
MAX_OFFSET = 10**15
OFFSET = Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip (the next page starts at offset + limit).")
#: the layers whose spans an analyst can add in the document view, and their labels
SPAN_LAYERS = ("techniques", "claims", "narratives")
#: and to a comment: its toxic words too (hate speech, offensive or a toxic span the model missed)
COMMENT_SPAN_LAYERS = ("techniques", "toxicity", "claims", "narratives")


def author_of(request: Request) -> str:
    """The analyst's name remembered from the last correction (empty if none)."""
    return unquote(request.cookies.get(AUTHOR_COOKIE, ""))


def filters(outlet: str | None = None, start: str | None = None, end: str | None = None, language: str | None = None,
            technique: str | None = None, narrative: str | None = None) -> queries.Filters:
    return queries.Filters(outlet, start, end, language, technique, narrative)


def render(request: Request, st: State, name: str, **context: Any) -> Response:
    return st.templates.TemplateResponse(request, name, {"db": st.db, **context})


def charts_context(st: State, f: queries.Filters) -> dict[str, Any]:
    """The overview's counts, charts and top documents for these filters (cached per store version)."""
    def compute() -> dict[str, Any]:
        with st.reader.cursor() as cur:
            found: dict[str, Any] = {"overview": queries.overview(cur, f),
                                     "techniques": queries.layer_series(cur, "techniques", f),
                                     "narratives": queries.layer_series(cur, "narratives", f)}
        source = st.stats()
        with st.memory() as con:  # the same measures as the documents and threads tables
            for key, table in (("top", "documents"), ("top_threads", "threads")):
                view = tables.View(table, f, limit=10)
                found[key] = (view, tables.rows(con, source, view)[0])
        return found

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


def not_read(annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The passages layers did not read (their ``unsupported`` notes), once each: where, language, which layers."""
    passages: dict[tuple[int, int, str], list[str]] = {}
    for a in annotations:
        if a["label"] == "unsupported":
            language = (a.get("data") or {}).get("language") or "?"
            passages.setdefault((a["start_char"], a["end_char"], language), []).append(a["layer"])
    return [{"start": s, "end": e, "language": lang, "layers": sorted(set(layers))}
            for (s, e, lang), layers in sorted(passages.items())]


@router.get("/documents/{document_id}")
def document(request: Request, document_id: str, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        doc = views.document(cur, document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id!r}")
    fixes = corrections.latest(st.side.db, [document_id])
    doc["annotations"] = doc["annotations"] + corrections.added(st.side.db, [document_id])  # spans analysts added
    unread = not_read(doc["unread"])
    spans = [a for a in doc["annotations"] if a["layer"] == "techniques"
             and fixes.get(a["id"], {}).get("action") != "reject"]
    shown = [{**a, "label": fixes[a["id"]]["label"]} if a["id"] in fixes else a for a in spans]
    layers: dict[str, list[dict[str, Any]]] = {}
    for a in doc["annotations"]:
        layers.setdefault(a["layer"], []).append(a)
    return render(request, st, "document.html", doc=doc, spans=shown, layers=layers, fixes=fixes, unread=unread,
                  author=author_of(request),
                  span_layers=span_layers())


@router.get("/threads/{document_id}")
def thread(request: Request, document_id: str, offset: int = OFFSET, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        doc = views.document(cur, document_id)
        if doc is None:
            raise HTTPException(404, f"no document {document_id!r}")
        found = views.thread(cur, document_id, views.THREAD_PAGE, offset, st.offensive_threshold)
        summary = threadview.summary(cur, document_id)
        signals, hidden = threadview.explained_signals(found["signals"], threadview.pace(cur, document_id))
    fixes = corrections.latest(st.side.db, [c["id"] for c in found["comments"]])
    added = corrections.added(st.side.db, [c["id"] for c in found["comments"]])
    for c in found["comments"]:
        c["added"] = [a for a in added if a["target_id"] == c["id"]]  # spans analysts added to it
        c["added_toxic"] = [a for a in c["added"] if a["layer"] == "toxicity"  # shown in place like the model's
                            and fixes.get(a["id"], {}).get("action") != "reject"]
        shown = [c["toxicity"]] if c["toxicity"] and c["toxicity"]["label"] != "normal" else []  # normal: no news
        c["groups"] = threadview.label_groups(shown + c["labels"])
        c["claims"] = [a for a in c["labels"] if a["layer"] == "claims" and a["label"] == "claim"]
    return render(request, st, "thread.html", doc=doc, thread=found, offset=offset, fixes=fixes, summary=summary,
                  signals=signals, hidden_signals=hidden, author=author_of(request), fixable=views.fixable)


@router.get("/comments/{comment_id}/fix")
def comment_fix(request: Request, comment_id: str, st: State = Depends(state)) -> Response:
    """A comment's correction form: bare for the thread page's htmx request, else on a page of its own."""
    with st.reader.cursor() as cur:
        found = views.comment(cur, comment_id)
        where = views.comment_page(cur, comment_id)
    if found is None or where is None:
        raise HTTPException(404, f"no comment {comment_id!r}")
    found["added"] = corrections.added(st.side.db, [comment_id])
    anns = views.fixable(found)  # none: the form only adds a label or span the model missed
    thread = f"/threads/{quote(where[0], safe='')}" + (f"?offset={where[1]}" if where[1] else "")
    # with the form to add a span the model missed (posted to /spans, like the document page's)
    context = {"c": found, "anns": anns, "author": author_of(request),
               "span_layers": span_layers(COMMENT_SPAN_LAYERS)}
    if request.headers.get("hx-request") == "true":
        response = render(request, st, "comment_form.html", **context)
    else:
        response = render(request, st, "comment_fix.html", **context,
                          thread=f"{thread}#{quote(comment_id, safe='')}")
    response.headers["Vary"] = "HX-Request"  # one URL, two bodies: no cache may mix them up
    return response


@router.get("/annotations/{annotation_id}/explain")
def explain(request: Request, annotation_id: str, st: State = Depends(state)) -> Response:
    """A label's explanation (its popover's content): bare for htmx, else a page of its own."""
    with st.reader.cursor() as cur:
        found = views.annotation(cur, annotation_id)
        where = views.comment_page(cur, found["target_id"]) if found and found["target_type"] == "comment" else None
    if found is None:
        raise HTTPException(404, f"no annotation {annotation_id!r}")
    if request.headers.get("hx-request") == "true":
        response = render(request, st, "popover.html", a=found)
    else:
        back = (f"/threads/{quote(where[0], safe='')}" + (f"?offset={where[1]}" if where[1] else "")
                if where else f"/documents/{quote(found['target_id'], safe='')}")
        response = render(request, st, "explain.html", a=found, back=f"{back}#a-{quote(annotation_id, safe='')}")
    response.headers["Vary"] = "HX-Request"
    return response


@router.get("/narratives")
def narratives(request: Request, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        found = views.narratives(cur)
    return render(request, st, "narratives.html", found=found)


@router.get("/narratives/{narrative_id}")
def narrative(request: Request, narrative_id: str, st: State = Depends(state)) -> Response:
    with st.reader.cursor() as cur:
        found = views.narrative(cur, narrative_id, threshold=st.offensive_threshold)
    if found is None:
        raise HTTPException(404, f"no narrative or discovered cluster {narrative_id!r}; /narratives lists them")
    return render(request, st, "narrative.html", n=found)


@router.post("/corrections")
def correct(request: Request, annotation_id: str = Form(...), action: str = Form(...), author: str = Form(""),
            label: str = Form(""), note: str = Form(""), token: str | None = Form(None),
            st: State = Depends(state)) -> Response:
    from narrascope.errors import NarrascopeError

    st.check_write(request, token)
    where: tuple[str, int] | None = None
    with st.reader.cursor() as cur:
        found = views.annotation(cur, annotation_id) or corrections.added_span(st.side.db, annotation_id)
        if found is not None and found["target_type"] == "comment":
            where = views.comment_page(cur, found["target_id"])
    if found is None:
        raise HTTPException(404, f"no annotation {annotation_id!r}")
    try:
        corrections.check(found, action, author, label, note)
    except NarrascopeError as exc:
        raise HTTPException(400, str(exc)) from None
    if found["target_type"] == "document":
        page = f"/documents/{quote(found['target_id'], safe='')}"
    else:  # the thread page that shows this comment
        doc_id, offset = where or (found["target_id"].split("-c", 1)[0], 0)
        page = f"/threads/{quote(doc_id, safe='')}" + (f"?offset={offset}" if offset else "")
    # the whole response is built before the write: nothing is saved if it could not be sent
    response = RedirectResponse(f"{page}#a-{quote(annotation_id, safe='')}", status_code=303)
    response.set_cookie(AUTHOR_COOKIE, quote(author.strip()[:200], safe=""), httponly=True, samesite="strict")
    try:
        corrections.add(st.side.db, found, action, author, label, note)
    except NarrascopeError as exc:
        raise HTTPException(400, str(exc)) from None
    return response


@router.post("/spans")
def add_span(request: Request, target_id: str = Form(...), layer: str = Form(...), label: str = Form(""),
             quote: str = Form(""), occurrence: int | None = Form(None, ge=1, le=1000), author: str = Form(""),
             note: str = Form(""), token: str | None = Form(None), st: State = Depends(state)) -> Response:
    """Add a span the model missed: the analyst quotes its words (and which appearance, if several)."""
    from narrascope.errors import NarrascopeError

    st.check_write(request, token)
    try:
        with st.reader.cursor() as cur:
            found = corrections.target_text(cur, target_id)
            if found is None:
                raise HTTPException(404, f"no document or comment {target_id!r}")
            where = views.comment_page(cur, target_id) if found[0] == "comment" else None
            corrections.check_text(author=author, label=label, note=note)
            if not author.strip():
                raise NarrascopeError("a correction needs the analyst's name (author)")
            start, end = corrections.locate(found[1], quote, occurrence)
            span_id = corrections.span_id(target_id, layer, start, end, label.strip())
    except NarrascopeError as exc:
        raise HTTPException(400, str(exc)) from None
    if where is None:
        page = f"/documents/{quote_url(target_id)}"
    else:
        page = f"/threads/{quote_url(where[0])}" + (f"?offset={where[1]}" if where[1] else "")
    response = RedirectResponse(f"{page}#a-{quote_url(span_id)}", status_code=303)
    response.set_cookie(AUTHOR_COOKIE, quote_url(author.strip()[:200]), httponly=True, samesite="strict")
    try:  # the response is built first: nothing is saved if it could not be sent
        corrections.add_span(st.side.db, (target_id, found[0], found[1]), layer, start, end, label, author, note)
    except NarrascopeError as exc:
        raise HTTPException(400, str(exc)) from None
    return response


def span_layers(layers: tuple[str, ...] = SPAN_LAYERS) -> dict[str, tuple[str, ...]]:
    """The layers a span may be added to, each with the labels its component declares for a span."""
    return {layer: corrections.span_labels(layer) for layer in layers}


def quote_url(text: str) -> str:
    return quote(text, safe="")
