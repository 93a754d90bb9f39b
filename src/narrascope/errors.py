"""One catalogue of narrascope's errors, each naming the input and what to do next."""

from __future__ import annotations


class NarrascopeError(Exception):
    """Base class: every error narrascope raises on purpose."""


class ReadError(NarrascopeError):
    """An input could not be read; ``source`` names it and the message says why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnknownNameError(NarrascopeError, KeyError):
    """A reader, component, executor or store name that nothing registered."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        super().__init__(f"no {kind} named {name!r}; known: {', '.join(sorted(known)) or 'none'}")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class PluginLoadError(NarrascopeError, KeyError):
    """A plugin's entry point is installed but could not be loaded."""

    def __init__(self, kind: str, name: str, entry_point: str, reason: str) -> None:
        super().__init__(f"the {kind} {name!r} is a plugin that failed to load ({entry_point}): {reason}; "
                         f"fix or reinstall the package that provides it, or uninstall it")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])
