"""Read debunk databases: the EUvsDisinfo CSV layouts and schema.org ClaimReview JSON-LD.

Every debunk becomes a :class:`Debunk` (the false claim, the rebuttal or rating, URL, date,
keyword tags). A file whose columns fit no known layout raises :class:`DebunkFileError` naming the
missing columns; a ClaimReview item without ``claimReviewed`` is skipped and reported, the rest kept.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError
from narrascope.model import content_id
from narrascope.readers.decode import clean_strings, decode

#: CSV layouts: name -> (required columns, keyword separator)
LAYOUTS: dict[str, tuple[tuple[str, ...], str]] = {
    "euvsdisinfo-posts": (("date", "id", "title", "keywords"), "+"),
    "euvsdisinfo-review": (("date", "title", "summary", "disproof", "keywords"), ","),
}
_TAG = re.compile(r"<[^>]+>")


class DebunkFileError(NarrascopeError):
    """A debunk file cannot be read; the message names the file and what is missing."""


@dataclass
class Debunk:
    """A claim that fact-checkers have debunked."""

    claim: str
    review: str = ""
    url: str | None = None
    date: str | None = None
    keywords: list[str] = field(default_factory=list)
    source: str = ""
    format: str = ""
    id: str = ""

    def __post_init__(self) -> None:
        clean_strings(self)  # lone surrogates cannot be stored or tokenized
        if not self.id:
            self.id = content_id(self.url or "", self.claim, prefix="d")


def _text(value: Any) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", str(value or ""))).split())


def _read(path: Path) -> str:
    """The file's text: UTF-8 (a BOM dropped), else decoded like pages (Windows-1252, latin-1)."""
    try:
        return decode(Path(path).read_bytes())
    except OSError as exc:
        raise DebunkFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_csv(path: Path) -> list[Debunk]:
    """An EUvsDisinfo CSV in either layout (``posts``: date,id,title,keywords,...; ``review``: ...,summary,disproof)."""
    with io.StringIO(_read(path), newline="") as fh:
        reader = csv.DictReader(fh)
        columns = set(reader.fieldnames or [])
        layout = next((name for name, (need, _) in LAYOUTS.items() if set(need) <= columns), None)
        if layout is None:
            wants = "; ".join(f"{name}: {', '.join(c for c in need if c not in columns)}"
                              for name, (need, _) in LAYOUTS.items())
            raise DebunkFileError(f"{path}: columns {sorted(columns)} fit no debunk layout; missing for each "
                                  f"layout - {wants}. Export the file with those columns or convert it to ClaimReview")
        sep = LAYOUTS[layout][1]
        out = []
        for row in reader:
            title, summary = _text(row.get("title")), _text(row.get("summary"))
            claim = title if not summary or summary == title else f"{title}. {summary}"
            if not claim:
                continue
            url = row.get("id") if layout == "euvsdisinfo-posts" else (row.get("source") or None)
            keywords = [k.strip() for k in (row.get("keywords") or "").split(sep) if k.strip()]
            out.append(Debunk(claim, _text(row.get("disproof")), url, _text(row.get("date"))[:10] or None,
                              keywords, path.name, layout))
        return out


def _reviews(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [r for item in node for r in _reviews(item)]
    if not isinstance(node, dict):
        return []
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "ClaimReview" in kinds:
        return [node]
    found: list[dict[str, Any]] = []
    for key in ("@graph", "dataFeedElement", "item", "itemListElement", "mainEntity"):
        if key in node:
            found += _reviews(node[key])
    return found


def read_claimreview(path: Path) -> tuple[list[Debunk], list[str]]:
    """ClaimReview items of a JSON-LD file (object, list, ``@graph`` or DataFeed) and problems with skipped ones."""
    try:
        data = json.loads(_read(path))
        reviews = _reviews(data)
    except json.JSONDecodeError as exc:
        raise DebunkFileError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise DebunkFileError(f"{path}: JSON nested too deeply to be a ClaimReview file") from None
    except ValueError as exc:  # e.g. a number beyond Python's digit limit
        raise DebunkFileError(f"{path}: not JSON ({exc})") from None
    if not reviews:
        raise DebunkFileError(f"{path}: no schema.org ClaimReview items (@type \"ClaimReview\") found")
    out, problems = [], []
    for k, r in enumerate(reviews, 1):
        claim = _text(r.get("claimReviewed"))
        if not claim:
            problems.append(f"{path}: ClaimReview item {k} has no claimReviewed; skipped")
            continue
        rating = r.get("reviewRating") or {}
        review = _text(rating.get("alternateName") if isinstance(rating, dict) else "") or _text(r.get("reviewBody"))
        keywords, url = r.get("keywords") or [], r.get("url")
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        elif not isinstance(keywords, list):  # JSON-LD from the wild: a number, an object
            keywords = []
        date = _text(r.get("datePublished"))[:10] or None
        out.append(Debunk(claim, review, url if isinstance(url, str) else None, date,
                          [k for k in (_text(k) for k in keywords) if k], Path(path).name, "claimreview"))
    return out, problems


def read_debunks(path: str | Path) -> tuple[list[Debunk], list[str]]:
    """Debunks from ``path`` (``.csv``: EUvsDisinfo layouts; ``.json``/``.jsonld``: ClaimReview) and problems."""
    path = Path(path)
    if not path.is_file():
        raise DebunkFileError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        return read_csv(path), []
    if path.suffix.lower() in (".json", ".jsonld"):
        return read_claimreview(path)
    raise DebunkFileError(f"{path}: unknown debunk format; use an EUvsDisinfo .csv or ClaimReview .json/.jsonld")
