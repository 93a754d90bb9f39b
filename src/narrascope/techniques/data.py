"""Reading PTC: ``article<ID>.txt`` files and ``article_id<TAB>technique<TAB>start<TAB>end`` label files.

Every command reads articles through :func:`read_text`, so offsets agree between ``techniques``,
``techniques --classify`` and ``eval ptc``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from narrascope.errors import ReadError
from narrascope.readers.decode import NotText, Warn, decode_text

__all__ = ["LabelledSpan", "NotText", "Warn", "article_id", "by_article", "decode_article", "decode_text",
           "find_corpus", "impossible_spans", "label_lines", "parse_span", "read_articles", "read_labels",
           "read_text"]

_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # not tab, line breaks or form feed


@dataclass(frozen=True)
class LabelledSpan:
    """One line of a label file: ``[start, end)`` of article ``article`` uses ``technique``."""

    article: str
    technique: str
    start: int
    end: int


def article_id(path: str | Path) -> str:
    """The digits of ``article<ID>.txt``; the file name without its last extension otherwise."""
    stem = Path(path).stem
    match = re.fullmatch(r"article(\d+)", stem)
    return match.group(1) if match else stem


def decode_article(data: bytes, source: str, warn: Warn | None = None) -> str:
    """:func:`decode_text`, and ``warn`` is told when the text holds control characters (a stray NUL):
    they are kept, so offsets count them, but a reader of the spans should know they are there."""
    text = decode_text(data, source, warn)
    found = _CONTROLS.findall(text)
    if found and warn:
        kinds = sorted(set(found))
        shown = ", ".join(f"U+{ord(c):04X}" for c in kinds[:3]) + (", ..." if len(kinds) > 3 else "")
        warn(f"{source}: {len(found)} control character(s) ({shown}) kept in the text; offsets count them")
    return text


def read_text(path: str | Path, warn: Warn | None = None) -> str:
    """The text of one file (see :func:`decode_article`); :class:`ReadError` when it has none."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ReadError(str(path), exc.strerror or str(exc)) from None
    return decode_article(data, str(path), warn)


def read_articles(directory: str | Path, warn: Warn | None = None) -> dict[str, str]:
    """Article id -> text for every ``*.txt`` in ``directory`` (offsets index the Python str).

    With ``warn``, a file that cannot be read is reported there and left out; without, it is an error.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ReadError(str(directory), "not a directory of article<ID>.txt files")
    texts: dict[str, str] = {}
    for p in sorted(directory.glob("*.txt")):
        try:
            texts[article_id(p)] = read_text(p, warn)
        except ReadError as exc:
            if warn is None:
                raise
            warn(str(exc))
    return texts


def label_lines(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """``(line number, tab-separated columns)`` of each non-blank line of a label or template file."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ReadError(str(path), exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise ReadError(str(path), "not a UTF-8 label file") from None
    for n, line in enumerate(lines, 1):
        if line.strip():
            yield n, line.split("\t")


def parse_span(path: str | Path, n: int, cols: list[str]) -> LabelledSpan:
    """One label line: 4 columns (TC), more (extra columns ignored) or 3 (SI: technique ``""``)."""
    try:
        if len(cols) == 3:
            return LabelledSpan(cols[0], "", int(cols[1]), int(cols[2]))
        return LabelledSpan(cols[0], cols[1], int(cols[2]), int(cols[3]))
    except (ValueError, IndexError):
        line = "\t".join(cols)
        raise ReadError(str(path), f"line {n} is not article_id<TAB>technique<TAB>start<TAB>end: {line!r}") from None


def read_labels(path: str | Path) -> list[LabelledSpan]:
    """Read a TC label file (4 columns) or an SI label file (3 columns: technique is then ``""``)."""
    return [parse_span(path, n, cols) for n, cols in label_lines(path)]


def impossible_spans(path: str | Path, texts: dict[str, str]) -> list[str]:
    """``"<path>: line <n>: <why>"`` for each line of a label file whose span cannot be in its article:
    a negative start, an end not after the start (an empty or reversed span) or, when ``texts`` holds
    the article, an end past its last character. The scorer would count such spans silently."""
    notes = []
    for n, cols in label_lines(path):
        s = parse_span(path, n, cols)
        text = texts.get(s.article)
        if s.start < 0:
            why = f"start {s.start} is negative"
        elif s.end <= s.start:
            why = f"end {s.end} is not after start {s.start} ({'an empty' if s.end == s.start else 'a reversed'} span)"
        elif text is not None and s.end > len(text):
            why = f"end {s.end} is past the end of article {s.article} ({len(text)} characters)"
        else:
            continue
        notes.append(f"{path}: line {n}: {why}")
    return notes


def by_article(spans: list[LabelledSpan]) -> dict[str, list[LabelledSpan]]:
    """Group label lines by article id."""
    out: dict[str, list[LabelledSpan]] = defaultdict(list)
    for s in spans:
        out[s.article].append(s)
    return dict(out)


def find_corpus(data: str | Path) -> tuple[Path, Path]:
    """In a PTC train folder, the articles directory and the TC label file."""
    data = Path(data)
    candidates = (data / "articles", data / "train-articles", data)
    articles = next((p for p in candidates if any(p.glob("article*.txt"))), None)
    labels = next(iter(sorted(data.glob("*task-flc-tc.labels")) + sorted(data.glob("*TC*.labels"))), None)
    if articles is None or labels is None:
        raise ReadError(str(data), "expected articles/article<ID>.txt and a *-task-flc-tc.labels file (PTC layout)")
    return articles, labels
