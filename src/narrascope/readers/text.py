"""Plain text that an earlier tool extracted from a page: article, listing or thread."""

from __future__ import annotations

from typing import Any

from narrascope import registry
from narrascope.model import Document
from narrascope.readers import Reader
from narrascope.readers.decode import decode, looks_binary


@registry.readers.register("text")
class TextReader(Reader):
    """The fallback for any text that no more specific reader claims."""

    name = "text"

    def sniff(self, head: bytes, hint: str) -> float:
        if looks_binary(head):
            return 0.0
        return 0.2 if hint.endswith((".txt", ".text", ".md")) else 0.1

    def read(self, data: bytes, source: str, **options: Any) -> list[Document]:
        from narrascope.readers.site import outlet_fallback
        from narrascope.threads.text import parse_text_page

        text = decode(data)
        doc = parse_text_page(text, source)
        doc.outlet = doc.outlet or outlet_fallback(text, source)
        return [doc]
