"""Registries by name for readers, components, executors and stores.

Built-in parts register themselves with the same decorator outside plugins use;
plugins are found through the entry-point group ``narrascope.<kind>`` (for example
``[project.entry-points."narrascope.components"]``) the first time a registry is read.

A plugin cannot replace a built-in: an entry point whose name is already registered is
skipped with a warning naming it, so a plugin never silently changes what a name means.
A plugin that fails to load is skipped with a warning too, so one broken plugin does not
stop the others; asking for it by name raises :class:`PluginLoadError` saying why.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from narrascope.errors import PluginLoadError, UnknownNameError

T = TypeVar("T")
_unavailable: dict[str, str] = {}  # built-in modules whose optional dependencies are missing


#: modules that register the built-in parts of each kind, imported on first use of the
#: registry (an analysis layer adds its component module to ``BUILTINS["component"]``)
BUILTINS: dict[str, list[str]] = {
    "reader": ["narrascope.readers"],
    "component": ["narrascope.techniques.component", "narrascope.toxicity.component",
                  "narrascope.narratives.component", "narrascope.claims.component"],
    "executor": ["narrascope.pipeline.executor", "narrascope.pipeline.ray_executor"],
    "store": ["narrascope.store.duckdb"],
    "command": [],
    "model_evaluation": ["narrascope.techniques.scores", "narrascope.toxicity.scores", "narrascope.narratives.scores",
                         "narrascope.claims.scores"],
}


def _describe(ep: Any) -> str:
    """``name = value`` of an entry point, with the distribution that provides it when known."""
    dist = getattr(ep, "dist", None)
    where = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"{ep.name} = {ep.value}{where}"


class Registry(Generic[T]):
    """A name -> factory table, filled by decorators, built-in modules and entry points."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._loaded_plugins = False
        self._broken: dict[str, tuple[str, str]] = {}  # plugin name -> (entry point, error)

    def register(self, name: str) -> Callable[[T], T]:
        def decorator(obj: T) -> T:
            self._items[name] = obj
            return obj

        return decorator

    def _load_plugins(self) -> None:
        if self._loaded_plugins:
            return
        self._loaded_plugins = True
        import importlib

        for module in BUILTINS.get(self.kind, []):
            try:
                importlib.import_module(module)
            except ImportError as exc:  # an optional extra is not installed
                _unavailable[f"{self.kind}:{module}"] = str(exc)
        for ep in entry_points(group=f"narrascope.{self.kind}s"):
            if ep.name in self._items:
                warnings.warn(f"ignoring the {self.kind} plugin {_describe(ep)}: {ep.name!r} is already "
                              f"registered (built-ins win); rename the entry point to use it",
                              stacklevel=3)
                continue
            try:
                self._items[ep.name] = ep.load()
            except Exception as exc:  # any error in a plugin's import must not stop the others
                reason = f"{type(exc).__name__}: {exc}"
                self._broken[ep.name] = (_describe(ep), reason)
                warnings.warn(f"skipping the {self.kind} plugin {_describe(ep)}: it failed to load ({reason})",
                              stacklevel=3)

    def get(self, name: str) -> T:
        self._load_plugins()
        try:
            return self._items[name]
        except KeyError:
            if name in self._broken:
                raise PluginLoadError(self.kind, name, *self._broken[name]) from None
            raise UnknownNameError(self.kind, name, list(self._items)) from None

    def names(self) -> list[str]:
        self._load_plugins()
        return sorted(self._items)

    def unregister(self, name: str) -> None:
        self._items.pop(name, None)

    def __contains__(self, name: object) -> bool:
        self._load_plugins()
        return name in self._items


readers: Registry[Any] = Registry("reader")
components: Registry[Any] = Registry("component")
executors: Registry[Any] = Registry("executor")
stores: Registry[Any] = Registry("store")
#: functions ``register(groups)`` adding command-line commands (``groups`` maps "", "eval",
#: "train", "predict" to Typer apps)
commands: Registry[Any] = Registry("command")
#: functions ``rows(data, model_dir)`` giving a model head's held-out figures (``narrascope eval model``)
model_evaluations: Registry[Any] = Registry("model_evaluation")
