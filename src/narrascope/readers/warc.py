"""WARC archives: every HTML response record is a page; Disqus embed responses join their page."""

from __future__ import annotations

import io
from typing import Any

from narrascope import registry
from narrascope.errors import ReadError
from narrascope.model import Document
from narrascope.readers import Reader
from narrascope.readers.decode import decode


@registry.readers.register("warc")
class WarcReader(Reader):
    """WARC and WARC.gz through warcio; a truncated archive keeps the records before the cut."""

    name = "warc"

    def sniff(self, head: bytes, hint: str) -> float:
        if head.startswith(b"WARC/"):
            return 1.0
        if head[:2] == b"\x1f\x8b" and hint.endswith((".warc.gz", ".warc")):
            return 1.0
        if head[:2] == b"\x1f\x8b":
            from narrascope.readers import _is_warc_gz

            return 1.0 if _is_warc_gz(head) else 0.0
        return 0.0

    def read(self, data: bytes, source: str, **options: Any) -> list[Document]:
        from warcio.archiveiterator import ArchiveIterator

        from narrascope.readers.html import parse_html
        from narrascope.threads.html import disqus_thread

        docs: list[Document] = []
        disqus: list[tuple[str | None, list[Any]]] = []
        count = 0
        try:
            for record in ArchiveIterator(io.BytesIO(data)):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                html = decode(record.content_stream().read())
                if getattr(record.raw_stream, "limit", 0) > 0:
                    raise EOFError("the record ends before its Content-Length")
                count += 1
                if url and "disqus.com/embed/comments" in url:
                    found = disqus_thread(html)
                    if found is not None:
                        disqus.append(found)
                    continue
                try:
                    docs.append(parse_html(html, source, url=url))
                except ReadError:
                    continue
            _check_gzip_end(data)
        except Exception as exc:  # noqa: BLE001 - warcio raises many types on damaged archives
            error = ReadError(source, f"damaged or truncated WARC after {count} HTML records "
                              f"({type(exc).__name__})")
            error.documents = _attach(docs, disqus)  # type: ignore[attr-defined]
            raise error from None
        if not docs and not disqus:
            raise ReadError(source, "the WARC holds no HTML response records")
        return _attach(docs, disqus)


def _check_gzip_end(data: bytes) -> None:
    """Raise EOFError when a gzipped WARC stops inside a record (warcio ends quietly there)."""
    if data[:2] == b"\x1f\x8b":
        import gzip

        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while stream.read(1 << 20):
                pass


def _attach(docs: list[Document], threads: list[tuple[str | None, list[Any]]]) -> list[Document]:
    """Give each Disqus thread to the page whose URL it names (or to the page before it)."""
    for link, comments in threads:
        target = next((d for d in docs if link and d.source.split("#")[0].rstrip("/") ==
                       link.split("#")[0].rstrip("/")), docs[-1] if docs else None)
        if target is None:
            target = Document(source=link or "disqus", kind="thread")
            docs.append(target)
        target.comments.extend(comments)
    return docs
