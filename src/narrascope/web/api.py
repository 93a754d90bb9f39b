"""The REST API under ``/api`` (OpenAPI at ``/openapi.json``): paginated reads, corrections, exports."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field, field_validator
from starlette.background import BackgroundTask

from narrascope.store.schema import INTERNAL_TABLES
from narrascope.web import corrections, queries, views
from narrascope.web.app import State, state
from narrascope.web.pages import MAX_OFFSET, OFFSET, filters
from narrascope.web.sidefile import side_path

router = APIRouter()
LIMIT = Query(50, ge=1, le=1000, description="Page size.")
FORMATS = {"jsonl": ("FORMAT json", "application/x-ndjson"), "csv": ("FORMAT csv, HEADER", "text/csv"),
           "parquet": ("FORMAT parquet", "application/vnd.apache.parquet")}


def page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page with the offset of the next (None at the end)."""
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(items) == limit else None}


def checked_filters(f: queries.Filters = Depends(filters)) -> queries.Filters:
    """The filters, or 422 if a date is not ``YYYY-MM-DD`` (pages show the problem instead)."""
    if f.problems:
        raise RequestValidationError([{"type": "date_parsing", "loc": ("query", key), "msg": message}
                                      for key, message in f.problems.items()])
    return f


@router.get("/overview")
def overview(f: queries.Filters = Depends(checked_filters), st: State = Depends(state)) -> dict[str, Any]:
    """Counts by outlet, language, kind and month; layer status; technique and narrative series."""
    with st.reader.cursor() as cur:
        return {**queries.overview(cur, f), "techniques": queries.layer_series(cur, "techniques", f),
                "narratives": queries.layer_series(cur, "narratives", f)}


@router.get("/documents")
def documents(f: queries.Filters = Depends(checked_filters), limit: int = LIMIT, offset: int = OFFSET,
              st: State = Depends(state)) -> dict[str, Any]:
    with st.reader.cursor() as cur:
        return page(queries.documents(cur, f, limit, offset), limit, offset)


@router.get("/documents/{document_id}")
def document(document_id: str, st: State = Depends(state)) -> dict[str, Any]:
    with st.reader.cursor() as cur:
        doc = views.document(cur, document_id)
    if doc is None:
        raise HTTPException(404, f"no document {document_id!r}")
    fixes = corrections.latest(st.side.db, [document_id])
    doc["added"] = corrections.added(st.side.db, [document_id])  # spans analysts added (the model's are apart)
    for a in doc["annotations"] + doc["added"]:
        a["correction"] = fixes.get(a["id"])
    return doc


@router.get("/documents/{document_id}/comments")
def comments(document_id: str, limit: int = Query(500, ge=1, le=5000), offset: int = OFFSET,
             st: State = Depends(state)) -> dict[str, Any]:
    """The thread under a document: comments with edges, toxicity and other labels; coordination signals."""
    with st.reader.cursor() as cur:
        if not views.exists(cur, document_id):
            raise HTTPException(404, f"no document {document_id!r}")
        found = views.thread(cur, document_id, limit, offset, st.offensive_threshold)
    return {**page(found.pop("comments"), limit, offset), **found}


@router.get("/annotations")
def list_annotations(target_id: str | None = None, layer: str | None = None, limit: int = LIMIT, offset: int = OFFSET,
                st: State = Depends(state)) -> dict[str, Any]:
    with st.reader.cursor() as cur:
        return page(views.annotation_page(cur, target_id, layer, limit, offset), limit, offset)


@router.get("/narratives")
def narratives(st: State = Depends(state)) -> dict[str, Any]:
    with st.reader.cursor() as cur:
        return views.narratives(cur)


@router.get("/narratives/{narrative_id}")
def narrative(narrative_id: str, limit: int = LIMIT, st: State = Depends(state)) -> dict[str, Any]:
    with st.reader.cursor() as cur:
        found = views.narrative(cur, narrative_id, limit, st.offensive_threshold)
    if found is None:
        raise HTTPException(404, f"no narrative or discovered cluster {narrative_id!r}; /api/narratives lists them")
    return found


@router.get("/search")
def search(q: str, kind: str = Query("documents", pattern="^(documents|comments)$"), limit: int = LIMIT,
           offset: int = OFFSET, language: str | None = Query(None, description="only texts in this language "
                                                                   "(ISO 639-1 code, as the documents table shows)"),
           st: State = Depends(state)) -> dict[str, Any]:
    """Full-text search (SQLite FTS5 beside the store, BM25 order), each word in any of its spellings and
    scripts (``Lukashenka`` finds ``Лукашенко``); each hit says its language. Semantic search needs document
    embeddings, which the store does not hold: ``semantic`` says so instead of guessing."""
    hits = st.side.search(q, kind, limit, offset, language)
    return {**page(hits, limit, offset), "indexed_documents": st.side.indexed(),
            "semantic": "not available: the store holds no document or comment embeddings"}


