"""benchmarks/language_alarms.py on a small data folder written here: what it counts as not English."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
measure = runpy.run_path(str(ROOT / "benchmarks" / "language_alarms.py"))["measure"]


def test_it_counts_sentences_and_runs_not_called_english_and_the_latin_check_items(tmp_path: Path) -> None:
    articles = tmp_path / "ptc" / "train" / "articles"
    articles.mkdir(parents=True)
    (articles / "article1.txt").write_text(
        "Minsk protests\n\nThe minister spoke to reporters in Minsk on Monday.\n"
        "Eto vsyo vran'yo, vy nas ne obmanete!\nMarshal Zhukov led the Soviet assault on Berlin.\n", encoding="utf-8")
    tweets = tmp_path / "toxicity" / "davidson2017"
    tweets.mkdir(parents=True)
    (tweets / "labeled_data_train.csv").write_text(
        ",count,hate_speech,offensive_language,neither,class,tweet\n0,3,0,0,3,2,Oh my god oh my god..\n",
        encoding="utf-8")
    figures = measure(tmp_path)
    assert (figures["texts"], figures["sentences"], figures["not English"]) == (2, 5, 1)
    assert figures["by source"] == {"ptc": {"sentences": 4, "ru-Latn": 1}, "davidson": {"sentences": 1}}
    for mode in ("language given", "language not given"):
        assert figures["runs"][mode]["texts with a run"] == 1
        assert figures["runs"][mode]["runs by language"] == {"ru-Latn": 1}
    assert figures["checks"] == {"ru-Latn": {"items": 16, "not English": 16},
                                 "be-Latn": {"items": 16, "not English": 16}}
    documents = figures["documents"]
    assert (documents["not en, whole-text identifier"], documents["not en, by its sentences"]) == (0, 0)
    assert (documents["newly not en"], documents["en with a passage in another language"]) == ({}, {"ru-Latn": 1})
