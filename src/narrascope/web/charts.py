"""Charts as inline SVG built on the server: no script, no style attribute, no external request.

Each function returns a plain description (sizes, rectangles, polylines, labels) that the
``chart.html`` macro renders with autoescaping; colours are CSS classes (``s0`` ... ``s7``).
"""

from __future__ import annotations

from typing import Any

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 40, 10
UNDATED = "undated"  # the month of documents without a date


def _ticks(top: int) -> list[int]:
    if top <= 0:
        return [0]
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))


def bars(title: str, pairs: list[tuple[str, int]]) -> dict[str, Any]:
    """Horizontal bars, one per (label, count)."""
    row = 18
    height = TOP + row * max(1, len(pairs)) + 10
    top = max((n for _, n in pairs), default=0) or 1
    label_w = 200
    items = []
    for i, (label, n) in enumerate(pairs):
        w = round((WIDTH - label_w - 50) * n / top)
        items.append({"label": label[:40], "n": n, "x": label_w, "y": TOP + i * row, "w": max(w, 1), "h": row - 4,
                      "ty": TOP + i * row + row - 7, "nx": label_w + max(w, 1) + 4})
    return {"kind": "bars", "title": title, "width": WIDTH, "height": height, "items": items, "label_w": label_w,
            "empty": not pairs}


def lines(title: str, months: list[str], series: dict[str, list[int]]) -> dict[str, Any]:
    """One line per series over months (a single month draws points)."""
    top = max((v for vals in series.values() for v in vals), default=0)
    span_w, span_h = WIDTH - LEFT - 20, HEIGHT - BOTTOM - TOP
    step = span_w / max(1, len(months) - 1)

    def xy(i: int, v: int) -> tuple[float, float]:
        return round(LEFT + i * step, 1), round(TOP + span_h - span_h * v / (top or 1), 1)

    drawn = []
    for k, (label, vals) in enumerate(series.items()):
        points = [xy(i, v) for i, v in enumerate(vals)]
        drawn.append({"label": label, "cls": f"s{k % 8}", "points": " ".join(f"{x},{y}" for x, y in points),
                      "dots": points})
    every = max(1, len(months) // 8)
    xlabels = [{"x": xy(i, 0)[0], "text": m} for i, m in enumerate(months) if i % every == 0]
    ylabels = [{"y": xy(0, t)[1], "text": t} for t in _ticks(top)]
    return {"kind": "lines", "title": title, "width": WIDTH, "height": HEIGHT, "series": drawn, "xlabels": xlabels,
            "ylabels": ylabels, "base": TOP + span_h, "left": LEFT, "right": WIDTH - 20, "empty": not months}


def month_bars(title: str, pairs: list[tuple[str, int]]) -> dict[str, Any]:
    """Vertical bars per month."""
    top = max((n for _, n in pairs), default=0) or 1
    span_w, span_h = WIDTH - LEFT - 20, HEIGHT - BOTTOM - TOP
    w = span_w / max(1, len(pairs))
    every = max(1, len(pairs) // 8)
    items = []
    for i, (label, n) in enumerate(pairs):
        h = round(span_h * n / top, 1)
        undated = label == UNDATED  # its own bar, always labelled, in its own colour
        items.append({"label": label, "n": n, "x": round(LEFT + i * w + 1, 1), "w": max(1.0, round(w - 2, 1)),
                      "y": round(TOP + span_h - h, 1), "h": h, "show": i % every == 0 or undated,
                      "cls": "bar undated" if undated else "bar"})
    return {"kind": "columns", "title": title, "width": WIDTH, "height": HEIGHT, "items": items,
            "base": TOP + span_h, "left": LEFT, "ylabels": [{"y": round(TOP + span_h - span_h * t / top, 1), "text": t}
                                                              for t in _ticks(top)], "empty": not pairs}


def layer_charts(name: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The over-time and by-outlet charts of one layer's series (see ``queries.layer_series``)."""
    return [lines(f"{name} per month", data["months"], data["by_month"]),
            bars(f"{name} by outlet", data["by_outlet"])]