class CorrectionIn(BaseModel):
    """A correction of an annotation (``annotation_id``), or with ``action`` "add" a span the model missed:
    ``target_id`` (a document or comment), ``layer``, ``label`` and either ``start`` and ``end`` (characters)
    or ``quote`` (the exact words, with ``occurrence`` when they appear more than once)."""

    annotation_id: str | None = None
    action: str
    author: str
    label: str | None = None
    note: str | None = None
    target_id: str | None = None
    layer: str | None = None
    start: int | None = Field(None, ge=0, le=MAX_OFFSET)
    end: int | None = Field(None, ge=0, le=MAX_OFFSET)
    quote: str | None = None
    occurrence: int | None = Field(None, ge=1, le=1000)

    @field_validator("*")
    @classmethod
    def utf8(cls, value: Any) -> Any:
        """A lone surrogate (valid JSON, not text) is refused here instead of failing in the side file."""
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("not valid text (a lone surrogate); send UTF-8") from None
        return value


@router.get("/corrections")
def list_corrections(target_id: str | None = None, st: State = Depends(state)) -> list[dict[str, Any]]:
    return corrections.rows(st.side.db, [target_id] if target_id else None)


@router.post("/corrections", status_code=201)
def add_correction(body: CorrectionIn, request: Request, st: State = Depends(state)) -> dict[str, Any]:
    """Confirm, reject or relabel an annotation, or add a span the model missed; the model's annotations are
    kept as they are."""
    from narrascope.errors import NarrascopeError

    st.check_write(request)
    try:
        if body.action == "add":
            with st.reader.cursor() as cur:
                return corrections.new_span(cur, st.side.db, body.target_id, body.layer, body.label, body.author,
                                            body.note, body.start, body.end, body.quote, body.occurrence)
        if not body.annotation_id:
            raise HTTPException(400, "a correction needs annotation_id (or action add with target_id)")
        with st.reader.cursor() as cur:
            found = views.annotation(cur, body.annotation_id) or corrections.added_span(st.side.db,
                                                                                       body.annotation_id)
        if found is None:
            raise HTTPException(404, f"no annotation {body.annotation_id!r}")
        return corrections.add(st.side.db, found, body.action, body.author, body.label, body.note)
    except LookupError as exc:
        raise HTTPException(404, str(exc.args[0])) from None
    except NarrascopeError as exc:
        raise HTTPException(400, str(exc)) from None


@router.get("/export/labelstudio")
def export_labelstudio(st: State = Depends(state)) -> JSONResponse:
    """Corrected texts as Label Studio tasks: model regions as predictions, each analyst's decisions as an
    annotation, the correction history in the task data (``narrascope.labelstudio.tasks``)."""
    from narrascope.labelstudio.tasks import tasks

    with st.reader.cursor() as cur:
        found = tasks(st.side.db, cur)
    return JSONResponse(found, headers={"Content-Disposition": 'attachment; filename="corrections-labelstudio.json"'})


@router.get("/export/labelstudio/config.xml")
def labelstudio_config() -> Response:
    """The Label Studio labeling config of those tasks (every layer's labels)."""
    from narrascope.labelstudio.config import labeling_config

    return Response(labeling_config(), media_type="application/xml")


@router.get("/export/{table}.{format}")
def export(table: str, format: str, st: State = Depends(state)) -> FileResponse:
    """One table (documents, comments, annotations, ..., corrections) as jsonl, csv or parquet."""
    import shutil

    if format not in FORMATS:
        raise HTTPException(404, f"no export format {format!r}; choose jsonl, csv or parquet")
    with st.reader.cursor() as cur:
        tables = [r[0] for r in cur.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name NOT IN "
            "(SELECT unnest(?))", [list(INTERNAL_TABLES)]).fetchall()]
    if table != "corrections" and table not in tables:  # checked before any folder is made
        raise HTTPException(404, f"no table {table!r}; choose one of {', '.join(sorted(tables))}, corrections")
    tmp = tempfile.mkdtemp(prefix="narrascope-export-")
    path = Path(tmp) / f"{table}.{format}"
    try:
        with st.reader.cursor() as cur:
            if table == "corrections":
                corrections.export(cur, side_path(st.db), format, str(path))
            else:  # the name comes from the database itself
                cur.execute(f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{str(path).replace(chr(39), '')}' "
                            f"({FORMATS[format][0]})")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return FileResponse(path, media_type=FORMATS[format][1], filename=path.name,
                        background=BackgroundTask(shutil.rmtree, tmp, True))
