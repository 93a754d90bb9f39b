"""The FastAPI application: pages (``pages``), the REST API (``api``), security headers and the write token.

``create_app(db)`` reads the store through short read-only connections and writes only to
the side file; with a ``token`` every write (POST) must carry it (``X-Narrascope-Token``
header, ``token`` form field, or the cookie set by opening any page with ``?token=T``).
"""

from __future__ import annotations

import contextlib
import hmac
import os
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from narrascope.web import tables
from narrascope.web.reader import StoreBusy, StoreReader
from narrascope.web.render import HERE, environment
from narrascope.web.sidefile import SideFile

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin"}
TOKEN_COOKIE = "narrascope_token"


class State:
    """What the routes share: the store path, its reader, the side file and the write token."""

    def __init__(self, db: str, token: str | None, index_every: float, offensive_threshold: float) -> None:
        self.db = db
        self.token = token
        self.offensive_threshold = offensive_threshold
        self.reader = StoreReader(db)
        self.side = SideFile(db, self.reader, every=index_every)
        self.templates = Jinja2Templates(env=environment())
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._computing = threading.RLock()  # a cached value may need another (the tables' stats)
        self._tables = tempfile.mkdtemp(prefix="narrascope-tables-")
        weakref.finalize(self, shutil.rmtree, self._tables, True)
        import duckdb

        self._memory = duckdb.connect()  # the tables' measures, one table per store version
        self._memory.execute("SET enable_progress_bar = false")
        self._generation = 0

    def stats(self) -> str:
        """The documents' measures (``tables.STATS``) as a table of the in-memory database, computed once per
        store version: written to Parquet from the read-only store, then loaded where requests sort and page it."""
        def compute() -> str:
            self._generation += 1
            path = os.path.join(self._tables, f"stats-{self._generation}.parquet")
            with self.reader.cursor() as cur:
                cur.execute("SET enable_progress_bar = false")
                cur.execute(f"COPY ({tables.STATS}) TO '{path}' (FORMAT parquet)")
            name = f"stats_{self._generation}"
            with self.memory() as con:
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM {tables.stats_source(path)}")
                if self._generation > 3:  # a request may still read the last ones
                    con.execute(f"DROP TABLE IF EXISTS stats_{self._generation - 3}")
            with contextlib.suppress(OSError):
                os.remove(path)
            return name

        return str(self.cached("stats", compute))

    @contextlib.contextmanager
    def memory(self) -> Iterator[Any]:
        """A cursor on the app's in-memory DuckDB, where the tables are sorted, filtered and exported."""
        cur = self._memory.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def version(self) -> tuple[Any, ...]:
        """Changes whenever a writer changes the store (its file or its write-ahead log)."""
        out: list[Any] = []
        for path in (self.db, f"{self.db}.wal"):
            try:
                st = os.stat(path)
                out += [st.st_mtime_ns, st.st_size]
            except OSError:
                out.append(None)
        return tuple(out)

    def cached(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Corpus-wide aggregates (overview, charts) computed once per version of the store and key."""
        full = (self.version(), key)
        if full in self._cache:
            return self._cache[full]
        with self._computing:  # concurrent requests for the same page wait for one computation
            if full not in self._cache:
                self._cache[full] = compute()
                while len(self._cache) > 256:
                    self._cache.popitem(last=False)
            return self._cache[full]

    def check_write(self, request: Request, form_token: str | None = None) -> None:
        """Refuse a write without the token (when one is set) or from another site's page."""
        site = request.headers.get("sec-fetch-site")  # browsers say where a request comes from
        origin = request.headers.get("origin")
        if (site and site not in ("same-origin", "none")) or (
                origin and origin != "null" and origin.split("://", 1)[-1].rstrip("/") != request.headers.get("host")):
            raise PermissionError("writes are accepted only from this app's own pages")
        if not self.token:
            return
        given = (request.headers.get("x-narrascope-token") or form_token
                 or unquote(request.cookies.get(TOKEN_COOKIE) or ""))
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise PermissionError("this server requires its token for writes (start page with ?token=T)")


def state(request: Request) -> State:
    return request.app.state.narrascope


def is_api(request: Request) -> bool:
    """Whether the request is for the REST API (JSON errors) rather than a page (HTML errors)."""
    path = request.url.path
    return path == "/openapi.json" or path == "/api" or path.startswith("/api/")


#: an error message names what was asked for; a 9,000-character id is cut, not echoed whole
MAX_ERROR_CHARS = 500


def printable(value: Any) -> Any:
    """``value`` with strings that cannot be written as UTF-8 (lone surrogates) escaped and long ones
    cut to ``MAX_ERROR_CHARS``, for error bodies."""
    if isinstance(value, str):
        if len(value) > MAX_ERROR_CHARS:
            value = f"{value[:MAX_ERROR_CHARS]}… ({len(value):,} characters)"
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [printable(v) for v in value]
    return value


def error_response(request: Request, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
    """JSON ``{"detail": ...}`` for the API, a small escaped HTML page for every other route."""
    headers = {**(headers or {}), **HEADERS}
    if is_api(request):
        return JSONResponse({"detail": printable(detail)}, status_code=status, headers=headers)
    if isinstance(detail, list):  # validation errors: "query.offset: Input should be ..."
        detail = "; ".join(".".join(str(x) for x in e.get("loc", ())) + ": " + str(e.get("msg", "")) for e in detail
                           if isinstance(e, dict)) or "invalid request"
    message = printable(str(detail))
    try:
        html = request.app.state.narrascope.templates.get_template("error.html").render(
            status=status, message=message, db=request.app.state.narrascope.db)
    except Exception:  # noqa: BLE001 - the error page must come back even if the templates cannot
        import html as htmllib

        html = f"<!doctype html><title>{status}</title><h1>{status}</h1><p>{htmllib.escape(message)}</p>"
    return HTMLResponse(html, status_code=status, headers=headers)


def upgrade_schema(db: str) -> None:
    """Bring a store an older narrascope wrote to this one's schema before serving it (the pages read columns
    later migrations add, such as ``documents.languages``): opened for writing once, only when it is behind.
    A store a writer holds is left to it (it migrates on open); one that cannot be written is served as it is."""
    import duckdb

    from narrascope.errors import NarrascopeError
    from narrascope.store.duckdb import DuckDBStore
    from narrascope.store.schema import MIGRATIONS

    try:
        with duckdb.connect(db, read_only=True) as con:
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
            version = row[0] if row else None
    except duckdb.Error:  # held by a writer, or not a narrascope store
        return
    if version is not None and version < len(MIGRATIONS):
        try:
            DuckDBStore(db).close()
        except (NarrascopeError, duckdb.Error):
            return


def create_app(db: str, token: str | None = None, index_every: float = 2.0,
               offensive_threshold: float | None = None) -> FastAPI:
    """The app over the store at ``db`` (read-only; corrections and the search index go beside it).

    Comments labelled hatespeech, or offensive with a score at or above ``offensive_threshold``
    (default: the shipped toxicity model's calibrated one), are shown behind a content warning.
    """
    from narrascope.web import api, clusters, pages, table_pages

    if not Path(db).exists():
        from narrascope.errors import NarrascopeError

        raise NarrascopeError(f"{db}: no such store; create it with narrascope ingest or narrascope demo")
    upgrade_schema(db)
    app = FastAPI(title="narrascope", description="Techniques, narratives, claims and comments of a corpus.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    if offensive_threshold is None:
        from narrascope.toxicity.masking import offensive_threshold as calibrated

        offensive_threshold = calibrated()
    app.state.narrascope = State(db, token, index_every, offensive_threshold)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(table_pages.router)
    app.include_router(clusters.router)
    app.include_router(api.router, prefix="/api")

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        st = app.state.narrascope
        st.side.maybe_sync()
        response = await call_next(request)
        response.headers.update(HEADERS)
        given = request.query_params.get("token")
        if given and st.token and hmac.compare_digest(given.encode(), st.token.encode()):
            response.set_cookie(TOKEN_COOKIE, quote(given, safe=""), httponly=True, samesite="strict")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_response(request, exc.status_code, exc.detail, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, jsonable_encoder([{k: v for k, v in e.items() if k != "ctx"}
                                                              for e in exc.errors()]))

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, exc: StoreBusy) -> Response:
        return error_response(request, 503, str(exc), {"Retry-After": "2"})

    @app.exception_handler(PermissionError)
    async def forbidden(request: Request, exc: PermissionError) -> Response:
        return error_response(request, 403, str(exc))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:  # logged by the server all the same
        return error_response(request, 500, "internal error: the server log has the details")

    return app
