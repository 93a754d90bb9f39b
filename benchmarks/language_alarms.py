"""Not a speed figure: which English texts of ``../shared/data`` the language rules call not English.

Every layer reads only the sentences in a language its model knows (``narrascope.lang``), so an English
sentence called Russian, Dutch or ``ru-Latn`` is silently not analysed. This script runs the rules of
whichever narrascope is on the path over the English sentences and texts of the shared data (PTC
articles, ClaimBuster sentences, HateXplain posts, EUvsDisinfo titles, summaries and rebuttals, the
Propaganda Diary, Civil Comments, Davidson tweets) and prints, per source, how many sentences are not
called English and by which language, how many whole texts get a run no layer reads (the document's
language given, as ``analyze`` gives it, and not given), the time each took, how many texts the stored
document language (the language of most letters over the sentences', :func:`narrascope.lang.text_languages`)
calls not English against the whole-text identifier, and how many items of the
translated checks in Latin letters (``ru-Latn``, ``be-Latn``) are not English. ``--list`` prints each
flagged sentence and run. Compare two trees by running it with each one's ``src`` first on the path::

    PYTHONPATH=src .venv/bin/python benchmarks/language_alarms.py
    PYTHONPATH=../base/src .venv/bin/python benchmarks/language_alarms.py
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from narrascope.lang import identify, script, sentence_language, unreadable

try:  # a tree before the stored language came from the sentences has none: its documents' rows are left out
    from narrascope.lang import text_languages
except ImportError:
    text_languages = None  # type: ignore[assignment]
try:  # the one sentence splitter; a tree before it moved out of the narratives layer has it there
    from narrascope.sentences import sentences
except ImportError:
    from narrascope.narratives.segment import sentences  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ROOT / "src" / "narrascope" / "evaluation" / "parallel"
ENGLISH = (None, "en")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)


def texts(data: Path) -> Iterator[tuple[str, str]]:
    """``(source, text)`` for every English text of the shared data that is there (a missing file is skipped)."""
    for f in sorted((data / "ptc" / "train" / "articles").glob("*.txt")):
        yield "ptc", f.read_text(encoding="utf-8")
    for row in _rows(data / "checkworthy" / "claimbuster_crowdsourced.csv"):
        yield "claimbuster", row["Text"]
    hatexplain = data / "toxicity" / "hatexplain" / "dataset.json"
    if hatexplain.exists():
        for post in json.loads(hatexplain.read_text(encoding="utf-8")).values():
            yield "hatexplain", " ".join(post["post_tokens"])
    for row in _rows(data / "euvsdisinfo" / "euvsdisinfo_cases_2015-01-06_to_2020-06-04.csv"):
        yield "euvsdisinfo", row["title"]
    for row in _rows(data / "euvsdisinfo" / "euvsdisinfo_cases_with_summary_disproof_2015-2017.csv"):
        yield "euvsdisinfo", "\n".join(row[k] or "" for k in ("title", "summary", "disproof"))
    diary = data / "propaganda_diary" / "propaganda_diary_en_before_2022-01-02.json"
    if diary.exists():
        for case in json.loads(diary.read_text(encoding="utf-8")):
            yield "propaganda_diary", case.get("Disinfo_cases_en") or ""
    for row in _rows(data / "toxicity" / "toxic_spans_civilcomments" / "tsd_train.csv"):
        yield "civilcomments", row["text"]
    for row in _rows(data / "toxicity" / "davidson2017" / "labeled_data_train.csv"):
        yield "davidson", row["tweet"]


def latin_items() -> dict[str, list[str]]:
    """The translated checks' texts in Latin letters, by language (``ru-Latn``, ``be-Latn``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(CHECKS.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for lang in spec.get("also") or []:
            found.setdefault(lang, []).extend(str(i[lang]) for i in spec["items"] if i.get(lang))
    return found


