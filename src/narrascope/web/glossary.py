"""What every label means, read from the components' own declarations in the registry.

The glossary page, the labels' popovers and the report all read :func:`glossary`; no list of
labels is kept here. A component of a plugin shows up as soon as it is registered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from narrascope import registry
from narrascope.coordination.signals import SIGNAL_KINDS
from narrascope.pipeline.component import Label


@dataclass
class Layer:
    """One analysis layer: its component, model (name and version), what it finds and its labels."""

    layer: str
    component: str
    summary: str
    model_name: str
    version: str
    labels: list[Label] = field(default_factory=list)


def glossary() -> list[Layer]:
    """The registered components' layers and labels, in registry order (one entry per layer)."""
    out: dict[str, Layer] = {}
    for name in registry.components.names():
        cls: Any = registry.components.get(name)
        layer = getattr(cls, "layer", "") or name
        if layer in out:
            continue
        try:
            version = str(cls.version)
        except Exception:  # noqa: BLE001 - a model whose files are missing still has its labels explained
            version = "(model files not installed)"
        describe = getattr(cls, "describe_labels", None)
        labels = list(describe()) if describe else []
        out[layer] = Layer(layer, name, getattr(cls, "summary", "") or (cls.__doc__ or "").split("\n")[0],
                           getattr(cls, "model_name", ""), version, labels)
    order = {"techniques": 0, "narratives": 1, "claims": 2, "toxicity": 3}
    return sorted(out.values(), key=lambda x: (order.get(x.layer, 9), x.layer))


def signal_kinds() -> dict[str, str]:
    """Coordination signals by kind, with what each means."""
    return dict(SIGNAL_KINDS)


def definitions(layers: list[Layer]) -> dict[tuple[str, str], Label]:
    """(layer, label) -> its declared :class:`Label`, for the popovers."""
    return {(layer.layer, label.name): label for layer in layers for label in layer.labels}


def anchor(layer: str, label: str) -> str:
    """The id of a label's entry on the glossary page (letters, digits and dashes only)."""
    return "g-" + "".join(c if c.isalnum() else "-" for c in f"{layer}-{label}")
