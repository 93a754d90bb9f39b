"""The documents and threads tables: one row of measures per document, sorted, filtered and exported.

The measures come from one aggregate query over the store (``STATS``), written once per version
of the store to a Parquet file that each request then sorts, filters and pages in an in-memory
DuckDB (milliseconds on 100,000 documents). Technique density counts the spans in the article
body per 1,000 characters of it; spans in comments are counted apart, so a long thread does not
make an article look dense. A document without a title is named by the first words of its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from narrascope.web.queries import Filters

#: words of an untitled document's text that name it (cut at a word boundary, with an ellipsis)
FIRST_WORDS = r"^\s*(.{1,70}\S*)"
STATS = rf"""
WITH da AS (SELECT target_id AS document_id,
   count(*) FILTER (WHERE layer = 'techniques') AS body_techniques,
   count(*) FILTER (WHERE layer = 'claims') AS claims,
   list(DISTINCT label) FILTER (WHERE layer = 'narratives') AS narratives
   FROM annotations WHERE target_type = 'document' AND layer IN ('techniques', 'narratives', 'claims')
   AND label <> 'unsupported' GROUP BY 1),
bt AS (SELECT document_id, list(label ORDER BY n DESC, label) AS techniques FROM (
   SELECT target_id AS document_id, label, count(*) AS n FROM annotations
   WHERE layer = 'techniques' AND target_type = 'document' AND label <> 'unsupported' GROUP BY 1, 2) GROUP BY 1),
ca AS (SELECT split_part(target_id, '-c', 1) AS document_id,
   count(*) FILTER (WHERE layer = 'techniques') AS comment_techniques,
   list(DISTINCT label) FILTER (WHERE layer = 'techniques') AS comment_technique_labels,
   list(DISTINCT label) FILTER (WHERE layer = 'narratives') AS comment_narratives,
   count(DISTINCT target_id) FILTER (WHERE layer = 'toxicity') AS flagged,
   count(DISTINCT target_id) FILTER (WHERE label = 'hatespeech') AS hatespeech
   FROM annotations WHERE target_type = 'comment' AND ((layer IN ('techniques', 'narratives')
     AND label <> 'unsupported') OR (layer = 'toxicity' AND label IN ('hatespeech', 'offensive'))) GROUP BY 1),
c AS (SELECT document_id, count(*) AS comments, count(DISTINCT author) AS authors FROM comments GROUP BY 1),
g AS (SELECT d AS document_id, count(*) AS signals FROM (SELECT unnest(document_ids) AS d FROM signals) GROUP BY 1),
base AS (SELECT d.*, CASE WHEN nullif(trim(d.title), '') IS NULL THEN regexp_extract(
   regexp_replace(substr(d.body, 1, 400), '\s+', ' ', 'g'), '{FIRST_WORDS}', 1) END AS first_words FROM documents d)
SELECT d.id,
  CASE WHEN d.first_words IS NULL THEN (CASE WHEN length(trim(d.title)) > 200 THEN left(trim(d.title), 200) || '…'
       ELSE trim(d.title) END) WHEN d.first_words = '' THEN '(empty document)'
       WHEN length(trim(d.body)) > length(d.first_words) + 1 THEN d.first_words || '…'
       ELSE d.first_words END AS title,
  d.first_words IS NOT NULL AS untitled, d.outlet, d.kind, d.language, d.languages, d.published,
  length(d.body) AS body_chars, coalesce(da.body_techniques, 0) AS body_techniques,
  round(coalesce(da.body_techniques, 0) * 1000.0 / nullif(length(d.body), 0), 2) AS density,
  coalesce(ca.comment_techniques, 0) AS comment_techniques, coalesce(da.claims, 0) AS claims,
  coalesce(bt.techniques, []) AS techniques,
  list_distinct(list_concat(coalesce(bt.techniques, []), coalesce(ca.comment_technique_labels, []))) AS all_techniques,
  list_sort(list_distinct(list_concat(coalesce(da.narratives, []), coalesce(ca.comment_narratives, [])))) AS narratives,
  coalesce(c.comments, 0) AS comments, coalesce(c.authors, 0) AS authors,
  coalesce(ca.flagged, 0) AS flagged, coalesce(ca.hatespeech, 0) AS hatespeech,
  round(coalesce(ca.flagged, 0) / nullif(c.comments, 0), 4) AS flagged_share, coalesce(g.signals, 0) AS signals
