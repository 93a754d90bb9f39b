"""Comment threads from HTML structure (placeholder; the full extractor replaces this)."""

from __future__ import annotations

from typing import Any

from narrascope.model import Comment


def extract_comments(tree: Any, html: str) -> list[Comment]:
    return []


def disqus_thread(html: str) -> tuple[str | None, list[Comment]] | None:
    return None
