"""The Jinja2 environment shared by the app and the report: autoescaping on, helpers for highlights and charts."""

from __future__ import annotations

from functools import lru_cache
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


@lru_cache(maxsize=1)
def _glossary() -> tuple[list[Any], dict[tuple[str, str], Any], dict[str, Any]]:
    from narrascope.web import glossary

    layers = glossary.glossary()
    return layers, glossary.definitions(layers), {layer.layer: layer for layer in layers}


def label_info(layer: str, label: str) -> Any:
    """The declared :class:`~narrascope.pipeline.component.Label` of ``label`` in ``layer`` (None if unknown)."""
    return _glossary()[1].get((layer, label))


def layer_info(layer: str) -> Any:
    """The glossary entry of a layer (model name and version, summary), None if no component declares it."""
    return _glossary()[2].get(layer)


def glossary_layers() -> list[Any]:
    return _glossary()[0]


def narrative_names() -> dict[str, str]:
    """Narrative id -> its name in the taxonomy (an id not in it stands for itself)."""
    layer = layer_info("narratives")
    return {label.name: label.title or label.name for label in layer.labels} if layer else {}


def environment() -> Any:
    """Templates under ``templates/``; every one autoescapes (corpus text is never trusted)."""
    import jinja2

    from narrascope.web import charts, glossary, highlight, text

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    env.globals.update(colour=highlight.colour, segments=highlight.segments, marked=highlight.marked,
                       layer_charts=charts.layer_charts, bars=charts.bars, month_bars=charts.month_bars,
                       label_info=label_info, layer_info=layer_info, glossary_layers=glossary_layers,
                       narrative_names=narrative_names,
                       glossary_anchor=glossary.anchor, signal_kinds=glossary.signal_kinds, glossary_url="/glossary",
                       quote=text.quote, title_of=text.title_of, masked=text.masked)
    env.filters["safe_url"] = safe_url
    env.filters["isolate"] = isolate
    return env
