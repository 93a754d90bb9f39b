"""JSON Lines, CSV and Parquet: one document per row, columns mapped to fields with ``fields``.

``fields`` maps a document field to a column name, e.g. ``{"body": "content",
"published": "date"}`` (``--field body=content`` on the command line). Rows in
narrascope's own JSON form (``narrascope parse`` output) are read back as they are.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from narrascope import registry
from narrascope.dates import parse_time
from narrascope.errors import ReadError
from narrascope.model import KINDS, Document
from narrascope.readers import Reader
from narrascope.readers.decode import decode, looks_binary
from narrascope.readers.html import outlet_of

FIELDS = ("source", "outlet", "kind", "title", "author", "published", "language", "body")
_DEFAULTS = {"body": ("body", "text", "content"), "published": ("published", "date", "published_raw")}


def row_to_document(row: dict[str, Any], source: str, line: int, fields: dict[str, str] | None) -> Document:
    """One table row to a Document, using ``fields`` and then the usual column names."""
    if not fields and isinstance(row.get("comments"), list) and "body" in row:
        doc = Document.from_dict(row)
        doc.source = doc.source or f"{source}#{line}"
        return doc
    fields = fields or {}
    for name in fields.values():
        if name not in row:
            raise ReadError(source, f"line {line}: no column {name!r} (columns: {', '.join(map(str, row))})")

    def get(name: str) -> Any:
        if name in fields:
            return row.get(fields[name])
        for column in _DEFAULTS.get(name, (name,)):
            if row.get(column) not in (None, ""):
                return row[column]
        return None

    raw = get("published")
    kind = get("kind")
    url = get("source") or get("url")
    return Document(
        source=str(url) if url else f"{source}#{line}",
        body=str(get("body") or ""),
        kind=kind if kind in KINDS else "article",
        title=get("title"), author=get("author"),
        published_raw=str(raw) if raw is not None else None, published=parse_time(str(raw) if raw else None),
        language=get("language"), outlet=get("outlet") or outlet_of(str(url) if url else None),
    )


@registry.readers.register("jsonl")
class JsonLinesReader(Reader):
    name = "jsonl"

    def sniff(self, head: bytes, hint: str) -> float:
        first = head.lstrip()[:1]
        if first != b"{":
            return 0.0
        line = head.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(line)
        except ValueError:
            return 0.0
        return 0.8 if hint.endswith((".jsonl", ".ndjson", ".jsonl.gz")) or b"\n{" in head else 0.4

    def read(self, data: bytes, source: str, fields: dict[str, str] | None = None, **options: Any) -> list[Document]:
        docs = []
        for n, line in enumerate(decode(data).splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:  # also a number beyond Python's digit limit
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise ReadError(source, f"line {n} is not JSON ({reason})") from None
            if not isinstance(row, dict):
                raise ReadError(source, f"line {n} is not a JSON object")
            docs.append(row_to_document(row, source, n, fields))
        return docs


@registry.readers.register("csv")
class CsvReader(Reader):
    name = "csv"

    def sniff(self, head: bytes, hint: str) -> float:
        if looks_binary(head):
            return 0.0
        if hint.endswith((".csv", ".tsv", ".csv.gz")):
            return 0.8
        return 0.0

    def read(self, data: bytes, source: str, fields: dict[str, str] | None = None, **options: Any) -> list[Document]:
        text = decode(data)
        try:
            dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;|")
        except csv.Error:
            dialect = csv.excel
        csv.field_size_limit(64 * 1024 * 1024)
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        return [row_to_document(row, source, n, fields) for n, row in enumerate(reader, 2)]


@registry.readers.register("parquet")
class ParquetReader(Reader):
    """Parquet files (read through DuckDB); nested ``comments`` columns in narrascope's form are kept."""

    name = "parquet"

    def sniff(self, head: bytes, hint: str) -> float:
        return 0.95 if head.startswith(b"PAR1") else 0.0

    def read(self, data: bytes, source: str, fields: dict[str, str] | None = None, **options: Any) -> list[Document]:
        import tempfile

        import duckdb

        with tempfile.NamedTemporaryFile(suffix=".parquet") as tmp:
            tmp.write(data)
            tmp.flush()
            con = duckdb.connect()
            try:
                cursor = con.execute("SELECT * FROM read_parquet(?)", [tmp.name])
                columns = [c[0] for c in cursor.description]
                rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
            except duckdb.Error as exc:
                raise ReadError(source, f"not a readable Parquet file ({str(exc).splitlines()[0]})") from None
            finally:
                con.close()
        return [row_to_document(row, source, n, fields) for n, row in enumerate(rows, 1)]
