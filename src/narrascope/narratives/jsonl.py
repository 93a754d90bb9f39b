"""The ``narrascope predict`` JSON Lines contract: ``{"id", "text"}`` in, one JSON object per line out.

A line that is not JSON or has no ``"text"`` string gets ``"error"`` naming its line number and is
otherwise skipped; every other line is still answered. Texts that are empty, one word, very long
or not English are answered with a ``"note"`` saying so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

SHORT_WORDS = 2


def _chunks(stream: IO[str], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(stream, 1):
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def notes(text: str, max_chars: int) -> list[str]:
    """Why a prediction for ``text`` may be weak: empty, one word, cut, or another language."""
    from narrascope.lang import identify

    words = len(text.split())
    out = []
    if words == 0:
        out.append("empty text")
    elif words < SHORT_WORDS:
        out.append("one-word text: too short to carry a narrative or a claim")
    if len(text) > max_chars:
        out.append(f"text longer than {max_chars} characters: only the beginning was analysed")
    lang = identify(text[:2000]) if words >= 3 else None
    if lang and lang != "en":
        out.append(f"language {lang!r}: the models were trained on English; scores are unreliable")
    return out


def predict_lines(stream: IO[str], out: IO[str], predict: Callable[[list[str]], list[dict[str, Any]]],
                  failed_row: dict[str, Any], max_chars: int, batch: int = 64) -> int:
    """Answer each input line with ``{"id", **predict(...)}``; returns the number of bad lines."""
    bad = 0
    for chunk in _chunks(stream, batch):
        parsed: list[tuple[Any, str | None, str | None]] = []
        for number, line in chunk:
            obj: Any = None
            try:
                obj = json.loads(line)
                text = obj.get("text") if isinstance(obj, dict) else None
                if not isinstance(text, str):
                    raise ValueError('no "text" string')
                parsed.append((obj.get("id"), text, None))
            except ValueError as exc:
                ident = obj.get("id") if isinstance(obj, dict) else None
                parsed.append((ident, None, f'line {number}: {exc}; expected {{"id": ..., "text": "..."}}'))
        texts = [t for _, t, e in parsed if e is None and t is not None]
        results = iter(predict(texts))
        for ident, text, error in parsed:
            if error or text is None:
                bad += 1
                row: dict[str, Any] = {"id": ident, **failed_row, "error": error}
            else:
                row = {"id": ident, **next(results)}
                why = notes(text, max_chars)
                if why:
                    row["note"] = "; ".join(why)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    return bad
