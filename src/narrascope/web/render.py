"""The Jinja2 environment shared by the app and the report: autoescaping on, helpers for highlights and charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def safe_url(url: str | None) -> str | None:
    """``url`` if it is plain http(s) (rendered as an inert link), else None (shown as text only)."""
    text = (url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) and not any(c in text for c in "\"'<> ") else None


def isolate(value: Any) -> str:
    """Corpus text for places where no ``<bdi>`` can go (``<title>``, SVG labels): wrapped in FSI … PDI so its
    bidi controls (U+202E and kin) cannot reorder what follows; isolate controls inside it are dropped."""
    text = "" if value is None else str(value)
    return "\u2068" + text.translate(ISOLATE_CONTROLS) + "\u2069"


#: U+2066-U+2069 (LRI, RLI, FSI, PDI): one of these in corpus text could end the isolate early
ISOLATE_CONTROLS = dict.fromkeys(range(0x2066, 0x206A))


def environment() -> Any:
    """Templates under ``templates/``; every one autoescapes (corpus text is never trusted)."""
    import jinja2

    from narrascope.web import charts, highlight

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals.update(colour=highlight.colour, segments=highlight.segments, marked=highlight.marked,
                       layer_charts=charts.layer_charts, bars=charts.bars, month_bars=charts.month_bars)
    env.filters["safe_url"] = safe_url
    env.filters["isolate"] = isolate
    return env
