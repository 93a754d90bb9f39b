"""The analysis-component contract.

A component is a small class registered by name (``@registry.components.register``,
or the ``narrascope.components`` entry-point group for plugins); built-in components
list their module in ``narrascope.registry.BUILTINS["component"]`` so that it is imported
when the registry is first read. Constructor
arguments are its configuration; ``__init__`` stores them and does no work; models
load lazily on first use. ``pipe`` takes a batch of documents and returns them with
annotations (and, for some layers, fields) added. Components never touch a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from narrascope import registry
from narrascope.model import Document


class Component:
    """Base class for analysis components.

    Subclasses set ``name``, ``version`` and ``layer``, and implement ``__call__``
    (one document) or ``pipe`` (a batch, for models that batch).
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "0"
    layer: ClassVar[str] = ""
    #: run by ``narrascope analyze`` unless the user names components explicitly
    default: ClassVar[bool] = True

    def __call__(self, doc: Document) -> Document:
        raise NotImplementedError(f"component {self.name!r} implements neither __call__ nor pipe")

    def pipe(self, docs: Iterable[Document], batch_size: int = 32) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)

    def get_params(self) -> dict[str, Any]:
        return dict(vars(self))


def get_component(name: str, **config: Any) -> Component:
    """Build the component registered as ``name`` with ``config`` as constructor arguments."""
    return registry.components.get(name)(**config)


def default_components() -> list[str]:
    """Names of the registered components ``analyze`` runs when none are named."""
    return [n for n in registry.components.names() if getattr(registry.components.get(n), "default", True)]
