"""JSON Lines, CSV and Parquet: one document per row, columns mapped to fields with ``fields``.

``fields`` maps a document field to a column name, e.g. ``{"body": "content",
"published": "date"}`` (``--field body=content`` on the command line). Rows in
narrascope's own JSON form (``narrascope parse`` output) are read back as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time
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
_LISTED = 10  # bad rows named in a file's failure; the rest are counted


class RowError(ValueError):
    """One row that cannot become a document; the message names the field and why."""


def _text(value: Any, name: str) -> str | None:
    """``value`` as the string a document field holds (docs/json-format.md): numbers, booleans and
    times are written out, bytes decoded; an object or a list is a :class:`RowError`."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:  # NaN: a missing value in pandas-made files
        return None
    if isinstance(value, (bytes, bytearray)):
        return decode(bytes(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        raise RowError(f"field {name!r} is an object, not a string")
    if isinstance(value, (list, tuple, set)):
        raise RowError(f"field {name!r} is a list, not a string")
    return str(value)


def _own_form(row: dict[str, Any]) -> Document:
    """A row in narrascope's JSON form, its fields checked against docs/json-format.md."""
    clean = dict(row)
    for name in ("id", "source", "outlet", "kind", "title", "author", "published", "published_raw", "language",
                 "body", "duplicate_of"):
        clean[name] = _text(row.get(name), name)
    for part in ("items", "comments", "annotations"):
        if not isinstance(row.get(part) or [], list) or not all(isinstance(x, dict) for x in row.get(part) or []):
            raise RowError(f"field {part!r} is not a list of objects")
    clean["items"] = [{"title": _text(i.get("title"), "items.title") or "",
                       "text": _text(i.get("text"), "items.text") or "",
                       "url": _text(i.get("url"), "items.url")} for i in row.get("items") or []]
    comments = []
    for c in row.get("comments") or []:
        c = {**c, **{k: _text(c.get(k), f"comments.{k}") for k in ("id", "author", "posted", "posted_raw", "parent",
                                                                   "text", "language")}}
        for k in ("number", "depth"):
            if c.get(k) is not None and (not isinstance(c[k], int) or isinstance(c[k], bool)):
                raise RowError(f"field 'comments.{k}' is {c[k]!r}, not an integer")
        if not isinstance(c.get("refs") or [], list):
            raise RowError("field 'comments.refs' is not a list")
        c["refs"] = [_text(r, "comments.refs") for r in c.get("refs") or []]
        comments.append(c)
    clean["comments"] = comments
    try:
        return Document.from_dict(clean)
    except (TypeError, ValueError, AttributeError) as exc:
        raise RowError(f"not in narrascope's JSON form ({type(exc).__name__}: {exc})") from None


def row_to_document(row: dict[str, Any], source: str, line: int, fields: dict[str, str] | None) -> Document:
    """One table row to a Document, using ``fields`` and then the usual column names.

    Raises :class:`RowError` for a row that cannot be one (a field of the wrong type, a missing column).
    """
    if not fields and isinstance(row.get("comments"), list) and "body" in row:
        doc = _own_form(row)
        doc.source = doc.source or f"{source}#{line}"
        return doc
    fields = fields or {}
    for name in fields.values():
        if name not in row:
            raise RowError(f"no column {name!r} (columns: {', '.join(map(str, row))})")

    def get(name: str) -> Any:
        if name in fields:
            return _text(row.get(fields[name]), name)
        for column in _DEFAULTS.get(name, (name,)):
            if row.get(column) not in (None, ""):
                return _text(row[column], name if column == name else f"{name}' (column {column!r})")
        return None

    raw = get("published")
    kind = get("kind")
    url = get("source") or get("url")
    return Document(
        source=url or f"{source}#{line}",
        body=get("body") or "",
        kind=kind if kind in KINDS else "article",
        title=get("title"), author=get("author"),
        published_raw=raw, published=parse_time(raw or None),
        language=get("language"), outlet=get("outlet") or outlet_of(url),
    )


def rows_to_documents(rows: Iterable[tuple[int, Any]], source: str, fields: dict[str, str] | None,
                      unit: str = "line") -> list[Document]:
    """Documents of ``(number, row)`` pairs; a row may be a :class:`RowError` read earlier.

    A bad row costs only itself: when some fail, the :class:`ReadError` names each (by ``unit``
    and number, up to ten) and carries the others' documents in ``documents``, which are stored
    as usual while the file is recorded as a failure (and read again, without duplicates, next run).
    """
    docs: list[Document] = []
    bad: list[str] = []
    total = 0
    for n, row in rows:
        total += 1
        try:
            if isinstance(row, RowError):
                raise row
            docs.append(row_to_document(row, source, n, fields))
        except RowError as exc:
            bad.append(f"{unit} {n} {exc}" if str(exc).startswith("is ") else f"{unit} {n}: {exc}")
    if not bad:
        return docs
    listed = "; ".join(bad[:_LISTED]) + (f"; and {len(bad) - _LISTED} more" if len(bad) > _LISTED else "")
    kept = f"the other {len(docs)} were read" if docs else "none could be read"
    error = ReadError(source, f"{len(bad)} of {total} {unit}s skipped, {kept}: {listed}")
    error.documents = docs  # type: ignore[attr-defined]
    raise error


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
        return rows_to_documents(_json_rows(decode(data)), source, fields)


def _json_rows(text: str) -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for each non-blank line; a :class:`RowError` for a line that is not one."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:  # also a number beyond Python's digit limit
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield n, RowError(f"is not JSON ({reason})")
            continue
        yield n, row if isinstance(row, dict) else RowError(f"is not a JSON object but {_json_kind(row)}")


def _json_kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


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
        _check_columns(source, reader.fieldnames or [], fields)
        return rows_to_documents(enumerate(reader, 2), source, fields)


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
        _check_columns(source, columns, fields)
        return rows_to_documents(enumerate(rows, 1), source, fields, unit="row")


def _check_columns(source: str, columns: Sequence[str], fields: dict[str, str] | None) -> None:
    """A column named with ``--field`` that the table lacks fails the whole file, not each row."""
    missing = [name for name in (fields or {}).values() if name not in columns]
    if missing:
        raise ReadError(source, f"no column {missing[0]!r} (columns: {', '.join(columns)}); "
                        "check --field COLUMN names")
