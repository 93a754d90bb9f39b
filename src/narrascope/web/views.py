"""One document, one thread, one narrative: what their pages and API endpoints show."""

from __future__ import annotations

import json
from typing import Any

from narrascope.toxicity.masking import DEFAULT_THRESHOLD, mask_sql, masked
from narrascope.web.queries import ANN
from narrascope.web.text import title_of


def flag_sql(target: str, threshold: float) -> str:
    """SQL for the toxicity label of a masked comment (its text stays behind a content warning), else NULL."""
    return (f"(SELECT max(t.label) FROM annotations t WHERE t.target_id = {target} AND t.layer = 'toxicity' "
            f"AND {mask_sql(threshold)})")
THREAD_PAGE = 500  # comments per thread page
ANN_COLS = ("id", "target_id", "target_type", "start_char", "end_char", "layer", "label", "score", "producer",
            "producer_version", "data")


def _annotations(cur: Any, where: str, params: list[Any], page: str = "") -> list[dict[str, Any]]:
    rows = cur.execute(f"SELECT {', '.join(ANN_COLS)} FROM annotations WHERE {where} "
                       f"ORDER BY target_id, start_char, end_char, layer, label, id {page}", params).fetchall()
    out = []
    for r in rows:
        a = dict(zip(ANN_COLS, r, strict=True))
        a["data"] = json.loads(a["data"]) if a["data"] else {}
        out.append(a)
    return out


def annotation(cur: Any, annotation_id: str) -> dict[str, Any] | None:
    found = _annotations(cur, "id = ?", [annotation_id])
    return found[0] if found else None


def annotation_page(cur: Any, target_id: str | None = None, layer: str | None = None, limit: int = 100,
                offset: int = 0) -> list[dict[str, Any]]:
    where, params = ["TRUE"], []
    if target_id:
        where.append("target_id = ?")
        params.append(target_id)
    if layer:
        where.append("layer = ?")
        params.append(layer)
    return _annotations(cur, " AND ".join(where), [*params, limit, offset], "LIMIT ? OFFSET ?")


def document(cur: Any, document_id: str) -> dict[str, Any] | None:
    """The document, its items and sources, its annotations by layer, the debunks its claims match and, under
    ``unread``, the ``unsupported`` notes of the passages a layer could not read (their language)."""
    keys = ("id", "source", "outlet", "kind", "title", "author", "published_raw", "published", "language", "body",
            "duplicate_of", "similarity", "languages")
    row = cur.execute(f"SELECT {', '.join(keys[:7])}, CAST(published AS VARCHAR), {', '.join(keys[8:])} "
                      "FROM documents WHERE id = ?", [document_id]).fetchone()
    if row is None:
        return None
    doc = dict(zip(keys, row, strict=True))
    doc["items"] = [dict(zip(("title", "text", "url"), r, strict=True)) for r in cur.execute(
        "SELECT title, text, url FROM items WHERE document_id = ? ORDER BY position", [document_id]).fetchall()]
    doc["sources"] = [r[0] for r in cur.execute(
        "SELECT source FROM sources WHERE document_id = ? ORDER BY source", [document_id]).fetchall()]
    doc["comments"] = int(cur.execute("SELECT count(*) FROM comments WHERE document_id = ?",
                                      [document_id]).fetchone()[0])
    found = _annotations(cur, "target_id = ?", [document_id])
    doc["annotations"] = [a for a in found if a["label"] != "unsupported"]
    doc["unread"] = [a for a in found if a["label"] == "unsupported"]  # what a layer could not read, and why
    doc["debunks"] = debunks_for(cur, [a["id"] for a in doc["annotations"] if a["layer"] == "claims"])
    doc["ran"] = [r[0] for r in cur.execute("SELECT DISTINCT component FROM runs WHERE document_id = ?",
                                            [document_id]).fetchall()]
    return doc


def exists(cur: Any, document_id: str) -> bool:
    return cur.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is not None


