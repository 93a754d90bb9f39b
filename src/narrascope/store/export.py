"""Exporting a store's tables: where an export may be written, and CSV that spreadsheets open safely."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError

_FORMULA_START = r"'^([=+\-@\t\r])'"  # SQL literal: a cell a spreadsheet would run
EXPORT_FORMATS = {"jsonl": "FORMAT json", "csv": "FORMAT csv, HEADER", "parquet": "FORMAT parquet"}
#: what a store keeps beside its file: DuckDB's WAL, the web app's SQLite (and its journals), the write request
SIDE_SUFFIXES = (".wal", ".web.sqlite", ".web.sqlite-wal", ".web.sqlite-shm", ".web.sqlite-journal",
                 ".write-request")


def check_export_target(db_path: str, out: str) -> None:
    """Refuse an export file that would overwrite the store or a file it keeps beside it, or cannot be written."""
    if db_path == ":memory:":
        protected: list[Path] = []
    else:
        db = Path(db_path).resolve()
        protected = [db, *(db.with_name(db.name + suffix) for suffix in SIDE_SUFFIXES)]
    target = Path(out).resolve()
    # the store's own files, whatever the spelling (relative, symbolic or hard link), and anything named DB.*
    if target in protected or (protected and target.parent == protected[0].parent
                               and target.name.startswith(protected[0].name + ".")):
        raise NarrascopeError(f"{out}: this is the database {db_path} or a file it keeps beside it; "
                              "choose another --out")
    for path in protected:
        with contextlib.suppress(OSError):
            if target.exists() and path.exists() and target.samefile(path):
                raise NarrascopeError(f"{out}: this is the database {db_path} or a file it keeps beside it; "
                                      "choose another --out")
    if target.is_dir():
        raise NarrascopeError(f"{out}: is a directory; give a file name with --out")
    if not target.parent.is_dir():
        raise NarrascopeError(f"{out}: directory {target.parent} does not exist; create it or choose another --out")


def csv_safe_query(con: Any, query: str) -> str:
    """``query`` with its text columns safe to open in a spreadsheet (CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so
    that Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula; a NUL
    character becomes U+2400 (␀). Only the CSV export does this: jsonl and parquet keep the text as stored.
    """
    columns = con.execute(f"DESCRIBE {query}").fetchall()
    select = []
    for name, kind, *_ in columns:
        quoted = '"' + str(name).replace('"', '""') + '"'
        if str(kind) == "VARCHAR":
            select.append(f"regexp_replace(replace({quoted}, chr(0), '\u2400'), {_FORMULA_START}, "
                          f"'''\\1') AS {quoted}")
        else:
            select.append(quoted)
    return f"SELECT {', '.join(select)} FROM ({query})"


def copy_to(con: Any, query: str, format: str, out: str | None) -> str | None:
    """COPY ``query`` to ``out`` in ``format`` (one of :data:`EXPORT_FORMATS`), or return it as text."""
    import duckdb

    if out is None and format == "parquet":
        raise NarrascopeError("parquet is binary: give a file with --out")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = out if out is not None else str(Path(tmp) / f"export.{format}")
        escaped = path.replace("'", "''")
        try:
            con.execute(f"COPY ({query}) TO '{escaped}' ({EXPORT_FORMATS[format]})")
        except duckdb.IOException as exc:
            raise NarrascopeError(f"{path}: cannot write the export ({str(exc).splitlines()[0]})") from None
        return None if out is not None else Path(path).read_text(encoding="utf-8")
