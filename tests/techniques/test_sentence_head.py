"""The techniques sentence head (issue 26): sentences, labels from overlapping gold spans, the top-1 rule."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.techniques import TECHNIQUES
from narrascope.techniques.data import LabelledSpan
from narrascope.techniques.multilingual import sentence_examples
from narrascope.techniques.sentence_head import SentenceTechniques, enclosing, load_head, readable_sentences, save_head

TEXT = "  Traitors ruin us.  The sky is blue.\n...\nFear them, fear them!"
LOADED, FEAR = TECHNIQUES.index("Loaded_Language"), TECHNIQUES.index("Appeal_to_fear-prejudice")


def words(texts: list[str]) -> np.ndarray:
    """Two features: how many times 'traitors' and 'fear' occur."""
    return np.array([[t.lower().count("traitors"), t.lower().count("fear")] for t in texts], dtype=np.float32)


def head(threshold: float = 0.5, classify: str = "span") -> SentenceTechniques:
    coef = np.zeros((len(TECHNIQUES), 2), dtype=np.float32)
    coef[LOADED] = (4.0, 0.0)
    coef[FEAR] = (0.0, 1.5)
    return SentenceTechniques(words, coef, np.full(len(TECHNIQUES), -1.0, np.float32), TECHNIQUES, threshold,
                              classify, "test/1")


def test_readable_sentences_are_trimmed_and_hold_a_letter_or_digit() -> None:
    assert readable_sentences(TEXT) == [(2, 19), (21, 37), (42, 63)]
    assert [TEXT[s:e] for s, e in readable_sentences(TEXT)] == ["Traitors ruin us.", "The sky is blue.",
                                                                 "Fear them, fear them!"]
    assert enclosing(readable_sentences(TEXT), 10, 25) == (2, 37)
    assert enclosing([], 10, 25) == (10, 25)


def test_a_sentence_gets_its_most_probable_technique_at_the_threshold_only() -> None:
    [spans] = head().spans([TEXT])
    # sigmoid(4 - 1) = 0.953 for the traitors; sigmoid(2 * 1.5 - 1) = 0.881 (fear twice) beats loaded 0.269
    assert [(s.start, s.end, s.technique, round(s.score, 3), round(s.technique_score, 3)) for s in spans] == [
        (2, 19, "Loaded_Language", 0.953, 0.953), (42, 63, "Appeal_to_fear-prejudice", 0.881, 0.881)]
    [high] = head(threshold=0.9).spans([TEXT])
    assert [(s.start, s.technique) for s in high] == [(2, "Loaded_Language")]
    assert head().spans(["", "   ", "..."]) == [[], [], []]


def test_classify_reads_the_span_or_the_sentence_around_it() -> None:
    [ranked] = head(0.5, "span").classify(TEXT, [(7, 12)])  # "ors r": no word the head knows
    assert ranked[0][1] == pytest.approx(1 / (1 + np.e))
    [around] = head(0.5, "sentence").classify(TEXT, [(7, 12)])  # "Traitors ruin us."
    assert around[0] == ("Loaded_Language", pytest.approx(1 / (1 + np.exp(-3.0))))
    assert [t for t, _ in around] == [TECHNIQUES[LOADED], *[t for t in TECHNIQUES if t != TECHNIQUES[LOADED]]]


def test_sentence_labels_are_the_techniques_of_the_gold_spans_they_overlap() -> None:
    gold = [LabelledSpan("1", "Loaded_Language", 2, 10), LabelledSpan("1", "Doubt", 15, 25),
            LabelledSpan("1", "Appeal_to_fear-prejudice", 42, 46), LabelledSpan("2", "Slogans", 0, 3)]
    sents, y = sentence_examples({"1": TEXT, "2": "No."}, gold, ["1"])
    assert sents == ["Traitors ruin us.", "The sky is blue.", "Fear them, fear them!"]
    assert [[TECHNIQUES[j] for j in np.flatnonzero(row)] for row in y] == [
        ["Doubt", "Loaded_Language"], ["Doubt"], ["Appeal_to_fear-prejudice"]]


def test_a_head_file_round_trips_without_pickle(tmp_path) -> None:
    h = head(0.7, "sentence")
    path = tmp_path / "techniques.npz"
    save_head(path, h.coef, h.intercept, {"version": "v9", "labels": list(TECHNIQUES), "threshold": 0.7,
                                          "classify": "sentence"})
    loaded = load_head(path, features=words)
    assert (loaded.threshold, loaded.context, loaded.version.split("/")[1]) == (0.7, "sentence", "v9")
    assert [(s.start, s.technique) for s in loaded.spans([TEXT])[0]] == [(2, "Loaded_Language"),
                                                                          (42, "Appeal_to_fear-prejudice")]
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="bad.npz: not a techniques head file"):
        load_head(tmp_path / "bad.npz", features=words)
