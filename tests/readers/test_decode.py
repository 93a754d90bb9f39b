"""What is text: one rule for every reader and the techniques commands; UTF-16 with and without a BOM."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest

from narrascope.errors import ReadError
from narrascope.readers import parse
from narrascope.readers.decode import decode, decode_text, looks_binary

PAGE = ("<html><head><meta charset=\"{charset}\"><title>Stray bytes</title></head><body><article>"
        "<h1>Stray bytes</h1><p>The minister denied the report on Tuesday, calling it a fabrication by "
        "foreign agents who want to weaken the nation.{extra} Critics said the documents were authentic "
        "and asked for an inquiry into the contracts.</p></article></body></html>")


def test_one_nul_byte_does_not_make_a_page_binary(tmp_path):
    path = tmp_path / "nul.html"
    path.write_bytes(PAGE.format(charset="utf-8", extra="\x00").encode("utf-8"))
    [doc] = parse(str(path))
    assert doc.title == "Stray bytes" and "fabrication" in doc.body
    text = tmp_path / "nul.txt"
    text.write_bytes(b"A note with a stray\x00 NUL byte in it, and otherwise plain words.\n")
    assert "stray" in parse(str(text))[0].body


def test_images_archives_and_random_bytes_stay_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", bytes((i * 7919 + 13) % 256 for i in range(4096)))
    samples = {"image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
               "random.bin": bytes((i * 7919 + 13) % 256 for i in range(8192)),
               "archive.zip": buf.getvalue(), "controls.txt": b"\x00\x01\x02\x03" * 500}
    for name, data in samples.items():
        assert looks_binary(data), name
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ReadError, match="binary data"):
            parse(str(tmp_path / name))


def test_the_techniques_commands_use_the_same_rule():
    from narrascope.techniques import data

    assert data.decode_text is decode_text and data.NotText.__module__ == "narrascope.readers.decode"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_decoded(tmp_path, codec):
    page = PAGE.format(charset="utf-16", extra=" Café société.")
    path = tmp_path / f"{codec}.html"
    path.write_bytes(page.encode(codec))
    assert not looks_binary(path.read_bytes())
    assert decode(path.read_bytes()) == page
    [doc] = parse(str(path))
    assert doc.title == "Stray bytes" and "Café société." in doc.body


def test_mostly_utf8_with_a_stray_byte_is_not_mojibake():
    data = "Ça coûte cher – très cher, said the café owner.".encode() + b" \xff"
    assert decode(data).startswith("Ça coûte cher – très cher")


def test_size_limits_name_the_option_that_raises_them(tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<html>" + b"a" * (2 * 2**20) + b"</html>")
    with pytest.raises(ReadError, match="raise it with --max-mb"):
        parse(str(big), max_bytes=2**20)
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html>" + b"a" * (3 * 2**20)))
    with pytest.raises(ReadError, match=r"more than 1 MB \(raise the limit with --max-mb\)"):
        parse(str(bomb), max_bytes=2**20)
