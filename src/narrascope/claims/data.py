"""Check-worthiness training data: ClaimBuster crowdsourced and CheckThat! 2019 Task 1 (English)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sentence:
    """One debate sentence; ``label`` is 1 when check-worthy; ``group`` is its debate (for splits by debate)."""

    text: str
    label: int
    group: str
    line: int = 0


def read_claimbuster(path: Path) -> list[Sentence]:
    """ClaimBuster ``crowdsourced.csv``: ``Verdict`` 1 (CFS) is check-worthy, 0 and -1 are not."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append(Sentence(row["Text"], int(int(row["Verdict"]) == 1), row["File_id"],
                                int(row.get("Line_number") or 0)))
    return out


def read_clef2019(path: Path) -> list[Sentence]:
    """CheckThat! 2019 Task 1 flattened training file (``line_number, speaker, text, label, file_name``)."""
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append(Sentence(row["text"], int(row["label"]), row["file_name"], int(row["line_number"])))
    return out


def find(data: Path, name: str) -> Path:
    """``data/checkworthy/name`` or ``data/name``, whichever exists."""
    for p in (Path(data) / "checkworthy" / name, Path(data) / name):
        if p.is_file():
            return p
    raise FileNotFoundError(f"{data}: no {name} (expected under checkworthy/)")
