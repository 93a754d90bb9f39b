"""Corpus-level reads for the overview, the charts and the REST API (one DuckDB cursor each).

Every function takes a read-only cursor and plain values and returns plain data; a layer
that has not run reports ``"not run"`` instead of zero counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: annotation rows that are findings, with the document they belong to (a comment's id is ``DOCUMENT-cN``);
#: not the ``unsupported`` notes of text a layer could not read
ANN = ("(SELECT *, CASE WHEN target_type = 'comment' THEN split_part(target_id, '-c', 1) ELSE target_id END "
       "AS document_id FROM annotations WHERE label <> 'unsupported')")
LAYERS = ("techniques", "toxicity", "narratives", "claims")
FILTERS = ("outlet", "start", "end", "language", "technique", "narrative")


@dataclass
class Filters:
    """The overview's filters; ``start``/``end`` are ISO dates (inclusive) on ``published``.

    A date that is not ``YYYY-MM-DD`` is dropped and described in ``problems`` (the API answers
    422 with it, the pages show it), so no query ever casts an unchecked string to a date.
    """

    outlet: str | None = None
    start: str | None = None
    end: str | None = None
    language: str | None = None
    technique: str | None = None
    narrative: str | None = None
    problems: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for key in FILTERS:
            setattr(self, key, (getattr(self, key) or "").strip()[:200] or None)
        for key in ("start", "end"):
            value = getattr(self, key)
            if value is None:
                continue
            try:
                setattr(self, key, date.fromisoformat(value).isoformat() if len(value) == 10 else None)
            except ValueError:
                setattr(self, key, None)
            if getattr(self, key) is None:
                self.problems[key] = f"invalid date {key}={value!r}: give a date as YYYY-MM-DD"

    def where(self, d: str = "d") -> tuple[str, list[Any]]:
        """SQL conditions on documents aliased ``d`` and their parameters."""
        sql, params = ["TRUE"], []
        if self.outlet:
            sql.append(f"{d}.outlet = ?")
            params.append(self.outlet)
        if self.language:  # the document's language, or one of its passages' (an English page quoting Russian)
            sql.append(f"({d}.language = ? OR list_contains({d}.languages, ?))")
            params += [self.language] * 2
        if self.start:
            sql.append(f"{d}.published >= CAST(? AS DATE)")
            params.append(self.start)
        if self.end:
            sql.append(f"{d}.published < CAST(? AS DATE) + INTERVAL 1 DAY")
            params.append(self.end)
        for layer, label in (("techniques", self.technique), ("narratives", self.narrative)):
            if label:
                sql.append(f"{d}.id IN (SELECT document_id FROM {ANN} WHERE layer = ? AND label = ?)")
                params += [layer, label]
        return " AND ".join(sql), params

    def query(self) -> dict[str, str]:
        return {k: v for k in FILTERS if (v := getattr(self, k))}


def _grouped(cur: Any, expr: str, f: Filters, limit: int = 15) -> list[tuple[str, int]]:
    where, params = f.where()
    rows = cur.execute(f"SELECT coalesce(CAST({expr} AS VARCHAR), '(unknown)') AS k, count(*) AS n FROM documents d "
                       f"WHERE {where} GROUP BY k ORDER BY n DESC, k LIMIT ?", [*params, limit]).fetchall()
    return [(r[0], int(r[1])) for r in rows]


def layer_status(cur: Any) -> list[dict[str, Any]]:
    """Per analysis layer: ``not run``, or the documents it ran over, what it found and its failures."""
    runs = dict(cur.execute("SELECT component, count(DISTINCT document_id) FROM runs GROUP BY 1").fetchall())
    found = dict(cur.execute("SELECT layer, count(*) FROM annotations GROUP BY 1").fetchall())
    failed = dict(cur.execute("SELECT split_part(input_key, '|', 2), count(*) FROM failures "
                              "WHERE input_key LIKE '%|%' GROUP BY 1").fetchall())
    out: list[dict[str, Any]] = []
    for layer in LAYERS:
        ran = int(runs.get(layer, 0))
        out.append({"layer": layer, "status": "ran" if ran else "not run", "documents": ran,
                    "annotations": int(found.get(layer, 0)), "failures": int(failed.get(layer, 0))})
    signals = int(cur.execute("SELECT count(*) FROM signals").fetchone()[0])
    out.append({"layer": "coordination", "status": "ran" if signals else "not run (narrascope threads)",
                "documents": None, "annotations": signals, "failures": 0})
    debunks = int(cur.execute("SELECT count(*) FROM debunks").fetchone()[0])
    matches = int(cur.execute("SELECT count(*) FROM claim_matches").fetchone()[0])
    out.append({"layer": "debunks", "status": "ran" if matches else ("imported, not matched" if debunks
                                                                      else "not run (narrascope debunks import)"),
                "documents": debunks, "annotations": matches, "failures": 0})
    return out


def overview(cur: Any, f: Filters) -> dict[str, Any]:
    """Counts by outlet, language, kind and month (of the filtered documents) and the layers' status."""
    where, params = f.where()
    docs = int(cur.execute(f"SELECT count(*) FROM documents d WHERE {where}", params).fetchone()[0])
    undated_where, undated_params = Filters(f.outlet, None, None, f.language, f.technique, f.narrative).where()
    undated = int(cur.execute(f"SELECT count(*) FROM documents d WHERE {undated_where} AND d.published IS NULL",
                              undated_params).fetchone()[0])
    by_month = sorted(_grouped(cur, "strftime(d.published, '%Y-%m')", f, 240))
    by_month = [(m, n) for m, n in by_month if m != "(unknown)"]
    dated = bool(f.start or f.end)
    return {
        "documents": docs,
        #: documents without a date: their own bar in the month chart, or left out by a date filter
        "undated": undated, "undated_left_out": undated if dated else 0,
        "comments": int(cur.execute("SELECT count(*) FROM comments").fetchone()[0]),
        "annotations": int(cur.execute("SELECT count(*) FROM annotations").fetchone()[0]),
        "failures": int(cur.execute("SELECT count(*) FROM failures").fetchone()[0]),
        "by_outlet": _grouped(cur, "d.outlet", f),
        "by_language": _grouped(cur, "d.language", f),
        "by_kind": _grouped(cur, "d.kind", f),
        "by_month": by_month + ([("undated", undated)] if undated and not dated else []),
        "layers": layer_status(cur),
    }


