"""Plain-text pages (placeholder: body only; the full parser replaces this)."""

from __future__ import annotations

from narrascope.model import Document


def parse_text_page(text: str, source: str) -> Document:
    body = text.strip()
    return Document(source=source, body=body, kind="article" if body else "unknown")
