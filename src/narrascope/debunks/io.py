"""Read debunk databases: the EUvsDisinfo CSV layouts and schema.org ClaimReview JSON-LD.

Every debunk becomes a :class:`Debunk` (the false claim, the rebuttal or rating, URL, date,
keyword tags). CSV delimiters (``,``, ``;``, tab) are sniffed; a file whose columns fit no known
layout raises :class:`DebunkFileError` naming the missing and the found columns. ClaimReview nodes
are collected wherever they sit in the JSON-LD tree (``@type`` as a name, ``schema:`` prefix or full
IRI, alone or in a list); an item without a claim (``claimReviewed``, else ``itemReviewed.text``) is
skipped and reported, the rest kept. A file that yields no debunk at all is an error that says why.
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
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # the review layout's original dd.mm.yyyy dates
#: JSON-LD nesting searched for ClaimReview nodes; deeper parts are skipped and reported
MAX_DEPTH = 64
_SCHEMA = ("", "schema:", "http://schema.org/", "https://schema.org/")


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
    if isinstance(value, list):  # JSON-LD: a value may be given as a list; the first one counts
        value = value[0] if value else ""
    if isinstance(value, dict):  # JSON-LD value object {"@value": ...}
        value = value.get("@value", "")
    return " ".join(html.unescape(_TAG.sub(" ", str(value or ""))).split())


def claim_key(claim: str) -> str:
    """A claim's text for spotting duplicates: case, whitespace and trailing punctuation ignored."""
    return " ".join(claim.casefold().split()).rstrip(" .!?;:,…\"'’”»")


def _date(value: str) -> str | None:
    m = _DMY.match(value)
    return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}" if m else (value[:10] or None)


