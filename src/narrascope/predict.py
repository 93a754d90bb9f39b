"""The ``narrascope predict`` JSON Lines contract, shared by every ``predict`` command.

``{"id", "text"}`` in, one JSON object per input line out, in input order. A line that is not a JSON
object, has no ``"id"`` (or a null one) or no ``"text"`` string is answered with the model's empty row and an
``"error"`` naming its line number; every other line of the batch is still answered. The exit status
is 0, 1 when a line was bad, 2 when the input file or the model failed. Input bytes that are not UTF-8
are decoded like pages (Windows-1252, latin-1), and lone surrogates (``"\\ud800"`` in JSON) become
``?``, so one hostile line never stops the batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NoReturn, cast

from narrascope.readers.decode import clean_strings as _clean
from narrascope.readers.decode import decode

Predict = Callable[[list[str]], list[dict[str, Any]]]
Notes = Callable[[str], list[str]]


def _chunks(stream: IO[str] | IO[bytes], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    lines = cast("Iterable[str | bytes]", stream)  # a text or a binary stream
    for number, raw in enumerate(lines, 1):
        line = decode(raw) if isinstance(raw, bytes) else raw
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parse(number: int, line: str) -> tuple[Any, str | None, str | None]:
    """``(id, text, None)`` of a good line, ``(id or None, None, error)`` of a bad one."""
    obj: Any = None
    try:
        obj = json.loads(line)
        if not isinstance(obj, dict):
            kind = {list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(type(obj), "a number")
            return None, None, f'line {number} is not a JSON object but {kind}; expected {{"id": ..., "text": "..."}}'
        text = obj.get("text")
        if not isinstance(text, str):
            raise ValueError('no "text" string')
        if obj.get("id") is None:
            raise ValueError('missing "id" (the answer could not be matched to its input)')
        return _clean(obj.get("id")), _clean(text), None
    except ValueError as exc:
        ident = _clean(obj.get("id")) if isinstance(obj, dict) else None
        return ident, None, f'line {number}: {exc}; expected {{"id": ..., "text": "..."}}'


def answer_lines(stream: IO[str] | IO[bytes], out: IO[str], predict: Predict, failed_row: dict[str, Any],
                 notes: Notes | None = None, batch: int = 64) -> int:
    """Answer each line of ``stream`` with ``{"id", **predict(...)}`` on ``out``; returns the number of bad lines.

    ``predict`` gets the texts of a batch's good lines and returns one row each; a bad line gets
    ``failed_row`` and ``"error"``. ``notes(text)``, when given, says why a prediction may be weak
    (joined into ``"note"``).
    """
    bad = 0
    for chunk in _chunks(stream, batch):
        parsed = [_parse(number, line) for number, line in chunk]
        results = iter(predict([t for _, t, e in parsed if e is None and t is not None]))
        for ident, text, error in parsed:
            if error or text is None:
                bad += 1
                row: dict[str, Any] = {"id": ident, **failed_row, "error": error}
            else:
                row = {"id": ident, **next(results)}
                why = notes(text) if notes else []
                if why:
                    row["note"] = "; ".join(why)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return bad


def predict_command(input: Path | None, predict: Predict, failed_row: dict[str, Any],
                    notes: Notes | None = None) -> NoReturn:
    """Answer the lines of ``input`` (standard input when ``None``) on standard output and exit with the status."""
    import typer

    from narrascope.errors import NarrascopeError

    try:
        if input is None:
            bad = answer_lines(sys.stdin.buffer, sys.stdout, predict, failed_row, notes)
        else:
            with open(input, "rb") as fh:
                bad = answer_lines(fh, sys.stdout, predict, failed_row, notes)
    except (NarrascopeError, OSError) as exc:
        typer.echo(f"narrascope: {exc}", err=True)
        raise typer.Exit(2) from None
    raise typer.Exit(1 if bad else 0)
