"""Texts to count vocabulary pieces on: every string of a corpus's files, and a held-out part carved off by hash.

A file is read by its suffix: each non-empty cell of a ``.csv``, each string of a ``.json`` /
``.jsonl`` document, each non-empty line of a ``.txt`` / ``.tsv`` / ``.labels`` / ``.md`` file;
``.html`` / ``.xml`` files are read whole (their markup pieces count too). Other files are skipped.
:func:`held_out` sets aside about one text in ten, by the sha256 of the text, so the pieces are
never chosen on the texts that measure the trimming.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

LINE_SUFFIXES = (".txt", ".tsv", ".labels", ".md")
WHOLE_SUFFIXES = (".html", ".xml")
HELD_OUT_RULE = "a text is held out when the first byte of the sha256 of its UTF-8 is below 26 (about 1 in 10)"


def held_out(text: str) -> bool:
    """Whether ``text`` belongs to the held-out part (:data:`HELD_OUT_RULE`)."""
    return hashlib.sha256(text.encode("utf-8")).digest()[0] < 26


def file_texts(path: Path) -> list[str]:
    """The texts of one file (see the module); ``[]`` for a suffix it does not read."""
    if path.suffix == ".csv":
        csv.field_size_limit(1 << 30)
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            return [cell for row in csv.reader(fh) for cell in row if cell.strip()]
    raw = path.read_text(encoding="utf-8", errors="replace") if path.suffix else ""
    if path.suffix in (".json", ".jsonl"):
        lines = raw.splitlines() if path.suffix == ".jsonl" else [raw]
        try:
            return [s for line in lines if line.strip() for s in _strings(json.loads(line))]
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    if path.suffix in LINE_SUFFIXES:
        return [line for line in raw.splitlines() if line.strip()]
    return [raw] if path.suffix in WHOLE_SUFFIXES and raw.strip() else []


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def corpus_texts(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Texts by source: a file is its own source, a directory's files go by their first folder under it."""
    texts: dict[str, list[str]] = {}
    for root in paths:
        if not root.exists():
            raise FileNotFoundError(f"{root}: no such corpus file or directory")
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            rel = path.relative_to(root).parts if root.is_dir() else (path.name,)
            source = root.name if len(rel) == 1 else rel[0]
            rows = file_texts(path)
            if rows:
                texts.setdefault(source, []).extend(rows)
    return texts
