"""The FastAPI application: pages (``pages``), the REST API (``api``), security headers and the write token.

``create_app(db)`` reads the store through short read-only connections and writes only to
the side file; with a ``token`` every write (POST) must carry it (``X-Narrascope-Token``
header, ``token`` form field, or the cookie set by opening any page with ``?token=T``).
"""

from __future__ import annotations

import hmac
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

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

    def __init__(self, db: str, token: str | None, index_every: float) -> None:
        self.db = db
        self.token = token
        self.reader = StoreReader(db)
        self.side = SideFile(db, self.reader, every=index_every)
        self.templates = Jinja2Templates(env=environment())
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._computing = threading.Lock()

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
        given = request.headers.get("x-narrascope-token") or form_token or request.cookies.get(TOKEN_COOKIE) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            raise PermissionError("this server requires its token for writes (start page with ?token=T)")


def state(request: Request) -> State:
    return request.app.state.narrascope


def create_app(db: str, token: str | None = None, index_every: float = 2.0) -> FastAPI:
    """The app over the store at ``db`` (read-only; corrections and the search index go beside it)."""
    from narrascope.web import api, pages

    if not Path(db).exists():
        from narrascope.errors import NarrascopeError

        raise NarrascopeError(f"{db}: no such store; create it with narrascope ingest or narrascope demo")
    app = FastAPI(title="narrascope", description="Techniques, narratives, claims and comments of a corpus.",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.narrascope = State(db, token, index_every)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(api.router, prefix="/api")

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        st = app.state.narrascope
        st.side.maybe_sync()
        response = await call_next(request)
        response.headers.update(HEADERS)
        given = request.query_params.get("token")
        if given and st.token and hmac.compare_digest(given.encode(), st.token.encode()):
            response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="strict")
        return response

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, exc: StoreBusy) -> Response:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "2", **HEADERS})

    @app.exception_handler(PermissionError)
    async def forbidden(request: Request, exc: PermissionError) -> Response:
        return PlainTextResponse(str(exc), status_code=403, headers=HEADERS)

    return app
