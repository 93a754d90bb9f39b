"""Languages in the web app: search across scripts (Cyrillic letters that differ between Russian, Ukrainian
and Belarusian, Latin and Cyrillic spellings of one name), each hit's language and a filter by it, and the
passages a layer could not read shown as such, never counted as findings."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.web.conftest import copy_client

from narrascope.web.sidefile import SCHEMA, connect, side_path
from narrascope.web.translit import spelled, spelling_key

#: (title, body): the language each is identified as is asserted in test_each_hit_says_its_language
PAGES = [
    ("Заява Лукашенко", "Лукашенко заявил, что Минск не сдастся и ёлка на площади останется до весны. Оппозиция и "
                        "Тихановская ответили из Вильнюса, что выборы были украдены."),
    ("Заява Лукашэнкі", "Лукашэнка сказаў, што Мінск не здасца і ўсё застанецца як было. Ціханоўская адказала з "
                        "Вільні, што беларусы не здадуцца."),
    ("Заява президента", "Президент України заявив у Києві, що їжак і ялинка залишаться на площі до весни, а "
                         "вибори відбудуться вчасно."),
    ("Speech in Minsk", "Lukashenka told parliament in Minsk that the elections were fair. Tsikhanouskaya "
                        "answered from Vilnius that they were stolen."),
    ("Tweet <b>bold</b>", "Lukašenka i Cichanoŭskaja: <script>alert(1)</script> the square stays open."),
]


@pytest.fixture(scope="module")
def languages_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from narrascope.corpus import Corpus

    base = tmp_path_factory.mktemp("languages")
    inputs = base / "pages.jsonl"
    rows = [{"source": f"https://example.org/{n}", "outlet": "example.org", "kind": "article", "title": t,
             "body": b, "comments": [{"author": "reader", "text": c}]}
            for n, ((t, b), c) in enumerate(zip(PAGES, ["Ёлку не трогайте!", "Усё будзе добра.", "Слава Україні!",
                                                        "Fair? Not at all.", "ok"], strict=True))]
    inputs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = str(base / "languages.duckdb")
    with Corpus(db) as corpus:
        corpus.ingest([str(inputs)])
    return db


@pytest.fixture()
def client(languages_db: str, tmp_path: Path):
    yield from copy_client(languages_db, tmp_path)


def titles(client, q: str, kind: str = "documents", language: str = "") -> list[str]:
    params = {"q": q, "kind": kind, "format": "json", **({"language": language} if language else {})}
    return sorted(h["title"] for h in client.get("/search", params=params).json()["items"])


@pytest.mark.parametrize("words, key", [
    (("Ціханоўская", "Tsikhanouskaya", "Cichanoŭskaja"), "cihanouskaia"),
    (("Лукашэнка", "Lukashenka", "Łukašenka", "ЛУКАШЭНКА"), "lukashenka"),
    (("Мінск", "Минск", "Minsk"), "minsk"),
    (("ёлка", "елка", "Ёлка"), "elka"),
    (("ўсё", "усе"), "use"),
    (("Їжак", "іжак"), "izhak"),
    (("Київ", "Kyiv"), "kiv"),
])
def test_one_key_for_every_way_of_writing_a_word(words, key):
    assert [spelling_key(w) for w in words] == [key] * len(words)


def test_only_words_that_are_not_plain_ascii_get_a_key():
    assert spelled("Lukashenka met Лукашенко and Лукашенко in Мінск, café") == "lukashenko minsk cafe"


def test_cyrillic_letters_that_differ_between_languages_find_each_other(client):
    assert titles(client, "Минск") == ["Speech in Minsk", "Заява Лукашенко", "Заява Лукашэнкі"]
    assert titles(client, "МІНСК") == titles(client, "Минск")
    assert titles(client, "елка") == ["Заява Лукашенко"]  # ёлка
    assert titles(client, "ёлка") == ["Заява Лукашенко"]
    assert titles(client, "усё") == ["Заява Лукашэнкі"]  # ўсё
    assert titles(client, "іжак") == ["Заява президента"]  # їжак
    assert titles(client, "Киеві") == ["Заява президента"]  # Києві: и for і, е for є


def test_latin_finds_cyrillic_and_cyrillic_finds_latin(client):
    everyone = ["Speech in Minsk", "Tweet <b>bold</b>", "Заява Лукашенко", "Заява Лукашэнкі"]
    for q in ("Lukashenka", "Lukashenko", "Лукашенко", "Лукашэнка", "lukaschenko"):
        assert titles(client, q) == everyone, q
    for q in ("Tsikhanouskaya", "Tikhanovskaya", "Тихановская", "Ціханоўская"):
        assert titles(client, q) == everyone, q
    assert titles(client, "Lukashenka Vilnius") == ["Speech in Minsk"]
    assert titles(client, "Lukashenka Вильнюса") == ["Заява Лукашенко"]


def test_a_search_in_comments_folds_the_same_way(client):
    assert titles(client, "елку", "comments") == ["comment #1 by reader on “Заява Лукашенко”"]
    assert titles(client, "усе", "comments") == ["comment #1 by reader on “Заява Лукашэнкі”"]  # Усё
    # "Ёлку не трогайте!" is too short to tell: it counts in its page's language
    assert titles(client, "елку", "comments", language="ru") == ["comment #1 by reader on “Заява Лукашенко”"]
    assert titles(client, "елку", "comments", language="be") == []


def test_each_hit_says_its_language_and_the_filter_keeps_one(client):
    r = client.get("/search", params={"q": "Lukashenka", "format": "json"}).json()["items"]
    assert sorted((h["title"], h["language"]) for h in r) == [
        ("Speech in Minsk", "en"), ("Tweet <b>bold</b>", "en"), ("Заява Лукашенко", "ru"), ("Заява Лукашэнкі", "be")]
    assert titles(client, "Lukashenka", language="be") == ["Заява Лукашэнкі"]
    assert titles(client, "Lukashenka", language="ru") == ["Заява Лукашенко"]
    assert titles(client, "Lukashenka", language="uk") == []
    api = client.get("/api/search", params={"q": "Минск", "language": "en"}).json()
    assert [(h["title"], h["language"]) for h in api["items"]] == [("Speech in Minsk", "en")]


def test_the_page_marks_cyrillic_words_found_by_a_latin_search_and_escapes_everything(client):
    html = client.get("/search", params={"q": "Lukashenka Minsk", "language": "be"}).text
    assert "<mark>Лукашэнка</mark> сказаў, што <mark>Мінск</mark> не здасца" in html
    assert '<span class="lang" title="language of the text">be</span>' in html
    assert '<option selected>be</option>' in html
    tweet = client.get("/search", params={"q": "Cichanoŭskaja"}).text
    assert "Tweet &lt;b&gt;bold&lt;/b&gt;" in tweet and "<b>bold</b>" not in tweet
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tweet and "<script>alert(1)" not in tweet
    assert "Lukašenka i <mark>Cichanoŭskaja</mark>:" in tweet


@pytest.mark.parametrize("columns", ["id UNINDEXED, title, author, body",  # before languages and spelling keys
                                     # before the languages of a document's passages
                                     "id UNINDEXED, language UNINDEXED, title, author, body, spelled"])
def test_an_index_written_before_spelling_keys_is_rebuilt(languages_db: str, tmp_path: Path, columns: str):
    import shutil

    from fastapi.testclient import TestClient

    from narrascope.web.app import create_app

    db = str(tmp_path / "old.duckdb")
    shutil.copy(languages_db, db)
    old = sqlite3.connect(side_path(db))
    old.executescript(SCHEMA.split("CREATE VIRTUAL TABLE")[0] + """
        CREATE VIRTUAL TABLE document_text USING fts5(""" + columns + """);
        CREATE VIRTUAL TABLE comment_text USING fts5(id UNINDEXED, document_id UNINDEXED, author, text);
        INSERT INTO indexed VALUES ('gone'); INSERT INTO state VALUES ('last_id', 'zzz');""")
    old.commit()
    old.close()
    assert [r[1] for r in connect(db).execute("PRAGMA table_info(document_text)")] == [
        "id", "language", "title", "author", "body", "spelled", "languages"]
    app = create_app(db, index_every=0)
    with TestClient(app) as c:
        app.state.narrascope.side.sync()
        assert titles(c, "Мінск") == ["Speech in Minsk", "Заява Лукашенко", "Заява Лукашэнкі"]


MIXED = ("The government has once again lied to the people about the economy. These corrupt traitors must be "
         "stopped before they destroy our great nation forever. He said: «Президент Лукашенко заявил, что Запад "
         "хочет уничтожить <b>Беларусь</b>.» Unemployment doubled in the two years after the election.")


@pytest.fixture(scope="module")
def mixed_client(tmp_path_factory: pytest.TempPathFactory, english_only):
    """An English article with a Russian quote and a Russian comment, analysed by the real layers' English models."""
    from fastapi.testclient import TestClient

    from narrascope.corpus import Corpus
    from narrascope.web.app import create_app

    base = tmp_path_factory.mktemp("mixed")
    row = {"source": "https://example.org/mixed", "outlet": "example.org", "kind": "article", "title": "Mixed",
           "body": MIXED, "comments": [{"author": "a", "text": "Ты тупой идиот и все твои друзья тоже."},
                                       {"author": "b", "text": "You are a disgusting idiot."}]}
    (base / "mixed.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(base / "mixed.duckdb")
    with Corpus(db) as corpus:
        layers = [english_only(layer) for layer in ("techniques", "claims", "toxicity")]
        corpus.analyze([str(base / "mixed.jsonl")], components=layers)
    app = create_app(db, index_every=0)
    with TestClient(app) as c:
        yield c


def test_the_document_page_says_which_passage_no_layer_read_and_in_which_language(mixed_client):
    [doc] = mixed_client.get("/api/documents").json()["items"]
    assert doc["language"] == "en"
    found = mixed_client.get(f"/api/documents/{doc['id']}").json()
    start = MIXED.index("He said")
    end = MIXED.index("» ") + 1
    assert sorted((a["layer"], a["start_char"], a["end_char"], a["data"]["language"]) for a in found["unread"]) == [
        ("claims", start, end, "ru"), ("techniques", start, end, "ru")]
    assert all(a["label"] != "unsupported" for a in found["annotations"])
    assert not [a for a in found["annotations"] if a["start_char"] < end and start < a["end_char"]]
    claims = sorted(MIXED[a["start_char"]:a["end_char"]] for a in found["annotations"] if a["layer"] == "claims")
    assert claims == ["The government has once again lied to the people about the economy.",
                      "Unemployment doubled in the two years after the election."]
    html = mixed_client.get(f"/documents/{doc['id']}").text
    assert ('<li><bdi class="lang">ru</bdi> · claims, techniques <q>He said: «Президент Лукашенко заявил, что Запад '
            'хочет уничтожить &lt;b&gt;Беларусь&lt;/b&gt;.»</q></li>') in html
    assert "<b>Беларусь</b>" not in html


def test_tables_and_filters_count_findings_not_the_unread_notes(mixed_client):
    [row] = mixed_client.get("/documents", params={"format": "json"}).json()["items"]
    # the techniques model's Flag-Waving span drawn across the quote is cut in two around it; the Russian
    # comment's unsupported notes count nowhere (one technique span is in the English comment)
    assert (row["language"], row["claims"], row["techniques"], row["body_techniques"], row["comment_techniques"],
            row["flagged"]) == ("en", 2, ["Flag-Waving"], 2, 1, 1)
    overview = mixed_client.get("/").text
    assert "<option>unsupported</option>" not in overview
    thread = mixed_client.get(f"/threads/{row['id']}").text
    assert '<mark class="claim"' not in thread.split("Ты тупой")[0].rsplit('class="ctext"', 1)[1]
    # the Russian comment under the English page says its language; the English one does not
    assert thread.count('<bdi class="lang"') == 1
    assert ('<bdi class="lang" title="language of the comment (the page is in en)">ru</bdi>') in thread


@pytest.fixture(scope="module")
def passages_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Four real-looking pages: Łacinka, Russian typed in Latin letters, an English article quoting a Russian
    sentence and a Ukrainian article (texts of tests/readers/test_document_languages.py), ingested."""
    from tests.readers.test_document_languages import LACINKA, QUOTING, RUSSIAN_IN_LATIN, UKRAINIAN

    from narrascope.corpus import Corpus

    base = tmp_path_factory.mktemp("passages")
    rows = [{"source": f"https://example.org/{t}", "outlet": "example.org", "kind": "post", "title": t, "body": b}
            for t, b in (("Łacinka", LACINKA), ("Latin Russian", RUSSIAN_IN_LATIN), ("Quoting", QUOTING),
                         ("Ukrainian", UKRAINIAN))]
    (base / "pages.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = str(base / "passages.duckdb")
    with Corpus(db) as corpus:
        corpus.ingest([str(base / "pages.jsonl")])
    return db


@pytest.fixture()
def passages_client(passages_db: str, tmp_path: Path):
    yield from copy_client(passages_db, tmp_path)


def test_each_document_shows_its_language_and_the_filter_finds_a_passage_in_another(passages_client):
    c = passages_client
    docs = c.get("/api/documents").json()["items"]
    assert sorted((d["title"], d["language"], d["languages"]) for d in docs) == [
        ("Latin Russian", "ru-Latn", ["ru-Latn"]), ("Quoting", "en", ["en", "ru"]), ("Ukrainian", "uk", ["uk"]),
        ("Łacinka", "be-Latn", ["be-Latn"])]

    def shown(language: str) -> list[str]:
        api = sorted(d["title"] for d in c.get("/api/documents", params={"language": language}).json()["items"])
        table = c.get("/documents", params={"format": "json", "language": language}).json()["items"]
        assert sorted(r["title"] for r in table) == api
        return api

    assert shown("ru") == ["Quoting"]  # an English article with a Russian passage
    assert shown("en") == ["Quoting"]
    assert shown("ru-Latn") == ["Latin Russian"]
    assert shown("be-Latn") == ["Łacinka"]
    assert shown("pl") == []  # what the whole-text identifier said of the Łacinka post
    overview = c.get("/").text
    for language in ("be-Latn", "en", "ru", "ru-Latn", "uk"):
        assert f"<option>{language}</option>" in overview, language
    quoting = next(d for d in docs if d["title"] == "Quoting")
    page = c.get(f"/documents/{quoting['id']}").text
    assert ('<bdi>en</bdi> <span class="langs" title="languages of passages of their own">(also <bdi>ru</bdi>)'
            '</span>') in page
    table = c.get("/documents", params={"language": "ru"}).text
    assert '<option selected>ru</option>' in table
    # search too: the English article is found under the language of its Russian quote, and says it is en
    assert titles(c, "Vilnius", language="ru") == ["Quoting"]
    assert titles(c, "Vilnius", language="ru-Latn") == []
    hits = c.get("/search", params={"q": "Запад", "format": "json", "language": "ru"}).json()["items"]
    assert [(h["title"], h["language"]) for h in hits] == [("Quoting", "en")]


def choose_language(page, language: str) -> None:
    """Pick ``language`` in the page's filter form and apply it."""
    page.select_option("form.filters select[name=language]", language)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert f"language={language}" in page.url


@pytest.mark.browser
def test_in_a_browser_a_latin_search_finds_cyrillic_pages_and_the_language_filter_keeps_one(languages_db, tmp_path,
                                                                                               page):
    import shutil
    import time

    from tests.web.conftest import Server

    db = tmp_path / "languages.duckdb"
    shutil.copy(languages_db, db)
    server = Server(str(db))
    try:
        deadline = time.monotonic() + 30
        while True:  # the server indexes in the background
            page.goto(f"{server.url}/search")
            page.fill("form.filters input[name=q]", "Lukashenka")
            with page.expect_navigation():
                page.click("form.filters button[type=submit]")
            titles = page.locator("ol.hits li > a").all_inner_texts()
            if titles or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert sorted(titles) == ["Speech in Minsk", "Tweet <b>bold</b>", "Заява Лукашенко", "Заява Лукашэнкі"]
        choose_language(page, "be")
        assert page.locator("ol.hits li > a").all_inner_texts() == ["Заява Лукашэнкі"]
        assert page.locator("ol.hits mark").all_inner_texts() == ["Лукашэнка"]
        assert page.locator("ol.hits .lang").all_inner_texts() == ["be"]
        assert page.dialogs == [] and page.evaluate("window.__pwned") is None
    finally:
        server.stop()


@pytest.mark.browser
def test_in_a_browser_the_language_filter_finds_the_english_page_quoting_russian(passages_db, tmp_path, page):
    import shutil

    from tests.web.conftest import Server

    db = tmp_path / "passages.duckdb"
    shutil.copy(passages_db, db)
    server = Server(str(db))
    try:
        page.goto(f"{server.url}/documents")
        assert sorted(page.locator("td.col-language").all_inner_texts()) == ["be-Latn", "en", "ru-Latn", "uk"]
        choose_language(page, "ru")
        assert page.locator("td.col-title").all_inner_texts() == ["Quoting"]
        assert page.locator("td.col-language").all_inner_texts() == ["en"]
        page.locator("td.col-title a").click()
        assert page.locator("p.meta .langs").inner_text() == "(also ru)"
        assert page.dialogs == [] and page.evaluate("window.__pwned") is None
    finally:
        server.stop()


def test_a_store_written_before_documents_had_their_passages_languages_is_upgraded_when_served(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient
    from tests.store.test_migrations import version_8_store

    from narrascope.store.duckdb import DuckDBStore
    from narrascope.store.schema import MIGRATIONS
    from narrascope.web.app import create_app

    db = str(tmp_path / "v8.duckdb")
    version_8_store(db, monkeypatch, "Old page", "ru", "Лукашенко заявил, что Минск не сдастся.")
    app = create_app(db, index_every=0)
    with TestClient(app) as c:
        app.state.narrascope.side.sync()
        assert [(d["title"], d["languages"]) for d in c.get("/api/documents", params={"language": "ru"}).json()[
            "items"]] == [("Old page", [])]
        assert titles(c, "Минск", language="ru") == ["Old page"]
        assert "<option>ru</option>" in c.get("/").text
    with DuckDBStore(db) as store:
        assert store.schema_version == len(MIGRATIONS)


def test_a_label_of_the_multilingual_model_says_so_and_in_which_language(tmp_path: Path):
    """A Russian claim is labelled by the multilingual model (claims' head on the e5 trunk); its popover names that
    model and the language it read, and the version it records is the trunk's and the head's."""
    from narrascope.corpus import Corpus
    from narrascope.models import crosslingual

    inputs = tmp_path / "ru.jsonl"
    body = "В 2020 году ВВП Беларуси сократился на 0,9 процента, сообщил Белстат."
    inputs.write_text(json.dumps({"source": "https://example.org/ru", "title": "Белстат", "body": body},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    db = str(tmp_path / "ru.duckdb")
    with Corpus(db) as corpus:
        corpus.analyze([str(inputs)], components=["claims"])
        found = [a for a in corpus.annotations(layer="claims") if a.label == "claim"]
    assert [(a.data["model"], a.data["language"], a.producer_version.endswith(crosslingual.version("claims")))
            for a in found] == [("multilingual", "ru", True)]
    (tmp_path / "web").mkdir()
    for c in copy_client(db, tmp_path / "web"):
        html = c.get(f"/annotations/{found[0].id}/explain").text
        assert "the multilingual model (multilingual-e5-small and a claims head)</bdi>, read in <bdi>ru</bdi>" in html
