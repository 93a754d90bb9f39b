"""The Jinja2 environment shared by the app and the report: autoescaping on, helpers for highlights and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def safe_url(url: str | None) -> str | None:
    """``url`` if it is plain http(s) (rendered as an inert link), else None (shown as text only)."""
    text = (url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) and not any(c in text for c in "\"'<> ") else None


def environment() -> Any:
    """Templates under ``templates/``; every one autoescapes (corpus text is never trusted)."""
    import jinja2

    from narrascope.web import charts, highlight

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals.update(colour=highlight.colour, segments=highlight.segments, marked=highlight.marked,
                       layer_charts=charts.layer_charts, bars=charts.bars, month_bars=charts.month_bars)
    env.filters["safe_url"] = safe_url
    return env
