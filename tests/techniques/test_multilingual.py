"""The shipped techniques head on the multilingual trunk (issue 26): Russian and Ukrainian sentences get a
technique through the registered component, English text still gets the English tagger's, and the trainer."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from narrascope.model import Document
from narrascope.models import crosslingual
from narrascope.pipeline.component import get_component
from narrascope.techniques import TECHNIQUES
from narrascope.techniques.inference import MODEL_DIR

RUSSIAN = "Эти продажные предатели и трусливые иуды продали нашу великую страну врагам!"
UKRAINIAN = "Ці продажні зрадники та боягузливі юди продали нашу велику країну ворогам!"
PLAIN_RUSSIAN = "Вчера в Минске прошёл дождь, температура была около десяти градусов."
ENGLISH = "Only the corrupt traitors in Brussels would sell out our great nation."


@pytest.fixture(scope="module")
def component():
    return get_component("techniques")


def annotate(component, *bodies: str) -> list[Document]:
    return list(component.pipe([Document(source=f"x{i}", body=b, id=f"d{i}") for i, b in enumerate(bodies)]))


def test_the_head_is_shipped_small_and_loads_without_pickle() -> None:
    path = crosslingual.heads_file("techniques")
    assert path.stat().st_size < 2_000_000
    with np.load(path, allow_pickle=False) as z:
        assert (z["coef"].shape, z["coef"].dtype, z["intercept"].shape) == ((14, 384), np.float32, (14,))
        meta = json.loads(str(z["meta"]))
    assert meta["labels"] == list(TECHNIQUES) and meta["version"] == "e5-techniques-finetuned-k4-1-tt"
    assert 0 < meta["threshold"] < 1 and meta["classify"] in ("span", "sentence")
    assert crosslingual.languages("techniques") == ("ru", "uk", "be", "bg", "mk", "sr")
    assert crosslingual.version("techniques") == \
        "e5-small-q4-fill50k-ft-int8-2/e5-techniques-finetuned-k4-1-tt+translate-train-alignment-1"


def test_russian_and_ukrainian_sentences_get_a_technique_from_the_multilingual_head(component) -> None:
    ru, uk, plain = annotate(component, RUSSIAN, UKRAINIAN, PLAIN_RUSSIAN)
    got = [(a.start, a.end, a.label, a.producer_version, a.data["model"], a.data["language"])
           for doc in (ru, uk) for a in doc.annotations]
    version = crosslingual.version("techniques")
    # the English tagger calls the English original ("These corrupt traitors and cowardly Judases sold our great
    # country to the enemy!") Name_Calling,Labeling: since translate-train the head does too (before: Loaded_Language)
    assert got == [(0, len(RUSSIAN), "Name_Calling,Labeling", version, "multilingual", "ru"),
                   (0, len(UKRAINIAN), "Name_Calling,Labeling", version, "multilingual", "uk")]
    assert [round(a.score, 2) for doc in (ru, uk) for a in doc.annotations] == [0.45, 0.55]
    assert [a.data["technique_score"] for a in ru.annotations] == [ru.annotations[0].score]
    assert plain.annotations == []  # a plain weather report: no technique, and not unsupported either


#: the Ukrainian sentence this test used while the frozen trunk shipped ("These corrupt traitors and scum are
#: destroying our country"; the English tagger: Name_Calling,Labeling): the fine-tuned head scored it 0.375, below
#: its threshold; the translate-train head gives it Appeal_to_fear-prejudice (0.50) (model card, known limits)
MISSED_UKRAINIAN = "Ці продажні зрадники та покидьки знищують нашу країну."


@pytest.mark.xfail(strict=True, reason="the techniques head (e5-techniques-finetuned-k4-1-tt) gives this Ukrainian "
                   "name-calling sentence Appeal_to_fear-prejudice, not the English tagger's Name_Calling,Labeling: a "
                   "known miss")
def test_the_ukrainian_sentence_gets_the_english_taggers_technique(component) -> None:
    [doc] = annotate(component, MISSED_UKRAINIAN)
    assert [(a.label, a.data["language"]) for a in doc.annotations] == [("Name_Calling,Labeling", "uk")]


def test_english_keeps_the_english_tagger_in_a_mixed_text(component) -> None:
    english_version = json.loads((MODEL_DIR / "config.json").read_text(encoding="utf-8"))["version"]
    [doc] = annotate(component, f"{ENGLISH} {RUSSIAN}")
    got = [(a.start, a.end, a.label, a.producer_version, (a.data or {}).get("model")) for a in doc.annotations]
    assert got == [(0, 69, "Name_Calling,Labeling", english_version, None),
                   (71, 71 + len(RUSSIAN), "Name_Calling,Labeling", crosslingual.version("techniques"),
                    "multilingual")]


def test_without_the_multilingual_head_russian_is_unsupported_again() -> None:
    [doc] = annotate(get_component("techniques", multilingual=False), RUSSIAN)
    assert [(a.label, a.data) for a in doc.annotations] == [
        ("unsupported", {"language": "ru", "reason": "language 'ru': the techniques model reads en only"})]


@pytest.mark.slow
def test_the_trainer_on_ten_articles_writes_a_head_and_reuses_its_cache(shared_data, tmp_path, monkeypatch) -> None:
    from narrascope.evaluation.splits import ptc_split
    from narrascope.techniques.multilingual import GRID_C, train_head
    from narrascope.techniques.scores import read_ptc
    from narrascope.techniques.sentence_head import load_head, readable_sentences

    source = shared_data / "ptc" / "train"
    data = tmp_path / "data"
    (data / "ptc" / "train" / "articles").mkdir(parents=True)
    articles = sorted((source / "articles").glob("article*.txt"))[:10]
    for path in articles:
        shutil.copy(path, data / "ptc" / "train" / "articles" / path.name)
    ids = {p.stem.removeprefix("article") for p in articles}
    lines = [line for line in (source / "train-task-flc-tc.labels").read_text(encoding="utf-8").splitlines()
             if line.split("\t")[0] in ids]
    (data / "ptc" / "train" / "train-task-flc-tc.labels").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("NARRASCOPE_E5_CACHE", str(tmp_path / "cache"))
    first = train_head(data, tmp_path / "out", 1, False)
    assert first["split"] == {"fit": 6, "validation": 2, "test": 2} and "test" not in first
    assert first["head"]["C"] in GRID_C and len(first["tried"]) == 2 * len(GRID_C)
    cached = sorted(p.name for p in (tmp_path / "cache" / "techniques").glob("*.npz"))
    assert cached and sum(int(name[:-4].split("-")[1]) for name in cached) == first["embedded_texts"] > 100
    head = load_head(tmp_path / "out" / "techniques.npz")
    assert head.labels == TECHNIQUES and head.threshold == first["head"]["threshold"]
    again = train_head(data, tmp_path / "again", 1, False)  # every text from the cache: no new file
    assert again["head"] == first["head"]
    assert sorted(p.name for p in (tmp_path / "cache" / "techniques").glob("*.npz")) == cached
    # fitted to the shipped tagger's decisions (the embeddings from the cache), the shipped head's agreement beside
    distilled = train_head(data, tmp_path / "distilled", 1, False, targets="english-model")
    assert distilled["head"]["version"] == "e5-techniques-distilled-1"
    assert distilled["head"]["targets"] == "english-model" and len(distilled["tried"]) == 2 * len(GRID_C)
    texts, _ = read_ptc(data)
    split = ptc_split(sorted(texts))
    agree = distilled["validation_agreement"]
    assert agree["validation_sentences"] == sum(len(readable_sentences(texts[a])) for a in split.validation) > 20
    assert 0.0 < agree["distilled head"] <= 1.0 and 0.0 < agree["shipped head"] <= 1.0
    assert agree["ships"] == ("distilled" if agree["distilled head"] > agree["shipped head"] else "shipped")
    assert agree["shipped version"] == crosslingual.version("techniques")
    assert sum(distilled["fit_targets"].values()) == sum(len(readable_sentences(texts[a])) for a in split.fit)
    assert [p.name[:6] for p in (tmp_path / "cache" / "techniques-teacher").glob("*.json")] == ["spans-"]
    assert load_head(tmp_path / "distilled" / "techniques.npz").version.endswith("e5-techniques-distilled-1")
