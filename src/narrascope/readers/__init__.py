"""Readers turn bytes into documents; each is registered by name and chosen by sniffing.

``iter_inputs`` expands what the user named (files, directories, globs, ``-`` for
standard input) into :class:`Input` objects; ``read_input`` decodes one of them
(gzip, encodings), picks a reader by content (the file name is only a hint),
and returns its documents with language and stable ids set.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from narrascope import registry
from narrascope.errors import ReadError
from narrascope.model import Document

MAX_BYTES = 20 * 1024 * 1024  # trafilatura needs ~1 s per MB of HTML; bigger pages are rarely articles


@dataclass(frozen=True)
class Input:
    """One thing to read: a file, a URL's saved bytes, or standard input."""

    source: str
    key: str
    loader: Callable[[], bytes]

    def read(self) -> bytes:
        return self.loader()

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "<bytes>") -> Input:
        from narrascope.model import content_id

        return cls(source, content_id(source, data.hex() if len(data) < 4096 else content_id(data)),
                   partial(_const, data))


class Reader:
    """A reader: ``sniff`` says how sure it is that it can read the bytes; ``read`` does."""

    name: ClassVar[str] = ""

    def sniff(self, head: bytes, hint: str) -> float:
        """0 (no) to 1 (certain) for ``head``, the first 64 KiB; ``hint`` is the file name."""
        return 0.0

    def read(self, data: bytes, source: str, **options: Any) -> list[Document]:
        raise NotImplementedError

    def reads_together(self, path: str) -> bool:
        """True for a file this reader reads together with the others of its kind named in the same run
        (Telegram exports: a channel and its discussion group); they come to ``read`` as one bundle."""
        return False

    def export_files(self, directory: str, names: list[str]) -> list[str] | None:
        """When ``directory`` (holding ``names``) is an export this reader knows, the files to read in it
        (its media and styles are no pages); None otherwise."""
        return None


def _const(data: bytes) -> bytes:
    return data


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(path, exc.strerror or str(exc)) from None


def _fail(source: str, reason: str) -> bytes:
    raise ReadError(source, reason)


def _file_input(path: Path) -> Input:
    try:
        st = path.stat()
        key = f"{path}|{st.st_size}|{st.st_mtime_ns}"
    except OSError:
        key = str(path)
    return Input(str(path), key, partial(_read_file, str(path)))


def _missing(source: str, reason: str) -> Input:
    return Input(source, f"{source}|missing", partial(_fail, source, reason))


def _walk(top: Path) -> Iterator[Path]:
    """Files under ``top`` in sorted path order, hidden entries skipped, without recursion.

    Pending entries are kept as strings, not ``Path`` objects: a directory of a million pages
    costs its sorted names (about 90 bytes each), not five times that.
    """
    stack = [str(top)]
    while stack:
        entry = stack.pop()
        if os.path.isdir(entry) and not os.path.islink(entry):
            try:
                children = sorted(name for name in os.listdir(entry) if not name.startswith("."))
            except OSError:
                continue
            export = _export_files(entry, children)
            if export is not None:
                yield from (Path(p) for p in export)
                continue
            stack.extend(os.path.join(entry, name) for name in reversed(children))
        elif os.path.isfile(entry):
            yield Path(entry)


def _readers() -> list[Reader]:
    return [registry.readers.get(name)() for name in registry.readers.names()]


def _export_files(directory: str, names: list[str]) -> list[str] | None:
    for reader in _readers():
        found = reader.export_files(directory, names)
        if found is not None:
            return found
    return None


def iter_inputs(paths: Iterable[str], stdin: Any = None) -> Iterator[Input]:
    """Expand paths, directories (recursively, hidden files skipped), globs and ``-``.

    Files that a reader reads together (``Reader.reads_together``) come last, as one bundle per reader.
    """
    readers = _readers()
    together: dict[str, list[Input]] = {}
    for inp in _expand(paths, stdin):
        joiner = next((r.name for r in readers if r.reads_together(inp.source)), None) \
            if inp.source != "<stdin>" else None
        if joiner is None:
            yield inp
        else:
            together.setdefault(joiner, []).append(inp)
    for name, group in together.items():
        yield bundle(name, group)


def bundle(reader: str, group: list[Input]) -> Input:
    """One input standing for files read together: the reader gets ``{"narrascope-bundle": NAME, "files": [...]}``."""
    from narrascope.model import content_id

    files = [inp.source for inp in group]
    source = files[0] if len(files) == 1 else os.path.commonpath([os.path.abspath(f) for f in files])
    data = json.dumps({"narrascope-bundle": reader, "files": files}, ensure_ascii=False).encode("utf-8")
    return Input(source, f"bundle|{reader}|" + content_id(*(inp.key for inp in group)), partial(_const, data))