def comment_page(cur: Any, comment_id: str, per_page: int = THREAD_PAGE) -> tuple[str, int] | None:
    """The document of a comment and the offset of the thread page that shows it."""
    row = cur.execute("SELECT c.document_id, (SELECT count(*) FROM comments o WHERE o.document_id = c.document_id "
                      "AND o.position < c.position) FROM comments c WHERE c.id = ?", [comment_id]).fetchone()
    return None if row is None else (row[0], int(row[1]) // per_page * per_page)


def debunks_for(cur: Any, claim_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Claim annotation id -> matched debunks above the threshold, best first."""
    if not claim_ids:
        return {}
    rows = cur.execute(
        "SELECT m.claim_id, d.id, d.claim, d.review, d.url, m.score FROM claim_matches m JOIN debunks d "
        "ON d.id = m.debunk_id WHERE m.above_threshold AND m.claim_id IN (SELECT unnest(?)) ORDER BY m.rank",
        [claim_ids]).fetchall()
    out: dict[str, list[dict[str, Any]]] = {}
    for claim, *rest in rows:
        out.setdefault(claim, []).append(dict(zip(("id", "claim", "review", "url", "score"), rest, strict=True)))
    return out


def _sort_labels(comments: list[dict[str, Any]], anns: list[dict[str, Any]],
                 threshold: float = DEFAULT_THRESHOLD) -> None:
    """Give each comment its toxicity label, its toxic spans, its other labels (``anns`` are theirs) and
    ``masked``: whether its text stays behind a content warning (:func:`narrascope.toxicity.masking.masked`)."""
    by_id = {c["id"]: c for c in comments}
    for c in comments:
        c.update(toxicity=None, spans=[], labels=[], masked=False)
    for a in anns:
        c = by_id[a["target_id"]]
        if a["layer"] == "toxicity" and a["label"] != "toxic_span":
            c["toxicity"] = a
            c["masked"] = masked(a["label"], a["score"], threshold)
        elif a["layer"] == "toxicity":
            c["spans"].append(a)
        else:
            c["labels"].append(a)


def fixable(comment: dict[str, Any]) -> list[dict[str, Any]]:
    """The labels of a comment an analyst may correct, in the order its correction form lists them."""
    return (([comment["toxicity"]] if comment["toxicity"] else []) + comment["labels"] + comment["spans"]
            + comment.get("added", []))  # then the spans analysts added


def comment(cur: Any, comment_id: str) -> dict[str, Any] | None:
    """One comment (its thread, number, author) with its labels sorted as on the thread page; None if unknown."""
    keys = ("id", "document_id", "position", "number", "author")
    row = cur.execute(f"SELECT {', '.join(keys)} FROM comments WHERE id = ?", [comment_id]).fetchone()
    if row is None:
        return None
    found = dict(zip(keys, row, strict=True))
    _sort_labels([found], _annotations(cur, "target_id = ?", [comment_id]))
    return found


def thread(cur: Any, document_id: str, limit: int = 500, offset: int = 0,
           threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Comments (nesting, reply and reference edges, toxicity, other layers) and coordination signals;
    ``threshold`` is the offensive masking threshold."""
    keys = ("id", "position", "number", "author", "posted_raw", "posted", "depth", "parent_id", "text", "language")
    rows = cur.execute("SELECT id, position, number, author, posted_raw, CAST(posted AS VARCHAR), depth, parent_id, "
                       "text, language FROM comments WHERE document_id = ? ORDER BY position LIMIT ? OFFSET ?",
                       [document_id, limit, offset]).fetchall()
    comments = [dict(zip(keys, r, strict=True)) for r in rows]
    ids = [c["id"] for c in comments]
    edges = cur.execute("SELECT source_id, target_id, kind FROM edges WHERE source_id IN (SELECT unnest(?)) "
                        "ORDER BY source_id, kind, target_id", [ids]).fetchall() if ids else []
    anns = _annotations(cur, "target_id IN (SELECT unnest(?))", [ids]) if ids else []
    number = {c["id"]: c["number"] or c["position"] for c in comments}
    by_id = {c["id"]: c for c in comments}
    for c in comments:
        c["edges"] = []
    for src, dst, kind in edges:
        by_id[src]["edges"].append({"kind": kind, "target": dst, "number": number.get(dst)})
    _sort_labels(comments, anns, threshold)
    signals = cur.execute(
        "SELECT kind, score, summary, authors, comment_ids, evidence, id FROM signals "
        "WHERE list_contains(document_ids, ?) "
        "ORDER BY score DESC LIMIT 100", [document_id]).fetchall()
    ran = {r[0] for r in cur.execute("SELECT DISTINCT component FROM runs WHERE document_id = ?",
                                     [document_id]).fetchall()}
    total = int(cur.execute("SELECT count(*) FROM comments WHERE document_id = ?", [document_id]).fetchone()[0])
    return {"comments": comments, "total": total, "toxicity_ran": "toxicity" in ran,
            "signals": [{**dict(zip(("kind", "score", "summary", "authors", "comment_ids"), s[:5], strict=True)),
                         "evidence": json.loads(s[5]) if s[5] else {}, "id": s[6]} for s in signals]}


def narratives(cur: Any) -> dict[str, Any]:
    """Taxonomy narratives with how many documents carry them, and the discovered clusters."""
    from narrascope.narratives.taxonomy import load_taxonomy

    counts = {r[0]: (int(r[1]), int(r[2])) for r in cur.execute(
        f"SELECT label, count(DISTINCT document_id), count(*) FROM {ANN} WHERE layer = 'narratives' "
        "GROUP BY 1").fetchall()}
    try:
        taxonomy = list(load_taxonomy())
    except Exception:  # noqa: BLE001 - a broken analyst file must not take the page down
        taxonomy = []
    known = {n.id for n in taxonomy}
    rows = [{"id": n.id, "name": n.name, "description": n.description, "parent": n.parent,
             "documents": counts.get(n.id, (0, 0))[0], "annotations": counts.get(n.id, (0, 0))[1]}
            for n in taxonomy]
    rows += [{"id": k, "name": k, "description": "(not in the taxonomy)", "parent": None, "documents": v[0],
              "annotations": v[1]} for k, v in counts.items() if k not in known]
    rows.sort(key=lambda r: (-r["documents"], r["id"]))
    clusters = cur.execute("SELECT id, label, keywords, size, CAST(first_seen AS VARCHAR), CAST(last_seen AS VARCHAR), "
                           "promoted_to FROM narrative_clusters ORDER BY size DESC LIMIT 200").fetchall()
    ran = cur.execute("SELECT count(*) FROM runs WHERE component = 'narratives'").fetchone()[0] > 0
    return {"ran": ran, "narratives": rows, "clusters": [dict(zip(
        ("id", "label", "keywords", "size", "first_seen", "last_seen", "promoted_to"), c, strict=True))
        for c in clusters]}


def known_narrative(cur: Any, narrative_id: str) -> bool:
    """Whether ``narrative_id`` is in the taxonomy, a discovered cluster or a stored narrative label."""
    from narrascope.narratives.taxonomy import load_taxonomy

    try:
        if any(n.id == narrative_id for n in load_taxonomy()):
            return True
    except Exception:  # noqa: BLE001 - a broken analyst file must not take the page down
        pass
    found = cur.execute("SELECT 1 FROM narrative_clusters WHERE id = ? UNION ALL SELECT 1 FROM annotations WHERE "
                        "layer = 'narratives' AND label = ? LIMIT 1", [narrative_id, narrative_id]).fetchone()
    return found is not None


def distinct_passages(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each passage once: a paragraph hit that holds a sentence hit of the same text (or the reverse) is one
    passage, the best-scored kept, in the order given."""
    kept: list[dict[str, Any]] = []
    for s in spans:
        if not any(k["target_id"] == s["target_id"] and k["start"] < s["end"] and s["start"] < k["end"] for k in kept):
            kept.append(s)
    return kept


def narrative(cur: Any, narrative_id: str, limit: int = 50,
              threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any] | None:
    """One narrative (or discovered cluster): its documents, sentences, outlets and timeline; None if unknown."""
    if not known_narrative(cur, narrative_id):
        return None
    cluster = cur.execute("SELECT id, label, keywords, size FROM narrative_clusters WHERE id = ?",
                          [narrative_id]).fetchone()
    if cluster:
        spans = cur.execute(
            f"SELECT m.target_id, split_part(m.target_id, '-c', 1), m.start_char, m.end_char, m.text, NULL, "
            f"{flag_sql('m.target_id', threshold)} FROM narrative_cluster_members m WHERE m.cluster_id = ? "
            "ORDER BY m.seen DESC NULLS LAST LIMIT ?",
            [narrative_id, limit]).fetchall()
        docs_sql = ("SELECT DISTINCT split_part(target_id, '-c', 1) AS document_id FROM narrative_cluster_members "
                    "WHERE cluster_id = ?")
    else:
        spans = cur.execute(
            f"SELECT a.target_id, a.document_id, a.start_char, a.end_char, substr(coalesce(c.text, d.body), "
            f"a.start_char + 1, a.end_char - a.start_char), a.score, {flag_sql('a.target_id', threshold)} "
            f"FROM {ANN} a LEFT JOIN documents d ON "
            "d.id = a.target_id LEFT JOIN comments c ON c.id = a.target_id WHERE a.layer = 'narratives' AND "
            "a.label = ? ORDER BY a.score DESC LIMIT ?", [narrative_id, limit]).fetchall()
        docs_sql = f"SELECT DISTINCT document_id FROM {ANN} WHERE layer = 'narratives' AND label = ?"
    documents = cur.execute(f"SELECT d.id, d.title, d.outlet, CAST(d.published AS VARCHAR), substr(d.body, 1, 300) "
                            f"FROM documents d WHERE d.id IN ({docs_sql}) ORDER BY d.published DESC NULLS LAST "
                            "LIMIT ?", [narrative_id, limit]).fetchall()
    titles = {r[0]: title_of({"title": r[1], "body": r[2]}) for r in cur.execute(
        "SELECT id, title, substr(body, 1, 300) FROM documents WHERE id IN (SELECT unnest(?))",
        [sorted({s[1] for s in spans})]).fetchall()} if spans else {}
    outlets = cur.execute(f"SELECT coalesce(outlet, '(unknown)'), count(*) FROM documents WHERE id IN ({docs_sql}) "
                          "GROUP BY 1 ORDER BY 2 DESC LIMIT 20", [narrative_id]).fetchall()
    months = cur.execute(f"SELECT strftime(published, '%Y-%m') AS m, count(*) FROM documents WHERE id IN "
                         f"({docs_sql}) AND published IS NOT NULL GROUP BY 1 ORDER BY 1", [narrative_id]).fetchall()
    return {"id": narrative_id, "cluster": dict(zip(("id", "label", "keywords", "size"), cluster, strict=True))
            if cluster else None,
            "sentences": distinct_passages([{**dict(zip(("target_id", "document_id", "start", "end", "text", "score",
                                                           "flag"), s, strict=True)),
                                             "title": titles.get(s[1]) or s[1]}
                                            for s in spans]),
            "documents": [{**dict(zip(("id", "title", "outlet", "published"), d[:4], strict=True)),
                           "title": title_of({"title": d[1], "body": d[4]})} for d in documents],
            "outlets": [(o, int(n)) for o, n in outlets], "months": [(m, int(n)) for m, n in months]}
