"""A thread made scannable: one de-duplicated line of labels per comment, a header that sums the thread up,
and coordination signals said in words against a baseline (a signal that cannot be explained is not shown).
"""

from __future__ import annotations

import json
import statistics
from datetime import datetime
from typing import Any

LAYER_ORDER = {"toxicity": 0, "techniques": 1, "narratives": 2, "claims": 3}


def label_groups(labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A comment's labels by layer, each label once: its best-scored annotation, how often and at which levels."""
    groups: dict[str, dict[str, dict[str, Any]]] = {}
    for a in labels:
        chips = groups.setdefault(a["layer"], {})
        chip = chips.get(a["label"])
        if chip is None:
            chip = chips[a["label"]] = {"a": {**a, "levels": []}, "count": 0}
        chip["count"] += 1
        level = (a.get("data") or {}).get("level")
        if level and level not in chip["a"]["levels"]:
            chip["a"]["levels"].append(level)
        if (a.get("score") or 0) > (chip["a"].get("score") or 0):
            chip["a"] = {**a, "levels": chip["a"]["levels"]}
    return [{"layer": layer, "chips": list(chips.values())}
            for layer, chips in sorted(groups.items(), key=lambda kv: (LAYER_ORDER.get(kv[0], 9), kv[0]))]


def _when(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def duration(seconds: float) -> str:
    """``2 h 40 min``, ``3 days 5 h``, ``12 min``."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"


def pace(cur: Any, document_id: str) -> dict[str, Any]:
    """The thread's own pace: comments with a time, first and last, and the median gap between comments."""
    times = [r[0] for r in cur.execute("SELECT posted FROM comments WHERE document_id = ? AND posted IS NOT NULL "
                                       "ORDER BY posted", [document_id]).fetchall()]
    gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
    return {"dated": len(times), "span": (times[-1] - times[0]).total_seconds() if len(times) > 1 else 0.0,
            "median_gap": statistics.median(gaps) if gaps else None}


def explain(signal: dict[str, Any], baseline: dict[str, Any]) -> str | None:
    """What is unusual about ``signal`` and against which baseline, in words; None when it cannot be said."""
    evidence = signal.get("evidence") or {}
    if isinstance(evidence, str):
        evidence = json.loads(evidence or "{}")
    kind = signal["kind"]
    if kind == "burst":
        start, end = _when(evidence.get("start")), _when(evidence.get("end"))
        n, expected = evidence.get("comments"), evidence.get("expected_per_window")
        window = evidence.get("window_seconds")
        if not (start and end and n and expected and window):
            return None
        median = baseline["median_gap"]
        return (f"{n} comments in {duration((end - start).total_seconds())} ({start:%Y-%m-%d %H:%M}–{end:%H:%M} UTC). "
                f"At this age of the thread, the normal pace of a thread's comments (learnt from the corpus) and "
                f"this thread's neighbouring hours predict {expected:.1f} comments per {duration(window)}: this "
                f"window holds {n / expected:.1f} times that."
                + (f" The thread's median gap between comments is {duration(median)} ({baseline['dated']} dated "
                   f"comments over {duration(baseline['span'])})." if median is not None else ""))
    if kind == "near_duplicate":
        names = len(signal.get("authors") or [])
        count = len(signal.get("comment_ids") or [])
        threshold = evidence.get("threshold")
        if not count:
            return None
        similar = f"word-shingle similarity ≥ {threshold:.2f}" if isinstance(threshold, int | float) else "near copies"
        return (f"{count} comments share one text ({similar}) under {names} different names; independent "
                f"commenters rarely write the same words.")
    if kind == "repeated_by_author":
        authors = signal.get("authors") or []
        count = len(signal.get("comment_ids") or [])
        if not (authors and count > 1):
            return None
        return f"{authors[0]} posted the same text {count} times; most authors say a thing once."
    if kind == "co_appearing_authors":
        shared, threads = evidence.get("shared_threads"), evidence.get("threads") or {}
        authors = signal.get("authors") or []
        if not (shared and len(authors) == 2 and all(a in threads for a in authors)):
            return None
        a, b = authors
        return (f"{a} and {b} commented together in {shared} threads; {a} comments in {threads[a]} threads in all, "
                f"{b} in {threads[b]}: they rarely comment apart.")
    if kind == "network_cluster":
        members, co_actions = signal.get("authors") or [], evidence.get("co_actions")
        window = evidence.get("window_seconds")
        places = len(evidence.get("places") or [])
        what = {"co-text": "posted near-identical texts", "co-link": "posted the same link",
                "co-reply": "answered the same comment", "co-forward": "forwarded the same message"}
        if not (len(members) > 1 and co_actions and window and evidence.get("network") in what):
            return None
        within = f"{window:g} s" if window < 120 else duration(window)
        return (f"{len(members)} authors {what[evidence['network']]} within {within} of each other "
                f"{co_actions} times, here and in other threads ({places} shown on the cluster's page); authors "
                "acting alone seldom meet like that again and again.")
    return None


def explained_signals(signals: list[dict[str, Any]], baseline: dict[str, Any]) -> tuple[list[dict[str, Any]],
                                                                                         dict[str, int]]:
    """The signals that can be said in words (with ``words``), and how many of each other kind were left out."""
    shown: list[dict[str, Any]] = []
    hidden: dict[str, int] = {}
    for s in signals:
        words = explain(s, baseline)
        if words is None:
            hidden[s["kind"]] = hidden.get(s["kind"], 0) + 1
        else:
            shown.append({**s, "words": words})
    return shown, hidden


def summary(cur: Any, document_id: str) -> dict[str, Any]:
    """The whole thread in numbers: comments, flagged (hate speech, offensive), techniques and narratives."""
    comments = int(cur.execute("SELECT count(*) FROM comments WHERE document_id = ?", [document_id]).fetchone()[0])
    pattern = document_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-c%"
    rows = cur.execute(
        "SELECT layer, label, count(DISTINCT target_id), count(*) FROM annotations WHERE target_type = 'comment' "
        "AND target_id LIKE ? ESCAPE '\\' AND ((layer IN ('techniques', 'narratives') AND label <> 'unsupported') OR "
        "(layer = 'toxicity' AND "
        "label IN ('hatespeech', 'offensive'))) GROUP BY 1, 2 ORDER BY 4 DESC, 2", [pattern]).fetchall()
    flagged = {label: int(n) for layer, label, n, _ in rows if layer == "toxicity"}
    share = sum(flagged.values()) / comments if comments else 0.0
    return {"comments": comments, "flagged": flagged, "flagged_share": share,
            "techniques": [(label, int(spans)) for layer, label, _, spans in rows if layer == "techniques"],
            "narratives": [(label, int(n)) for layer, label, n, _ in rows if layer == "narratives"]}
