"""Reddit, Discourse and Disqus JSON (placeholder; the full parser replaces this)."""

from __future__ import annotations

from typing import Any

from narrascope.model import Document


def parse_platform_json(obj: Any, source: str) -> Document | None:
    return None
