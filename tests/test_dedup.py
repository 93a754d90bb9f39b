"""Paragraph hashes: exact spans of the paragraphs worth tracking, keyed by their normalised text."""

from __future__ import annotations

from narrascope.dedup import NearDuplicates, paragraph_hashes, shingles

LONG = "Tens of thousands marched through Minsk on Sunday, for the eleventh week in a row, again."
assert len(LONG) == 89


def spans(body: str, min_chars: int = 80) -> list[tuple[int, int, str]]:
    """(start, end, the text of the span) per tracked paragraph."""
    return [(s, e, body[s:e]) for s, e, _ in paragraph_hashes(body, min_chars)]


def test_offsets_count_every_line_before_the_paragraph() -> None:
    body = "Short title\n\nNo.\n" + LONG + "\nshort tail\n" + LONG.upper()
    first = len("Short title\n\nNo.\n")
    second = first + len(LONG) + len("\nshort tail\n")
    assert spans(body) == [(first, first + 89, LONG), (second, second + 89, LONG.upper())]


def test_a_span_starts_after_the_indentation_and_ends_at_the_last_character() -> None:
    body = "x\n   \t" + LONG + "  \t\ny"
    start = len("x\n   \t")
    assert spans(body) == [(start, start + 89, LONG)]


def test_the_length_threshold_is_inclusive_and_counts_the_stripped_text() -> None:
    exactly = "a" * 80
    assert spans(exactly) == [(0, 80, exactly)]
    assert spans("a" * 79) == []
    assert spans("   " + "a" * 79 + "   ") == []  # indentation does not make a paragraph long enough
    assert spans("a" * 40, min_chars=40) == [(0, 40, "a" * 40)]
    assert spans("") == [] and spans("\n\n\n") == []


def test_copies_differing_only_in_case_and_spacing_share_a_key() -> None:
    spaced = "  " + LONG.upper().replace(" ", "   ").replace(",", " ,") + " "
    keys = [k for _, _, k in paragraph_hashes("\n".join([LONG, LONG.upper(), LONG.replace(" ", "  \t"), spaced]))]
    assert len(keys) == 4 and keys[0] == keys[1] == keys[2] and keys[3] != keys[0]  # " ," is a different word
    other = LONG.replace("Sunday", "Monday")
    assert paragraph_hashes(other)[0][2] != keys[0]
    assert len(keys[0]) == 24  # a 12-byte blake2b digest in hex


def test_shingles_are_lowercased_word_triples() -> None:
    assert shingles("The Protest, the PROTEST!") == [b"the protest the", b"protest the protest"]
    assert shingles("Two words") == [b"two words"]
    assert shingles("  ... ") == []
    assert shingles("a b c d", size=2) == [b"a b", b"b c", b"c d"]


def test_near_duplicates_find_the_copy_and_not_the_short_text() -> None:
    index = NearDuplicates(min_words=5)
    words = " ".join(f"word{i}" for i in range(60))
    index.add("original", index.signature(words))
    assert index.signature("only four words here") is None
    hit = index.query(index.signature(words + " extra"))
    assert hit is not None and hit[0] == "original" and 0.8 <= hit[1] <= 1.0
    assert index.query(index.signature(" ".join(f"other{i}" for i in range(60)))) is None
    assert index.query(None) is None
