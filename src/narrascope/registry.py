"""Registries by name for readers, components, executors and stores.

Built-in parts register themselves with the same decorator outside plugins use;
plugins are found through the entry-point group ``narrascope.<kind>`` (for example
``[project.entry-points."narrascope.components"]``) the first time a registry is read.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, Generic, TypeVar

from narrascope.errors import UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """A name -> factory table, filled by decorators and by entry points."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._loaded_plugins = False

    def register(self, name: str) -> Callable[[T], T]:
        def decorator(obj: T) -> T:
            self._items[name] = obj
            return obj

        return decorator

    def _load_plugins(self) -> None:
        if self._loaded_plugins:
            return
        self._loaded_plugins = True
        for ep in entry_points(group=f"narrascope.{self.kind}s"):
            if ep.name not in self._items:
                self._items[ep.name] = ep.load()

    def get(self, name: str) -> T:
        self._load_plugins()
        try:
            return self._items[name]
        except KeyError:
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
