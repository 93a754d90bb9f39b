"""BatchComponent's second (multilingual) model: Russian, Ukrainian and Belarusian sentences are scored by it,
the English ones by the layer's own model, and a language neither reads stays ``unsupported``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from narrascope.model import Annotation, Comment, Document
from narrascope.pipeline.component import BatchComponent, Target, complement


@dataclass
class Model:
    version: str
    tag: str


class Words(BatchComponent):
    """Labels every text with its model's tag and the words it was given (what the model read)."""

    name = "test-words"
    layer = "words"
    version = "own-1"

    def load_model(self) -> Any:
        return Model("own-1", "own")

    def load_second_model(self) -> Any:
        return Model("multi-1", "multi")

    def supported_languages(self) -> tuple[str, ...]:
        return ("en",)

    def second_languages(self) -> tuple[str, ...]:
        return ("ru", "uk", "be")

    def score_with(self, model: Any, texts: list[str]) -> list[Any]:
        return [(model.tag, " ".join(t.split())) for t in texts]

    def annotations(self, target: Target, result: Any, version: str) -> list[Annotation]:
        text = target.text
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return [Annotation(target.id, target.type, target.start + start, target.start + end, self.layer,
                           result[0], None, self.name, version, {"read": result[1]})]


ENGLISH = "The regime beat peaceful people in the streets of Minsk on Sunday evening."
RUSSIAN = "Режим жестоко избивал мирных людей на улицах Минска в воскресенье вечером."
GERMAN = "Das Regime hat am Sonntagabend friedliche Menschen auf den Straßen von Minsk geschlagen."


def run(*comments: str) -> Document:
    doc = Document(source="https://example.org/a", body="",
                   comments=[Comment(id=f"c{i}", text=t) for i, t in enumerate(comments)])
    return next(Words().pipe([doc]))


def test_a_russian_comment_is_read_by_the_second_model_only() -> None:
    doc = run(RUSSIAN)
    assert [(a.label, a.producer_version, a.data["read"], a.data["language"], a.data["model"])
            for a in doc.annotations] == [("multi", "multi-1", RUSSIAN, "ru", "multilingual")]
    assert (doc.annotations[0].start, doc.annotations[0].end) == (0, len(RUSSIAN))


def test_each_model_reads_only_its_own_sentences_of_a_mixed_comment() -> None:
    text = f"{ENGLISH} {RUSSIAN}"
    doc = run(text)
    got = sorted((a.label, a.producer_version, a.data["read"], a.start, a.end) for a in doc.annotations)
    assert got == [("multi", "multi-1", RUSSIAN, len(ENGLISH) + 1, len(text)),
                   ("own", "own-1", ENGLISH, 0, len(ENGLISH))]


def test_a_language_neither_model_reads_stays_unsupported() -> None:
    doc = run(GERMAN)
    assert [(a.label, a.data["language"]) for a in doc.annotations] == [("unsupported", "de")]


def test_complement_gives_the_stretches_outside_the_runs() -> None:
    assert complement("abcdefghij", ((2, 4, "ru"), (6, 8, "ru"))) == ((0, 2, ""), (4, 6, ""), (8, 10, ""))
    assert complement("abc", ((0, 3, "ru"),)) == ()
    assert complement("abc", ()) == ((0, 3, ""),)


def test_short_russian_that_the_identifier_calls_serbian_is_still_read_by_the_trunk() -> None:
    """The trunk reads every Cyrillic Slavic language: a short Russian caption identified as Serbian (a Telegram
    post of the fixtures) gets the multilingual head's decision, not ``unsupported``."""
    from narrascope.lang import identify
    from narrascope.pipeline.component import get_component

    caption = "Видео с проспекта Независимости"
    assert identify(caption) == "sr"

    def labels(**config: object) -> list[tuple[str, str]]:
        doc = Document(source="https://t.me/c/1", body=caption)
        return [(a.label, a.data["language"]) for a in get_component("techniques", **config)(doc).annotations]

    assert labels(multilingual=False) == [("unsupported", "sr")]
    assert ("unsupported", "sr") not in labels()
