"""Platform exports in JSON: Reddit, Discourse and Disqus threads."""

from __future__ import annotations

import json
from typing import Any

from narrascope import registry
from narrascope.errors import ReadError
from narrascope.model import Document
from narrascope.readers import Reader
from narrascope.readers.decode import decode


@registry.readers.register("platform-json")
class PlatformJsonReader(Reader):
    """A whole JSON document from a comment platform's API or export."""

    name = "platform-json"

    def sniff(self, head: bytes, hint: str) -> float:
        start = head.lstrip()[:1]
        if start not in (b"{", b"["):
            return 0.0
        markers = (b'"post_stream"', b'"kind": "Listing"', b'"kind":"Listing"', b'"parent_id"',
                   b'"raw_message"', b'"reply_to_post_number"')
        return 0.9 if any(m in head for m in markers) else (0.3 if hint.endswith(".json") else 0.0)

    def read(self, data: bytes, source: str, **options: Any) -> list[Document]:
        from narrascope.threads.platform import parse_platform_json

        try:
            obj = json.loads(decode(data))
        except ValueError as exc:
            raise ReadError(source, f"not valid JSON ({exc})") from None
        notes: list[str] = []
        doc = parse_platform_json(obj, source, notes)
        if doc is None:
            raise ReadError(source, "JSON that is neither a Reddit, Discourse nor Disqus thread")
        if notes:  # stored as read, and recorded as a failure so the analyst sees the repair
            error = ReadError(source, "; ".join(notes))
            error.documents = [doc]  # type: ignore[attr-defined]
            raise error
        return [doc]
