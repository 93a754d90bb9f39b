"""``narrascope analyze --set COMPONENT.PARAMETER=VALUE``: a component's configuration from the command line.

A component's constructor arguments are its configuration (see :mod:`narrascope.pipeline.component`);
``--set`` gives them for one run, e.g. ``--set toxicity.multilingual=true`` turns on the toxicity
layer's multilingual head, which is off by default. A value is read as JSON when it is JSON (``true``,
``0.5``, ``["en", "de"]``), else as a string.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from typing import Any

from narrascope.errors import NarrascopeError


def parse_settings(settings: Sequence[str]) -> dict[str, dict[str, Any]]:
    """``{"toxicity": {"multilingual": True}}`` from ``["toxicity.multilingual=true"]``."""
    out: dict[str, dict[str, Any]] = {}
    for setting in settings:
        key, equals, raw = setting.partition("=")
        name, dot, parameter = key.strip().partition(".")
        if not (equals and dot and name and parameter.isidentifier()):
            raise NarrascopeError(f"--set {setting!r}: not COMPONENT.PARAMETER=VALUE "
                                  "(for example toxicity.multilingual=true)")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out.setdefault(name, {})[parameter] = value
    return out


def configured(names: Sequence[str] | None, settings: dict[str, dict[str, Any]],
               threads: int | None = None) -> list[Any] | None:
    """The components a run builds: ``names`` (``None``: the default ones), those with settings built with them.

    ``threads``: the cores a component's model may use, given to every component that takes a ``threads``
    parameter and has no setting for it (``analyze`` gives its ``--workers``); a model's results do not depend
    on it. A setting for a component the run does not run, or for a parameter its constructor does not take,
    is refused with the names the run or the component has."""
    from narrascope.pipeline.component import default_components, get_component

    if not settings and threads is None:
        return list(names) if names is not None else None
    run = list(names) if names is not None else default_components()
    for name, values in settings.items():
        if name not in run:
            raise NarrascopeError(f"--set {name}.…: this run does not run component {name!r} "
                                  f"(it runs: {', '.join(run) or 'none'}; name it with -c {name})")
        accepted = parameters(name)
        unknown = sorted(set(values) - set(accepted))
        if unknown:
            raise NarrascopeError(f"--set {name}.{unknown[0]}: component {name!r} has no parameter "
                                  f"{unknown[0]!r} (its parameters: {', '.join(accepted) or 'none'})")
    if threads is not None:
        settings = {n: {"threads": threads, **settings.get(n, {})} if "threads" in parameters(n)
                    else settings.get(n, {}) for n in run}
    return [get_component(n, **settings[n]) if settings.get(n) else n for n in run]


def parameters(name: str) -> Any:
    """The constructor parameters of the component registered as ``name``."""
    from narrascope import registry

    return inspect.signature(registry.components.get(name)).parameters
