"""Reading PTC: ``article<ID>.txt`` files and ``article_id<TAB>technique<TAB>start<TAB>end`` label files."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from narrascope.errors import ReadError


@dataclass(frozen=True)
class LabelledSpan:
    """One line of a label file: ``[start, end)`` of article ``article`` uses ``technique``."""

    article: str
    technique: str
    start: int
    end: int


def article_id(path: str | Path) -> str:
    """The digits of ``article<ID>.txt``; the file stem for any other name."""
    stem = Path(path).name.split(".")[0]
    match = re.fullmatch(r"article(\d+)", stem)
    return match.group(1) if match else stem


def read_articles(directory: str | Path) -> dict[str, str]:
    """Article id -> text for every ``*.txt`` in ``directory`` (UTF-8, offsets index the Python str)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ReadError(str(directory), "not a directory of article<ID>.txt files")
    return {article_id(p): p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))}


def read_labels(path: str | Path) -> list[LabelledSpan]:
    """Read a TC label file (4 columns) or an SI label file (3 columns: technique is then ``""``)."""
    spans: list[LabelledSpan] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        try:
            if len(cols) == 3:
                spans.append(LabelledSpan(cols[0], "", int(cols[1]), int(cols[2])))
            else:
                spans.append(LabelledSpan(cols[0], cols[1], int(cols[2]), int(cols[3])))
        except (ValueError, IndexError):
            raise ReadError(str(path), f"line {n} is not article_id<TAB>technique<TAB>start<TAB>end: "
                                       f"{line!r}") from None
    return spans


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