def _documents(corpus: list[tuple[str, str]], given: list[str | None], listing: bool) -> dict[str, Any]:
    """How many texts the stored document language calls not English, against the whole-text identifier."""
    start = time.process_time()
    stored = [text_languages(text) for _, text in corpus]  # as the readers store it now
    documents: dict[str, Any] = {
        "CPU seconds": round(time.process_time() - start, 2),
        "not en, whole-text identifier": sum(g not in ENGLISH for g in given),
        "not en, by its sentences": sum(next(iter(t), None) not in ENGLISH for t in stored),
        "newly not en": Counter(str(t[0]) for g, t in zip(given, stored, strict=True)
                                if g in ENGLISH and t and t[0] not in ENGLISH),
        "en with a passage in another language": Counter(lang for t in stored if t and t[0] == "en" for lang in t[1:])}
    if listing:
        for (source, text), g, t in zip(corpus, given, stored, strict=True):
            if g != next(iter(t), None):
                print(f"document {source} {g} -> {t} | {text[:200]!r}")
    return documents


def measure(data: Path, listing: bool = False) -> dict[str, Any]:
    """The figures this script prints, as a dict (see the module docstring)."""
    corpus = [(source, text) for source, text in texts(data) if text.strip()]
    per_source: dict[str, Counter[str]] = {}
    flagged: list[tuple[str, str, str]] = []
    start = time.process_time()
    for source, text in corpus:
        counts = per_source.setdefault(source, Counter())
        for s, e in sentences(text):
            sentence = text[s:e].strip()
            if script(sentence) != "latin":
                continue
            lang = sentence_language(sentence)
            counts["sentences"] += 1
            if lang not in ENGLISH:
                counts[str(lang)] += 1
                flagged.append((source, str(lang), sentence))
    sentence_seconds = time.process_time() - start
    given = [identify(text) for _, text in corpus]  # as the readers store it
    runs: dict[str, Any] = {}
    for mode, languages in (("language given", given), ("language not given", [None] * len(corpus))):
        unreadable.cache_clear()
        start = time.process_time()
        found = [unreadable(text, ("en",), lang) for (_, text), lang in zip(corpus, languages, strict=True)]
        runs[mode] = {"CPU seconds": round(time.process_time() - start, 2), "texts with a run": sum(map(bool, found)),
                      "runs by language": dict(Counter(r[2] for rs in found for r in rs).most_common())}
        if listing:
            for (source, text), rs in zip(corpus, found, strict=True):
                for s, e, lang in rs:
                    print(f"run ({mode}) {source} {lang} | {text[s:e][:200]!r}")
    if listing:
        for source, lang, sentence in flagged:
            print(f"sentence {source} {lang} | {sentence[:200]!r}")
    documents = _documents(corpus, given, listing) if text_languages else {}
    checks = {lang: {"items": len(items), "not English": sum(sentence_language(t) not in ENGLISH for t in items)}
              for lang, items in latin_items().items()}
    return {"texts": len(corpus), "sentences": sum(c["sentences"] for c in per_source.values()),
            "not English": len(flagged), "sentence seconds": round(sentence_seconds, 2),
            "by source": {k: dict(v) for k, v in per_source.items()}, "runs": runs, "documents": documents,
            "checks": checks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--list", action="store_true", help="print each flagged sentence and run")
    args = parser.parse_args()
    figures = measure(args.data, args.list)
    print(f"{figures['texts']} texts, {figures['sentences']} Latin-script sentences: {figures['not English']} "
          f"not called English ({figures['sentence seconds']} CPU s)")
    print("| source | sentences | not English, by language |\n|---|---|---|")
    for source, counts in figures["by source"].items():
        rest = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "sentences") or "-"
        print(f"| {source} | {counts['sentences']} | {rest} |")
    print("| whole texts | CPU seconds | texts with a run | runs by language |\n|---|---|---|---|")
    for mode, row in figures["runs"].items():
        print(f"| {mode} | {row['CPU seconds']} | {row['texts with a run']} | {row['runs by language']} |")
    print("| document language | value |\n|---|---|" if figures["documents"] else "")
    for key, value in figures["documents"].items():
        print(f"| {key} | {dict(value) if isinstance(value, Counter) else value} |")
    print("| translated checks | items | not English |\n|---|---|---|")
    for lang, row in figures["checks"].items():
        print(f"| {lang} | {row['items']} | {row['not English']} |")


if __name__ == "__main__":
    main()
