"""The one sentence splitter every layer uses (narratives, claims, toxicity, a text's languages)."""

from __future__ import annotations

from narrascope.sentences import paragraphs, scored_sentences, sentences

TEXT = ('Mr. Smith paid 3.5 million. Was it a bribe? "Yes!" he said.\nBreaking news\n'
        'The U.S. army left at 5 p.m. and came')


def split(text: str, **options: bool) -> list[str]:
    return [text[s:e] for s, e in sentences(text, **options)]


def test_a_sentence_ends_at_a_mark_before_a_capital_or_at_a_line_break():
    # not after an abbreviation (Mr., U.S.), inside a number (3.5) or before a lower-case word (p.m. and)
    assert split(TEXT) == ["Mr. Smith paid 3.5 million.", "Was it a bribe?", '"Yes!" he said.', "Breaking news",
                           "The U.S. army left at 5 p.m. and came"]


def test_marked_leaves_out_the_lines_without_a_sentence_mark():
    # headings, menu items and bylines: the toxicity model calls them hate speech (toxicity reads marked ones)
    assert split(TEXT, marked=True) == ["Mr. Smith paid 3.5 million.", "Was it a bribe?", '"Yes!" he said.']
    assert split("He said «Mercy!»\nMenu", marked=True) == ["He said «Mercy!»"]


def test_offsets_index_the_whole_text_and_a_part_can_be_split():
    assert sentences(TEXT, 28, 60) == [(28, 43), (44, 59)]
    assert sentences("  \n ") == []


def test_scored_sentences_have_two_words_or_more_and_paragraphs_part_at_blank_lines():
    text = "NATO. NATO is encircling Russia."
    assert [text[s:e] for s, e in scored_sentences(text)] == ["NATO is encircling Russia."]
    text = "One.\n\n  Two three.\n \nFour"
    assert [text[s:e] for s, e in paragraphs(text)] == ["One.", "Two three.", "Four"]