def choices(cur: Any) -> dict[str, list[str]]:
    """Values offered by the filter form."""
    def values(sql: str) -> list[str]:
        return [r[0] for r in cur.execute(sql).fetchall() if r[0]]

    return {
        "outlets": values("SELECT outlet FROM documents GROUP BY 1 ORDER BY count(*) DESC LIMIT 200"),
        "languages": values("SELECT l FROM (SELECT unnest(coalesce(languages, [language])) AS l FROM documents) "
                            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 100"),
        "techniques": values(f"SELECT label FROM {ANN} WHERE layer = 'techniques' GROUP BY 1 ORDER BY 1"),
        "narratives": values(f"SELECT label FROM {ANN} WHERE layer = 'narratives' GROUP BY 1 ORDER BY 1"),
    }


def layer_series(cur: Any, layer: str, f: Filters, top: int = 6) -> dict[str, Any]:
    """Counts of a layer's labels per month and per outlet (techniques: spans; narratives: documents)."""
    where, params = f.where()
    label = f.technique if layer == "techniques" else f.narrative
    count = "count(*)" if layer == "techniques" else "count(DISTINCT a.document_id)"
    base = (f"FROM {ANN} a JOIN documents d ON d.id = a.document_id WHERE a.layer = ? AND {where}"
            + (" AND a.label = ?" if label else ""))
    args = [layer, *params, *([label] if label else [])]
    labels = [r[0] for r in cur.execute(f"SELECT a.label {base} GROUP BY 1 ORDER BY {count} DESC, 1 LIMIT ?",
                                        [*args, top]).fetchall()]
    if not labels:
        return {"labels": [], "months": [], "by_month": {}, "by_outlet": []}
    rows = cur.execute(f"SELECT a.label, strftime(d.published, '%Y-%m'), {count} {base} AND d.published IS NOT NULL "
                       "AND a.label IN (SELECT unnest(?)) GROUP BY 1, 2", [*args, labels]).fetchall()
    months = sorted({r[1] for r in rows})
    by_month = {lab: [0] * len(months) for lab in labels}
    for lab, month, n in rows:
        by_month[lab][months.index(month)] = int(n)
    outlets = cur.execute(f"SELECT coalesce(d.outlet, '(unknown)'), {count} {base} GROUP BY 1 ORDER BY 2 DESC, 1 "
                          "LIMIT 12", args).fetchall()
    return {"labels": labels, "months": months, "by_month": by_month,
            "by_outlet": [(o, int(n)) for o, n in outlets]}


def top_documents(cur: Any, f: Filters, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
    """Documents with the most technique spans and narratives first, then the newest."""
    where, params = f.where()
    rows = cur.execute(
        f"SELECT d.id, d.title, d.outlet, d.kind, d.language, CAST(d.published AS VARCHAR), "
        f"coalesce(t.n, 0), coalesce(t.narr, 0) FROM documents d LEFT JOIN (SELECT document_id, "
        f"count(*) FILTER (WHERE layer = 'techniques') AS n, count(DISTINCT label) FILTER (WHERE layer = "
        f"'narratives') AS narr FROM {ANN} GROUP BY 1) t ON t.document_id = d.id WHERE {where} "
        "ORDER BY coalesce(t.n, 0) + coalesce(t.narr, 0) DESC, d.published DESC NULLS LAST, d.id LIMIT ? OFFSET ?",
        [*params, limit, offset]).fetchall()
    keys = ("id", "title", "outlet", "kind", "language", "published", "techniques", "narratives")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def documents(cur: Any, f: Filters, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Documents in id order (stable pages for the API)."""
    where, params = f.where()
    rows = cur.execute(
        f"SELECT d.id, d.source, d.outlet, d.kind, d.title, d.author, CAST(d.published AS VARCHAR), d.language, "
        f"coalesce(d.languages, []), d.duplicate_of FROM documents d WHERE {where} ORDER BY d.id LIMIT ? OFFSET ?",
        [*params, limit, offset]).fetchall()
    keys = ("id", "source", "outlet", "kind", "title", "author", "published", "language", "languages", "duplicate_of")
    return [dict(zip(keys, r, strict=True)) for r in rows]
