"""Reply-graph statistics per thread, read from a store's ``comments``, ``edges`` and ``annotations``.

A thread is one stored document's comment section. Edges are replies (nesting) and
references (``@NAME``, ``#12``, quotes). Per thread: how many comments and authors, the
deepest nesting, who answers whom (author pairs), the most-answered comments, and the
share of each author's comments that the toxicity layer flagged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

FLAGGED_LABELS = ("hatespeech", "offensive")


@dataclass
class ThreadStats:
    """The reply graph of one thread, summarised."""

    document_id: str
    title: str | None
    comments: int
    authors: int
    max_depth: int
    replies: int
    references: int
    #: the page's language and its comments' languages, most frequent first ("?": too short to tell)
    language: str | None = None
    comment_languages: dict[str, int] = field(default_factory=dict)
    answers: list[dict[str, Any]] = field(default_factory=list)
    most_answered: list[dict[str, Any]] = field(default_factory=list)
    flagged_by_author: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"record": "thread", **self.__dict__}


def flagged_comments(store: Any) -> dict[str, str]:
    """Comment id -> label, for comments the toxicity layer labelled hatespeech or offensive."""
    rows = store.db.execute(
        "SELECT target_id, label FROM annotations WHERE layer = 'toxicity' AND target_type = 'comment' "
        "AND label IN ('hatespeech', 'offensive')").fetchall()
    return dict(rows)


def masked_comments(store: Any, threshold: float) -> dict[str, str]:
    """Comment id -> label, for comments whose text is hidden (:func:`narrascope.toxicity.masking.masked`)."""
    from narrascope.toxicity.masking import mask_sql

    rows = store.db.execute(
        f"SELECT t.target_id, t.label FROM annotations t WHERE t.layer = 'toxicity' AND t.target_type = 'comment' "
        f"AND {mask_sql(threshold)}").fetchall()
    return dict(rows)


def thread_stats(store: Any, document_id: str | None = None, top: int = 5) -> list[ThreadStats]:
    """Statistics for every thread in the store (or one), largest thread first."""
    where = "WHERE c.document_id = ?" if document_id else ""
    params = [document_id] if document_id else []
    rows = store.db.execute(
        f"SELECT c.document_id, d.title, c.id, c.author, c.depth, c.text, d.language, c.language FROM comments c "
        f"LEFT JOIN documents d ON d.id = c.document_id {where} ORDER BY c.document_id, c.position",
        params).fetchall()
    edges = store.db.execute(
        "SELECT e.source_id, e.target_id, e.kind FROM edges e JOIN comments c ON c.id = e.source_id "
        + ("WHERE c.document_id = ?" if document_id else ""), params).fetchall()
    flagged = flagged_comments(store)
    by_thread: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_thread[row[0]].append(row)
    edges_by_thread: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    thread_of = {r[2]: r[0] for r in rows}
    for src, dst, kind in edges:
        if src in thread_of:
            edges_by_thread[thread_of[src]].append((src, dst, kind))
    out = [_one_thread(doc_id, items, edges_by_thread[doc_id], flagged, top) for doc_id, items in by_thread.items()]
    return sorted(out, key=lambda t: (-t.comments, t.document_id))


def _one_thread(doc_id: str, rows: list[tuple[Any, ...]], edges: list[tuple[str, str, str]],
                flagged: dict[str, str], top: int) -> ThreadStats:
    author = {r[2]: r[3] for r in rows}
    text = {r[2]: r[5] for r in rows}
    pairs: Counter[tuple[str, str]] = Counter()
    answered: Counter[str] = Counter()
    for src, dst, _ in edges:
        answered[dst] += 1
        a, b = author.get(src), author.get(dst)
        if a and b and a != b:
            pairs[(a, b)] += 1
    per_author: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        if r[3]:
            per_author[r[3]][0] += 1
            per_author[r[3]][1] += r[2] in flagged
    shares: list[dict[str, Any]] = [{"author": a, "comments": n, "flagged": f, "share": round(f / n, 3)}
              for a, (n, f) in per_author.items() if f]
    return ThreadStats(
        document_id=doc_id, title=rows[0][1], comments=len(rows), language=rows[0][6],
        comment_languages=dict(Counter(r[7] or "?" for r in rows).most_common()), authors=len(per_author),
        max_depth=max((r[4] or 0) for r in rows), replies=sum(k == "reply" for *_, k in edges),
        references=sum(k == "reference" for *_, k in edges),
        answers=[{"author": a, "answers": b, "times": n} for (a, b), n in pairs.most_common(top)],
        most_answered=[{"comment_id": c, "author": author.get(c), "answers": n, "text": text.get(c, ""),
                        "label": flagged.get(c)} for c, n in answered.most_common(top)],
        flagged_by_author=sorted(shares, key=lambda s: (-s["flagged"], -s["share"], s["author"]))[:top])
