"""Training cases for the narrative classifier: EUvsDisinfo cases and the VoxCheck Propaganda Diary.

Both are read from a data directory laid out like ``../shared/data`` (``euvsdisinfo/*.csv``,
``propaganda_diary/*.json``). Each case becomes one :class:`Case`: a text, its date and its
labels (EUvsDisinfo keyword tags, or ``diary:<narrative>``).
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DIARY_PREFIX = "diary:"
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Case:
    """One labelled text: ``labels`` are keyword tags or ``diary:<narrative>`` strings."""

    text: str
    date: str
    labels: list[str] = field(default_factory=list)
    source: str = ""


def _norm_keyword(word: str) -> str:
    word = word.strip()
    return {"The West": "West", "Conspiracy": "Conspiracy theory"}.get(word, word)


def read_euvsdisinfo(directory: Path) -> list[Case]:
    """Cases of both EUvsDisinfo CSV layouts: titles (and summaries, joined to the title) with keyword tags."""
    cases: list[Case] = []
    for path in sorted(Path(directory).glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                title = (row.get("title") or "").strip()
                summary = (row.get("summary") or "").strip()
                sep = "+" if "summary" not in row else ","
                labels = sorted({_norm_keyword(k) for k in (row.get("keywords") or "").split(sep) if k.strip()})
                text = title if not summary or summary == title else f"{title}. {summary}"
                if text:
                    cases.append(Case(text, (row.get("date") or "")[:10], labels, path.name))
    return cases


def read_diary(path: Path) -> list[Case]:
    """Propaganda Diary cases: the English statement labelled with its top-level narrative."""
    files = sorted(Path(path).glob("*.json")) if Path(path).is_dir() else [Path(path)]
    cases: list[Case] = []
    for f in files:
        for row in json.loads(f.read_text(encoding="utf-8")):
            text = html.unescape(_TAG.sub(" ", row.get("Disinfo_cases_en") or "")).strip()
            narrative = (row.get("Narrative") or "").strip()
            if text and narrative:
                cases.append(Case(text, row.get("date_iso") or "", [DIARY_PREFIX + narrative], f.name))
    return cases


def read_training_cases(data: Path) -> list[Case]:
    """All narrative training cases under ``data`` (``euvsdisinfo/`` and ``propaganda_diary/``), oldest first."""
    data = Path(data)
    cases: list[Case] = []
    if (data / "euvsdisinfo").is_dir():
        cases += read_euvsdisinfo(data / "euvsdisinfo")
    if (data / "propaganda_diary").is_dir():
        cases += read_diary(data / "propaganda_diary")
    if not cases:
        raise FileNotFoundError(f"{data}: no euvsdisinfo/*.csv or propaganda_diary/*.json cases found")
    return sorted(cases, key=lambda c: c.date)
