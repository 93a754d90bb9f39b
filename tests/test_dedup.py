"""Paragraph hashes: exact spans of the paragraphs worth tracking, keyed by their normalised text."""

from __future__ import annotations

import hashlib

import numpy as np

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
    assert [(s, e) for s, e, _ in paragraph_hashes(exactly)] == [(0, 80)]  # the default is 80 characters
    assert paragraph_hashes("a" * 79) == []
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
    # stored keys must match the keys of later runs: the normalised text's 12-byte blake2b digest, pinned
    normal = " ".join(LONG.lower().split())
    assert keys[0] == hashlib.blake2b(normal.encode(), digest_size=12).hexdigest() == "c6ff190f4656e82c781e13fc"


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


WORDS = " ".join(f"word{i}" for i in range(60))


def test_signatures_and_band_keys_are_pinned_because_the_store_keeps_them() -> None:
    index = NearDuplicates(min_words=5)
    sig = index.signature(WORDS)
    # a change of scheme, hash function, seed or byte order would silently stop matching stored bodies
    assert hashlib.sha256(index.to_bytes(sig)).hexdigest()[:16] == "91c3a27ccbed66ad"
    assert index.bands == (5, 11)
    assert index.band_keys(sig) == index.band_keys(index.from_bytes(index.to_bytes(sig)))
    assert index.band_keys(sig)[:3] == [280107038264048998, 409850859684752447, -6958541024636898055]
    assert len(set(index.band_keys(sig))) == 5


def test_a_body_needs_forty_shingles_by_default() -> None:
    index = NearDuplicates()
    assert index.signature(" ".join(f"w{i}" for i in range(42))) is not None  # 40 word triples
    assert index.signature(" ".join(f"w{i}" for i in range(41))) is None


def with_changes(sig_bytes: bytes, positions: list[int]) -> bytes:
    values = np.frombuffer(sig_bytes, dtype=np.uint64).copy()
    values[positions] += np.uint64(1)
    return values.tobytes()


def test_a_copy_is_a_candidate_through_the_bands_of_its_own_threshold() -> None:
    index = NearDuplicates()  # 0.8: 5 bands of 11 values
    base = index.to_bytes(index.signature(WORDS))
    index.add("original", index.from_bytes(base))
    # one value changed in each of the three 21-value bands a 0.9 index would use, two 11-value bands intact
    near = index.from_bytes(with_changes(base, [15, 25, 50]))
    assert index.query(near) == ("original", 61 / 64)


def test_the_similarity_threshold_is_inclusive() -> None:
    index = NearDuplicates(threshold=0.75)
    base = index.to_bytes(index.signature(WORDS))
    index.add("original", index.from_bytes(base))
    exactly = index.from_bytes(with_changes(base, list(range(48, 64))))  # 48 of 64 values equal: 0.75
    assert index.query(exactly) == ("original", 0.75)


def test_the_best_hit_wins_and_ties_go_to_the_greatest_key() -> None:
    index = NearDuplicates()
    base = index.to_bytes(index.signature(WORDS))
    for key in ("copy-b", "copy-a", "copy-e", "copy-c", "copy-d"):
        index.add(key, index.from_bytes(base))
    index.add("copy-z", index.from_bytes(with_changes(base, [60])))  # 63/64, greatest key, not the best
    assert index.query(index.from_bytes(base)) == ("copy-e", 1.0)


def test_adding_nothing_or_a_key_twice_changes_nothing() -> None:
    index = NearDuplicates(min_words=5)
    index.add("short", None)
    assert index.query(index.signature(WORDS)) is None
    index.add("k", index.signature(WORDS))
    index.add("k", index.signature(WORDS + " more words here"))  # the first signature stays
    assert index.query(index.signature(WORDS)) == ("k", 1.0)
