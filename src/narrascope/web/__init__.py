"""The analyst's web app (``narrascope serve``) and the self-contained HTML report (``narrascope report``).

The app never holds the DuckDB store open for long: it reads through short read-only
connections (``reader.StoreReader``) and keeps what it writes — corrections and the
full-text index — in a SQLite file beside the store (``sidefile.SideFile``). FastAPI and
uvicorn come with the ``[server]`` extra and are imported only here; Jinja2 is a core dependency,
so the report (``report``, ``render``) needs no extra.
"""

from __future__ import annotations
