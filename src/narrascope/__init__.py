"""narrascope: where and how a corpus of pages and comment threads persuades.

The public API is imported lazily so that ``import narrascope`` stays fast::

    import narrascope
    docs = narrascope.parse("page.html")            # list[Document]
    with narrascope.open_corpus("corpus.duckdb") as corpus:
        corpus.ingest(["pages/"])
        for doc in corpus.documents():
            ...
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "Document": "narrascope.model", "Comment": "narrascope.model", "Item": "narrascope.model",
    "Annotation": "narrascope.model", "parse": "narrascope.readers", "parse_string": "narrascope.readers",
    "Corpus": "narrascope.corpus", "open_corpus": "narrascope.corpus", "Component": "narrascope.pipeline",
    "registry": "narrascope.registry",
}
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        module = importlib.import_module(_API[name])
        return module if name == "registry" else getattr(module, name)
    raise AttributeError(f"module 'narrascope' has no attribute {name!r}")