def _read(path: Path) -> str:
    """The file's text: UTF-8 (a BOM dropped), else decoded like pages (Windows-1252, latin-1)."""
    try:
        return decode(Path(path).read_bytes())
    except OSError as exc:
        raise DebunkFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _delimiter(header: str) -> str:
    """The header line's delimiter among comma, semicolon and tab (comma when the sniffer cannot tell)."""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_csv(path: Path) -> list[Debunk]:
    """An EUvsDisinfo CSV in either layout (``posts``: date,id,title,keywords,...; ``review``: ...,summary,disproof)."""
    text = _read(path)
    delimiter = _delimiter(text.split("\n", 1)[0])
    with io.StringIO(text, newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        reader.fieldnames = [str(c).strip().lower() for c in reader.fieldnames or []]
        columns = set(reader.fieldnames)
        layout = next((name for name, (need, _) in LAYOUTS.items() if set(need) <= columns), None)
        if layout is None:
            wants = "; ".join(f"{name}: {', '.join(c for c in need if c not in columns)}"
                              for name, (need, _) in LAYOUTS.items())
            raise DebunkFileError(f"{path}: no debunk layout fits its columns; missing for each layout - {wants}; "
                                  f"found {reader.fieldnames} (delimiter {delimiter!r}). Export the "
                                  "file with those columns or convert it to ClaimReview")
        sep = LAYOUTS[layout][1]
        out = []
        for row in reader:
            title, summary = _text(row.get("title")), _text(row.get("summary"))
            claim = title if not summary or claim_key(summary) == claim_key(title) else f"{title}. {summary}"
            if not claim:
                continue
            url = row.get("id") if layout == "euvsdisinfo-posts" else (row.get("source") or None)
            keywords = [k.strip() for k in (row.get("keywords") or "").split(sep) if k.strip()]
            out.append(Debunk(claim, _text(row.get("disproof")), url, _date(_text(row.get("date"))),
                              keywords, path.name, layout))
        if not out:
            raise DebunkFileError(f"{path}: {layout} layout but no row has a title (the claim); nothing to import")
        return out


def _get(node: dict[str, Any], prop: str) -> Any:
    """``node``'s schema.org property ``prop``, however it is prefixed (``schema:``, the full IRI)."""
    return next((node[p + prop] for p in _SCHEMA if p + prop in node), None)


def _is_claimreview(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    return any(isinstance(k, str) and k in {p + "ClaimReview" for p in _SCHEMA}
               for k in (kind if isinstance(kind, list) else [kind]))


def _reviews(root: Any) -> tuple[list[dict[str, Any]], bool]:
    """Every ClaimReview node in the JSON-LD tree, in document order; and whether parts were too deep to search."""
    found: list[dict[str, Any]] = []
    too_deep = False
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            too_deep = True
            continue
        if isinstance(node, dict):
            if _is_claimreview(node):
                found.append(node)
                continue
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        stack.extend((c, depth + 1) for c in reversed(children) if isinstance(c, dict | list))
    return found, too_deep


def _claim(review: dict[str, Any]) -> str:
    """``claimReviewed``, else the text (or name) of the reviewed Claim."""
    claim = _text(_get(review, "claimReviewed"))
    item = _get(review, "itemReviewed")
    item = item[0] if isinstance(item, list) and item else item
    if not claim and isinstance(item, dict):
        claim = _text(_get(item, "text")) or _text(_get(item, "name"))
    return claim


def read_claimreview(path: Path) -> tuple[list[Debunk], list[str]]:
    """ClaimReview items of a JSON-LD file (wherever they sit: object, list, ``@graph``, DataFeed, a ``review``
    of an article) and problems with skipped ones."""
    try:
        data = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise DebunkFileError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise DebunkFileError(f"{path}: JSON nested too deeply to be a ClaimReview file") from None
    except ValueError as exc:  # e.g. a number beyond Python's digit limit
        raise DebunkFileError(f"{path}: not JSON ({exc})") from None
    reviews, too_deep = _reviews(data)
    problems = [f"{path}: parts nested deeper than {MAX_DEPTH} levels were not searched"] if too_deep else []
    if not reviews:
        raise DebunkFileError(f"{path}: no schema.org ClaimReview items (@type \"ClaimReview\") found"
                              + (f" within {MAX_DEPTH} levels of nesting" if too_deep else ""))
    out = []
    for k, r in enumerate(reviews, 1):
        claim = _claim(r)
        if not claim:
            problems.append(f"{path}: ClaimReview item {k} has no claimReviewed (nor itemReviewed.text); skipped")
            continue
        rating = _get(r, "reviewRating") or {}
        rating = rating[0] if isinstance(rating, list) and rating else rating
        review = _text(_get(rating, "alternateName") if isinstance(rating, dict) else "") or \
            _text(_get(r, "reviewBody"))
        keywords, url = _get(r, "keywords") or [], _get(r, "url")
        if isinstance(keywords, str):
            keywords = keywords.split(",")
        elif not isinstance(keywords, list):  # JSON-LD from the wild: a number, an object
            keywords = []
        date = _text(_get(r, "datePublished"))[:10] or None
        out.append(Debunk(claim, review, url if isinstance(url, str) else None, date,
                          [k for k in (_text(k) for k in keywords) if k], Path(path).name, "claimreview"))
    if not out:
        raise DebunkFileError(f"{path}: {len(reviews)} ClaimReview item(s) found but none names the claim "
                              "(claimReviewed or itemReviewed.text); nothing to import")
    return out, problems


def read_debunks(path: str | Path) -> tuple[list[Debunk], list[str]]:
    """Debunks from ``path`` and problems: ``.csv``/``.tsv`` EUvsDisinfo layouts, ``.json``/``.jsonld`` ClaimReview;
    any other name by its content (JSON when it starts with ``{`` or ``[``, else a delimited header)."""
    path = Path(path)
    if not path.is_file():
        raise DebunkFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonld"):
        return read_claimreview(path)
    if suffix not in (".csv", ".tsv"):
        with open(path, "rb") as fh:
            start = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        if start[:1] in (b"{", b"["):
            return read_claimreview(path)
        if not any(d in start.split(b"\n", 1)[0] for d in (b",", b";", b"\t")):
            raise DebunkFileError(f"{path}: unknown debunk format (neither JSON nor a delimited header line); "
                                  "use an EUvsDisinfo .csv or ClaimReview .json/.jsonld")
    return read_csv(path), []
