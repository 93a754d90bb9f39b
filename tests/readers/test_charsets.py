"""Legacy charsets and byte-order marks: Cyrillic pages in Windows-1251 and KOI8-R, declared or not."""

from __future__ import annotations

import codecs

import pytest

from narrascope.readers import parse
from narrascope.readers.decode import decode, decode_text

TITLE = "Протесты в Минске"
BODY = ("Десятки тысяч людей снова вышли на улицы Минска в воскресенье. Они требуют новых выборов и "
        "освобождения задержанных. Власти называют протесты организованными из-за рубежа.")
HEADS = {
    "meta": '<meta charset="{charset}">',
    "http-equiv": '<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
    "none": "",
}


def page(head: str) -> str:
    return (f"<html><head>{head}<title>{TITLE}</title></head><body><article><h1>{TITLE}</h1>"
            f"<p>{BODY}</p></article></body></html>")


@pytest.mark.parametrize("codec", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("declared", ["meta", "http-equiv", "none"])
def test_a_cyrillic_page_in_a_legacy_charset_reads_as_cyrillic(tmp_path, codec, declared):
    text = page(HEADS[declared].format(charset=codec))
    data = text.encode(codec)
    assert decode(data, "p.html") == text
    path = tmp_path / "p.html"
    path.write_bytes(data)
    [doc] = parse(str(path))
    assert doc.title == TITLE and doc.body == TITLE + "\n" + BODY


GREEK = "Διαδηλώσεις στο Μινσκ για όγδοη εβδομάδα"


@pytest.mark.parametrize(("codec", "title"), [("iso-8859-5", TITLE), ("windows-1253", GREEK), ("koi8-r", "МИНСК")])
@pytest.mark.parametrize("declared", ["meta", "http-equiv"])
def test_a_declared_charset_wins_over_any_guess(codec, title, declared):
    # ISO-8859-5 Cyrillic and Greek are no Windows-1251 or KOI8-R; capitals read backwards as KOI8-R
    text = page(HEADS[declared].format(charset=codec)).replace(TITLE, title).replace(BODY, title)
    assert decode(text.encode(codec)) == text


def test_the_declared_charset_wins_over_the_western_fallback():
    # Windows-1251 bytes read as Windows-1252 are Latin mojibake: "Ïðîòåñòû"
    data = page('<meta charset="windows-1251">').encode("windows-1251")
    assert data.decode("cp1252").count("Ïðîòåñòû") == 2
    assert decode(data).count("Протесты") == 2


@pytest.mark.parametrize("codec", ["koi8-r", "windows-1251", "iso-8859-5"])
def test_an_xml_feed_declares_its_encoding(tmp_path, codec):
    feed = (f'<?xml version="1.0" encoding="{codec}"?>\n<rss version="2.0"><channel><title>Новости</title>'
            f"<item><title>{TITLE}</title><link>https://example.by/1</link><description>{BODY}</description>"
            "</item></channel></rss>")
    data = feed.encode(codec)
    assert decode(data) == feed
    path = tmp_path / "feed.xml"
    path.write_bytes(data)
    [doc] = parse(str(path))
    assert doc.title == TITLE and doc.body == BODY


def test_western_text_without_a_declaration_stays_windows_1252():
    text = "Ça coûte cher — très cher, said the café owner in Zürich. Naïve « façade »."
    assert decode(text.encode("cp1252")) == text
    latin1 = text.replace("—", "-")  # latin-1 has no em dash
    assert decode(latin1.encode("latin-1")) == latin1
    assert decode("Déjà vu: ÉTÉ À PARIS".encode("cp1252")) == "Déjà vu: ÉTÉ À PARIS"


def test_a_utf8_byte_order_mark_is_dropped_whole():
    assert decode(codecs.BOM_UTF8 + b"Hello") == "Hello"
    assert decode(codecs.BOM_UTF8 + TITLE.encode()) == TITLE  # no U+FFFD from a BOM cut one byte short
    assert decode(codecs.BOM_UTF8 + page("").encode()) == page("")


def test_a_bom_page_parses_without_the_bom(tmp_path):
    path = tmp_path / "bom.html"
    path.write_bytes(codecs.BOM_UTF8 + page('<meta charset="utf-8">').encode())
    [doc] = parse(str(path))
    assert doc.title == TITLE and doc.body == TITLE + "\n" + BODY


def test_text_for_the_ptc_scorer_keeps_the_bom_so_offsets_agree():
    assert decode_text(codecs.BOM_UTF8 + b"Hello\r\nworld", "a.txt") == "\ufeffHello\r\nworld"
    assert decode_text(BODY.encode("windows-1251"), "a.txt") == BODY
    assert decode_text(BODY.encode("koi8-r"), "a.txt") == BODY


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_a_byte_order_mark(bom, codec):
    assert decode(bom + page("").encode(codec)) == page("")
