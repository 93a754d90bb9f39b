"""Search finds what analysts type: spellings and transliterations, titled hits, safe snippets, exports."""

from __future__ import annotations

import csv
import io

import pytest

from narrascope.web.sidefile import fts_query
from narrascope.web.variants import variants


@pytest.mark.parametrize("typed, other", [("colour", "color"), ("Belorussia", "belarus"), ("Lukashenka", "lukashenko"),
                                          ("Tikhanovskaya", "tsikhanouskaya"), ("organise", "organize"),
                                          ("centre", "center"), ("defence", "defense"), ("travelled", "traveled")])
def test_spellings_find_each_other(typed, other):
    assert other in variants(typed) and typed.lower() in variants(other)


def test_no_variant_of_a_word_that_only_looks_like_one():
    assert variants("four") == {"four"} and variants("your") == {"your"} and variants("Minsk") == {"minsk"}


def test_the_query_asks_for_every_spelling():
    assert fts_query("colour revolution!") == (
        '({title author body} : ("color" OR "colour") OR spelled : ("color" OR "colour")) AND '
        '({title author body} : ("revolution") OR spelled : ("revolution"))')
    assert fts_query('" OR *') == '({title author body} : ("or") OR spelled : ("or"))'  # words are quoted
    assert fts_query("Минск", "author text") == (
        '({author text} : ("minsk" OR "минск") OR spelled : ("minsk"))')  # its Latin spelling and key too


def hits(client, q: str, kind: str = "documents") -> list[dict]:
    return client.get("/search", params={"q": q, "kind": kind, "format": "json"}).json()["items"]


def test_both_spellings_find_the_same_documents(seed_client):
    colour = [h["title"] for h in hits(seed_client, "colour revolution")]
    assert sorted(colour) == ["Fuel prices talks in Minsk", "They keep lying"]
    assert sorted(h["title"] for h in hits(seed_client, "color revolution")) == sorted(colour)
    untitled = "Lukashenka told parliament that Belorussia will never bow to the West.…"
    for q in ("Lukashenko", "Belarus", "Tikhanovskaya"):
        assert [h["title"] for h in hits(seed_client, q)] == [untitled]  # titled by its first words, not its id


def test_snippets_mark_the_words_found_and_mask_toxic_ones(seed_client):
    html = seed_client.get("/search", params={"q": "country", "kind": "comments"}).text
    assert ('These <span class="masked" title="masked toxic words">v•••••</span> should be thrown out of the '
            "<mark>country</mark>, all of them.") in html
    assert "vermin" not in html.split('<ol class="hits"')[1]
    assert "comment #24 by angryman on “Fuel prices talks in Minsk”" in html
    colour = seed_client.get("/search", params={"q": "color revolution"}).text
    assert "comment on the <mark>colour</mark> <mark>revolution</mark> claims" in colour


def test_the_hits_shown_export(seed_client):
    r = seed_client.get("/search", params={"q": "country", "kind": "comments", "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["kind"], x["author"], x["flag"], x["snippet"]) for x in rows] == [
        ("comment", "angryman", "hatespeech", "These v••••• should be thrown out of the country, all of them.")]
    assert 'href="/search?q=country&amp;kind=comments&amp;offset=0&amp;format=parquet" download' in seed_client.get(
        "/search", params={"q": "country", "kind": "comments"}).text