def _expand(paths: Iterable[str], stdin: Any = None) -> Iterator[Input]:
    for raw in paths:
        if raw == "-":
            data = (stdin or sys.stdin.buffer).read()
            yield Input.from_bytes(data, "<stdin>")
            continue
        path = Path(raw)
        if path.is_dir():
            yield from (_file_input(p) for p in _walk(path))
        elif path.exists():
            yield _file_input(path)
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                yield _missing(raw, "the pattern matches no file")
            for match in matches:
                if Path(match).is_file():
                    yield _file_input(Path(match))
        else:
            yield _missing(raw, "no such file or directory")


def decompress(data: bytes, source: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Undo gzip (whole or truncated, up to ``max_bytes``); plain bytes pass through."""
    if data[:2] != b"\x1f\x8b":
        return data
    if source.endswith(".warc.gz") or _is_warc_gz(data):
        return data  # WARC readers decompress record by record
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ReadError(source, f"corrupt gzip data ({exc})") from None
    if len(out) > max_bytes:
        raise ReadError(source, f"decompresses to more than {max_bytes // 2**20} MB (raise the limit with --max-mb)")
    if not d.eof:
        raise ReadError(source, "truncated gzip file: the compressed stream ends early")
    return out


def _is_warc_gz(data: bytes) -> bool:
    try:
        return gzip.decompress(data[:65536] + b"")[:8] == b"WARC/1.0"
    except Exception:  # noqa: BLE001 - a truncated head raises; look at a streamed prefix instead
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            return d.decompress(data[:65536], 16)[:5] == b"WARC/"
        except zlib.error:
            return False


def choose_reader(data: bytes, source: str) -> Reader:
    """The registered reader most sure of ``data``; the name breaks ties."""
    head = data[:65536]
    from narrascope.readers.decode import looks_binary

    if looks_binary(head) and not head.startswith((b"WARC/", b"\x1f\x8b", b"PAR1")):
        raise ReadError(source, "binary data, not a page (an image, archive or office file?)")
    best, best_score = None, 0.0
    for name in registry.readers.names():
        reader = registry.readers.get(name)()
        score = reader.sniff(head, source.lower())
        if score > best_score:
            best, best_score = reader, score
    if best is None:
        raise ReadError(source, "not a page narrascope can read (binary data, or an unknown format); "
                        "name a reader with --reader if you know the format")
    return best


def read_input(inp: Input, reader: str | None = None, max_bytes: int = MAX_BYTES,
               languages: Any = None, **options: Any) -> list[Document]:
    """Read one input into documents with language and ids set; raise ReadError on failure."""
    data = inp.read()
    if not data.strip():
        raise ReadError(inp.source, "empty input")
    if len(data) > max_bytes:
        raise ReadError(inp.source, f"{len(data) / 2**20:.1f} MB is above the {max_bytes // 2**20} MB "
                        "limit (raise it with --max-mb)")
    data = decompress(data, inp.source, max_bytes)
    chosen = registry.readers.get(reader)() if reader else choose_reader(data, inp.source)
    docs = chosen.read(data, inp.source, **options)
    if not docs:
        raise ReadError(inp.source, f"the {chosen.name} reader found no page in it")
    return finish(docs, {"languages": languages})


def finish(docs: list[Document], options: dict[str, Any] | None = None) -> list[Document]:
    """Replace lone surrogates, set language (restricted to ``options["languages"]`` if given) and stable ids.

    A text's language is that of most of its letters over its sentences' languages (Russian typed in Latin
    letters is ``ru-Latn``, not the English or Czech the whole-text identifier may say); a document also
    records every language with a passage of its own (:func:`narrascope.lang.text_languages`). A language
    the reader gave stays, first."""
    from narrascope.lang import text_languages
    from narrascope.readers.decode import clean_strings

    languages = (options or {}).get("languages")
    for doc in docs:
        clean_strings(doc)
        if not doc.languages:
            found = text_languages(doc.body or doc.title or "", languages)
            doc.languages = list(dict.fromkeys([doc.language, *found])) if doc.language else found
        doc.language = doc.language or next(iter(doc.languages), None)
        for c in doc.comments:
            c.language = c.language or next(iter(text_languages(c.text, languages)), None)
        doc.assign_ids()
    return docs


def parse(path: str | os.PathLike[str], reader: str | None = None, **options: Any) -> list[Document]:
    """Read one file into documents (the Python form of ``narrascope parse``)."""
    return read_input(_file_input(Path(path)), reader=reader, **options)


def parse_string(text: str | bytes, source: str = "<string>", reader: str | None = None,
                 **options: Any) -> list[Document]:
    """Read a page held in memory: HTML, extracted text, JSON and the other formats."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_input(Input.from_bytes(data, source), reader=reader, **options)


def _register_builtins() -> None:
    from narrascope.readers import feed, html, platform, tabular, telegram, text, warc  # noqa: F401


_register_builtins()