FROM base d LEFT JOIN da ON da.document_id = d.id LEFT JOIN bt ON bt.document_id = d.id
LEFT JOIN ca ON ca.document_id = d.id LEFT JOIN c ON c.document_id = d.id LEFT JOIN g ON g.document_id = d.id
"""


@dataclass(frozen=True)
class Column:
    """One column of a table: its key in the stats, its heading and what it means (the heading's tooltip)."""

    key: str
    heading: str
    help: str
    numeric: bool = True


TITLE = Column("title", "title", "the document's title, or its first words in quotes when it has none", False)
OUTLET = Column("outlet", "outlet", "the site the page comes from", False)
PUBLISHED = Column("published", "published", "publication date (UTC) as the page gives it", False)
NARRATIVES = Column("narratives", "narratives", "narratives of the taxonomy found in the text or its comments",
                    False)
DOCUMENT_COLUMNS = (
    TITLE, OUTLET, PUBLISHED,
    Column("language", "lang", "language of the text", False),
    Column("density", "techniques / 1,000 chars", "technique spans in the article body per 1,000 characters of it"),
    Column("body_techniques", "technique spans", "technique spans in the article body"),
    Column("techniques", "techniques", "techniques in the article body, most frequent first", False),
    NARRATIVES,
    Column("claims", "claims", "check-worthy sentences in the article body"),
    Column("comments", "comments", "comments in the thread under the page"),
    Column("comment_techniques", "spans in comments", "technique spans in the comments (not in the density)"),
    Column("flagged", "flagged comments", "comments labelled hate speech or offensive"),
)
THREAD_COLUMNS = (
    TITLE, OUTLET, PUBLISHED,
    Column("comments", "comments", "comments in the thread"),
    Column("authors", "authors", "distinct comment authors (anonymous counts once)"),
    Column("flagged_share", "flagged share", "share of the comments labelled hate speech or offensive"),
    Column("flagged", "flagged", "comments labelled hate speech or offensive"),
    Column("hatespeech", "hate speech", "comments labelled hate speech"),
    Column("comment_techniques", "technique spans", "technique spans in the comments"),
    NARRATIVES,
    Column("signals", "coordination signals", "coordination signals touching the thread (narrascope threads)"),
)
TABLES = {"documents": DOCUMENT_COLUMNS, "threads": THREAD_COLUMNS}
DEFAULT_SORT = {"documents": "density", "threads": "flagged_share"}
PAGE = 50


@dataclass
class View:
    """What a table shows: which table, its filters, the title filter ``q``, the sort and the page."""

    table: str
    filters: Filters
    q: str = ""
    sort: str = ""
    order: str = ""
    limit: int = PAGE
    offset: int = 0

    def __post_init__(self) -> None:
        keys = {c.key for c in TABLES[self.table]}
        if self.sort not in keys:
            self.sort = DEFAULT_SORT[self.table]
        numeric = next(c.numeric for c in TABLES[self.table] if c.key == self.sort)
        if self.order not in ("asc", "desc"):
            self.order = "desc" if numeric or self.sort == "published" else "asc"
        self.q = self.q.strip()[:200]

    @property
    def columns(self) -> tuple[Column, ...]:
        return TABLES[self.table]

    def where(self) -> tuple[str, list[Any]]:
        """SQL conditions on the stats rows and their parameters."""
        f = self.filters
        sql, params = ["comments > 0"] if self.table == "threads" else ["TRUE"], []
        if f.outlet:
            sql.append("outlet = ?")
            params.append(f.outlet)
        if f.language:  # the document's language, or one of its passages'
            sql.append("(language = ? OR list_contains(languages, ?))")
            params += [f.language] * 2
        if f.start:
            sql.append("published >= CAST(? AS DATE)")
            params.append(f.start)
        if f.end:
            sql.append("published < CAST(? AS DATE) + INTERVAL 1 DAY")
            params.append(f.end)
        for column, value in (("all_techniques", f.technique), ("narratives", f.narrative)):
            if value:
                sql.append(f"list_contains({column}, ?)")
                params.append(value)
        if self.q:
            sql.append("(title ILIKE ? OR outlet ILIKE ?)")
            params += [f"%{self.q}%"] * 2
        return " AND ".join(sql), params

    def query(self, source: str, paged: bool = True) -> tuple[str, list[Any]]:
        """The rows shown (``paged``) or all rows matching, in the shown order, as SQL over ``source``."""
        where, params = self.where()
        keys = ", ".join(["id", *(c.key for c in self.columns), *(["untitled", "kind"] if paged else [])])
        sql = (f"SELECT {keys} FROM {source} WHERE {where} "
               f"ORDER BY {self.sort} {self.order.upper()} NULLS LAST, title, id")
        if paged:
            sql += f" LIMIT {int(self.limit)} OFFSET {int(self.offset)}"
        return sql, params

    def params(self, **change: Any) -> dict[str, str]:
        """The query string of this view (for sort links, next pages and exports), with ``change`` applied."""
        out = {**self.filters.query(), "q": self.q, "sort": self.sort, "order": self.order,
               "offset": str(self.offset)}
        out.update({k: str(v) for k, v in change.items()})
        return {k: v for k, v in out.items() if v and v != "0"}


def rows(con: Any, source: str, view: View) -> tuple[list[dict[str, Any]], int]:
    """The page of rows and how many rows match."""
    where, params = view.where()
    total = int(con.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0])
    sql, params = view.query(source)
    cur = con.execute(sql, params)
    keys = [d[0] for d in cur.description]
    return [dict(zip(keys, r, strict=True)) for r in cur.fetchall()], total


def stats_source(path: str) -> str:
    """The stats file as a table expression (the path comes from this process, never from a request)."""
    return "read_parquet('" + path.replace("'", "''") + "')"
