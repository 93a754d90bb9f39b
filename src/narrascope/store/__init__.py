"""Stores keep what readers and components produce; DuckDB is the default."""

from __future__ import annotations

from typing import Any

from narrascope import registry
from narrascope.store.base import Store

DEFAULT_DB = "narrascope.duckdb"


def open_store(path: str = DEFAULT_DB, kind: str = "duckdb", **config: Any) -> Store:
    """Open (creating and migrating if needed) the store at ``path``."""
    import narrascope.store.duckdb  # noqa: F401 - registers the built-in store

    return registry.stores.get(kind)(path, **config)


__all__ = ["DEFAULT_DB", "Store", "open_store"]
