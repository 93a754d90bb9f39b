"""The decoding rules at their edges: exact thresholds, replacement characters, warnings and errors.

Written from the mutants of ``readers/decode.py`` that survived the other tests (benchmarks/README.md).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import pytest

from narrascope.model import Comment
from narrascope.readers.decode import (
    NotText,
    clean_strings,
    clean_text,
    decode,
    decode_text,
    looks_binary,
    utf16_without_bom,
)


def test_not_text_names_the_file_and_the_reason():
    error = NotText("photo.png")
    assert (str(error), error.source, error.reason) == ("photo.png: binary data, not a text file", "photo.png",
                                                        "binary data, not a text file")


def test_lone_surrogates_become_one_question_mark_each():
    assert clean_text("a\ud800b\udfffc") == "a?b?c"
    plain = "no surrogate here"
    assert clean_text(plain) is plain


@dataclass
class Box:
    label: str
    notes: list


def test_clean_strings_reaches_lists_dicts_and_dataclasses_in_place():
    items = ["x\ud800", "ok"]
    mapping = {"k": "y\udc00", "n": 3}
    comment = Comment(text="t\ud800", author="a\ud801")
    box = Box("b\ud802", ["c\ud803"])
    assert clean_strings(items) is items and items == ["x?", "ok"]
    assert clean_strings(mapping) is mapping and mapping == {"k": "y?", "n": 3}
    assert clean_strings(comment) is comment and (comment.text, comment.author) == ("t?", "a?")
    assert clean_strings(box) is box and (box.label, box.notes) == ("b?", ["c?"])
    assert clean_strings(Box) is Box  # a class is no instance to clean


def le(text: str) -> bytes:
    return text.encode("utf-16-le")


def test_utf16_without_bom_needs_eight_bytes_and_names_the_byte_order():
    assert utf16_without_bom(le("abcd")) == "utf-16-le"  # exactly 8 bytes
    assert utf16_without_bom("abcd".encode("utf-16-be")) == "utf-16-be"
    assert utf16_without_bom(le("abc")) is None  # 6 bytes: too little to tell
    assert utf16_without_bom(le("abc") + b"x") is None  # 7 bytes, the odd one dropped
    assert utf16_without_bom(le("abcd") + b"x") == "utf-16-le"  # 9 bytes: the odd byte is left out
    assert utf16_without_bom(le("abcde") + b"x") == "utf-16-le"  # 11 bytes: still whole characters only


def test_utf16_without_bom_thresholds_are_inclusive():
    # 20 characters: 7 of the 10 high bytes NUL (70%) and 1 NUL of 20 low bytes (5%, all controls 5%)
    seventy = bytearray(le("abcdefghij"))
    for i in (1, 3, 5):
        seventy[i] = 0x04  # three characters outside Latin-1
    assert utf16_without_bom(bytes(seventy)) == "utf-16-le"
    seventy[7] = 0x04
    assert utf16_without_bom(bytes(seventy)) is None  # 6 of 10: not UTF-16
    one_nul = le("abcdefghijklmnopqrs") + b"\x00\x00"  # 20 characters, the last one U+0000
    assert utf16_without_bom(one_nul) == "utf-16-le"
    two = le("abcdefghijklmnopqr") + b"\x00\x00\x01\x00"
    assert utf16_without_bom(two) is None  # two controls of 20: 90% printable


def test_mostly_utf8_needs_more_valid_wide_characters_than_bad_bytes():
    assert decode("é".encode() + b"\xff") == "é\ufffd"  # one of each: still UTF-8
    assert decode(b"\xe9\xff") == "éÿ"  # no valid wide character: Windows-1252
    warned: list[str] = []
    assert decode("éé".encode() + b"\xff", "p.html", warned.append) == "éé\ufffd"
    assert warned == ["p.html: 1 byte(s) are not valid UTF-8 and were replaced by U+FFFD"]
    warned.clear()
    decode("éé".encode() + b"\xff", warn=warned.append)
    assert warned == [": 1 byte(s) are not valid UTF-8 and were replaced by U+FFFD"]


def test_a_utf8_character_cut_at_the_end_is_one_bad_byte_for_text():
    warned: list[str] = []
    data = "Привет мир".encode() + b"\xd0"
    assert decode_text(data, "a.txt", warned.append) == "Привет мир\ufffd"
    assert warned == ["a.txt: 1 byte(s) are not valid UTF-8 and were replaced by U+FFFD"]
    assert decode_text(b"ok \xff and more " + "éé".encode(), "b.txt") == "ok \ufffd and more éé"


def test_exactly_five_percent_control_characters_is_still_text():
    assert not looks_binary(b"a" * 95 + b"\x01" * 5)
    assert looks_binary(b"a" * 94 + b"\x01" * 6)
    assert decode_text(b"a" * 95 + b"\x01" * 5, "f.txt") == "a" * 95 + "\x01" * 5
    with pytest.raises(NotText) as caught:
        decode_text(b"a" * 94 + b"\x01" * 6, "f.txt")
    assert str(caught.value) == "f.txt: binary data, not a text file"


def test_looks_binary_edges():
    assert looks_binary(b"") is False
    # a NUL in text of another encoding is binary, however few controls
    assert looks_binary(b"caf\xe9 au lait, tr\xe8s cher \x00 vraiment") is True
    # a UTF-8 character cut by the 8 KB sample is not a bad byte: the NUL stays a stray one
    data = b"x" * 100 + b"\x00" + b"y" * (8191 - 101) + "é".encode() + b" more"
    assert looks_binary(data) is False
    assert decode_text(data, "n.txt")[8191] == "é"


def test_binary_data_is_refused_by_name():
    with pytest.raises(NotText) as caught:
        decode_text(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image.png")
    assert str(caught.value) == "image.png: binary data, not a text file"


def test_invalid_bytes_after_a_bom_or_in_utf16_are_replaced_not_fatal():
    assert decode(codecs.BOM_UTF8 + b"ok\xff") == "ok\ufffd"
    assert decode(codecs.BOM_UTF16_LE + le("hi") + b"x") == "hi\ufffd"
    assert decode(le("abcdefgh") + b"x") == "abcdefgh\ufffd"  # no BOM, an odd byte at the end


def test_text_in_utf16_or_a_legacy_encoding_goes_through_decode():
    assert decode_text(le("Die Regierung tagt"), "t.txt") == "Die Regierung tagt"
    assert decode_text(b"caf\xe9 au lait", "t.txt") == "café au lait"


def test_a_page_that_declares_utf8_but_is_not_falls_back_to_windows_1252():
    page = b'<meta charset="utf-8"><p>caf\xe9 cr\xe8me br\xfbl\xe9e</p>'
    assert decode(page) == '<meta charset="utf-8"><p>café crème brûlée</p>'


def test_a_byte_the_declared_or_guessed_charset_lacks_is_replaced():
    greek = "<meta charset=\"windows-1253\"><p>Διαδηλώσεις στο Μινσκ</p>"
    assert decode(greek.encode("cp1253") + b"\xaa") == greek + "\ufffd"  # 0xAA is not in Windows-1253
    russian = "Десятки тысяч людей снова вышли на улицы"
    assert decode(russian.encode("cp1251") + b" \x98") == russian + " \ufffd"  # 0x98 is not in Windows-1251
    assert decode(b"caf\xe9 \x81") == "café \x81"  # 0x81 is not in Windows-1252: latin-1


def test_an_xml_declaration_is_read_in_the_first_1024_bytes_only():
    text = "Новости дня: протесты продолжаются в столице"
    late = b" " * 985 + b'<?xml version="1.0" encoding="iso-8859-5"?>'
    assert late.index(b'"?>') == 1025  # the encoding's last character is the 1,025th byte: cut to "iso-8859-"
    assert decode(late + text.encode("iso-8859-5")) != (late + text.encode("iso-8859-5")).decode("iso-8859-5")
    early = b" " * 900 + b'<?xml version="1.0" encoding="iso-8859-5"?>'
    assert decode(early + text.encode("iso-8859-5")) == early.decode() + text


@pytest.mark.parametrize(("words", "codec"), [
    ([b"\xe0\xc1\xe2", b"\xc3\xe4\xc5", b"\xe6\xc7\xe8\xc9"], "cp1251"),  # 5 of 10 letters from 0xE0: half
    ([b"\xe1\xc1\xc2", b"\xc3\xe4\xc5", b"\xe6\xc7\xe8\xc9"], "koi8_r"),  # 4 of 10: KOI8-R
    ([b"\xe0\xe0\xc1", b"\xc3\xe0\xc5", b"\xe6\xc7\xe8\xc9"], "cp1251"),  # 5 of 10, three of them 0xE0 itself
])
def test_undeclared_cyrillic_splits_at_half_the_letters(words, codec):
    data = b" ".join(words)
    assert decode(data) == data.decode(codec)


def test_three_cyrillic_words_are_enough_two_are_not():
    three = "мир дом сад".encode("cp1251")
    assert decode(three) == "мир дом сад"
    two = "мир дом".encode("cp1251")
    assert decode(two) == two.decode("cp1252")


def test_an_odd_last_byte_takes_no_part_in_the_utf16_guess():
    assert utf16_without_bom(le("abcd") + b"\x01") == "utf-16-le"  # the control byte is cut off


def test_controls_beyond_the_first_8_kb_of_bytes_count_for_text_read_as_characters():
    # 8 KB of two-byte letters hides the controls from the byte sample, not from the first 8,192 characters
    data = ("Ж" * 4096 + "\x01" * 1000 + "Ж" * 100).encode()
    assert not looks_binary(data[:8192])
    with pytest.raises(NotText) as caught:
        decode_text(data, "late.txt")
    assert str(caught.value) == "late.txt: binary data, not a text file"
