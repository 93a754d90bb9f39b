"""Generated and mutated pages for the text and HTML readers: no crash, no thread from prose, linear time.

Linearity is tested by ratio, never by a wall-clock threshold: the same shape at four times the
size must take less than ten times as long (best of three runs each, so a busy machine does not
flake the test).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.errors import ReadError
from narrascope.readers import parse_string
from narrascope.readers.html import parse_html
from narrascope.threads.text import parse_text_page

MARKERS = ["1.", "2.", "12.", "*", "+", "-", "o", "•", "□", "#3", ""]
NAMES = ["Anna", "Anna K.", "[12]Gaye", "Jan_Smith", "Алесь з Гродна", "Anonymous[412]", "", "x" * 70]
VERBS = ["says:", "said:", "wrote:", "sagt:", "dit :", "says", ""]
TIMES = ["September 12, 2018 at 4:47 pm", "[13]August 22, 2018 at 5:57 am", "_August_8,_2018_at_3:17_pm_",
         "16. August 2020 um 9:12 Uhr", "3 years ago", "2020-10-27 14:46", ""]
PROSE = ["The count in our district was done behind closed doors.", "Thanks for writing this up.",
         "Reply", "Antworten", "I disagree, and here is why.", "", "Never paid attention to Belarus until now…"]


@st.composite
def listed_pages(draw: st.DrawFn) -> str:
    """A page of comment headers in the shapes text browsers print, with bodies, at random depths."""
    lines = ["A title", "", "An article paragraph that is long enough to be a body of text.", ""]
    for _ in range(draw(st.integers(0, 25))):
        indent = " " * draw(st.integers(0, 40))
        marker, name = draw(st.sampled_from(MARKERS)), draw(st.sampled_from(NAMES))
        verb, when = draw(st.sampled_from(VERBS)), draw(st.sampled_from(TIMES))
        shape = draw(st.integers(0, 3))
        if shape == 0:  # everything on one line
            lines.append(f"{indent}{marker} {name} on {when} {verb}")
        elif shape == 1:  # marker, name, time on three lines
            lines += [f"{indent}{marker}", f"{indent}{name} {verb}", f"{indent}  {when}"]
        elif shape == 2:  # a nameless numbered comment
            lines.append(f"{indent}{draw(st.integers(1, 60))}. {draw(st.sampled_from(PROSE))}")
        else:
            lines += [f"{indent}{marker} {name} {verb}", f"{indent}{when}"]
        lines += [f"{indent}  {draw(st.sampled_from(PROSE))}" for _ in range(draw(st.integers(0, 3)))]
    return "\n".join(lines)


def mutate(page: str, cuts: list[tuple[int, str]]) -> str:
    """``page`` with each (position, junk) inserting junk and deleting the next character."""
    for pos, junk in cuts:
        at = pos % (len(page) + 1)
        page = page[:at] + junk + page[at + 1:]
    return page


def _text_invariants(page: str) -> None:
    doc = parse_text_page(page, "<generated>")
    assert doc.kind in ("article", "listing", "thread", "unknown")
    for c in doc.comments:
        assert c.text and c.text == c.text.strip()
        assert c.author is None or c.author.strip()
        assert c.parent is None or 0 < int(c.parent[1:]) <= len(doc.comments)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(listed_pages(), st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(
    ["", "\x00", "\ufffd", "<", "</li>", "\n", "   ", "]", "[", "\x1b[0m", "\u202e", "_"])), max_size=12))
def test_generated_and_mutated_thread_pages_never_crash(page: str, cuts: list[tuple[int, str]]) -> None:
    _text_invariants(page)
    _text_invariants(mutate(page, cuts))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_stray_bytes_through_the_text_reader(data: bytes) -> None:
    """Any bytes: documents, or a ReadError that names the input (binary data, empty input)."""
    try:
        docs = parse_string(b"Title line\n\n" + data, "stray.txt", reader="text")
    except ReadError as exc:
        assert "stray.txt" in str(exc)
    else:
        assert len(docs) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=20, max_size=200)
                .map(lambda s: s.strip().rstrip(".!?:;") + "."), min_size=1, max_size=20))
def test_prose_matching_no_grammar_is_an_article_without_comments(sentences: list[str]) -> None:
    page = "\n\n".join(s for s in sentences if s.strip(". "))
    doc = parse_text_page(page, "<prose>")
    assert doc.comments == []
    assert doc.kind in ("article", "unknown", "listing")


TAGS = ["div", "li", "ol", "ul", "p", "span", "article", "blockquote", "table", "td", "cite", "time"]


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Nested and unbalanced markup: open tags without their end, ends without their start, comment markup."""
    parts = ["<html><body><article><p>An article paragraph long enough to count as text.</p>"]
    for _ in range(draw(st.integers(0, 60))):
        kind = draw(st.integers(0, 5))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            depth, number = draw(st.integers(1, 9)), draw(st.integers(1, 99))
            parts.append(f"<{tag} class='comment depth-{depth}' id='comment-{number}'>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(f"<cite class='fn'>{draw(st.sampled_from(NAMES))}</cite> says:")
        elif kind == 3:
            parts.append(f"<time datetime='2020-10-27T14:46:00Z'>{draw(st.sampled_from(TIMES))}</time>")
        elif kind == 4:
            parts.append(draw(st.sampled_from(PROSE)) + draw(st.sampled_from(["<", ">", "&", "&#0;", "\x00", "<!--"])))
        else:
            parts.append(draw(st.text(max_size=30)))
    return "".join(parts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_pages())
def test_generated_unbalanced_html_never_crashes(html: str) -> None:
    try:
        doc = parse_html(html, "<generated.html>")
    except ReadError as exc:
        assert "<generated.html>" in str(exc)
        return
    assert doc.kind in ("article", "thread", "unknown", "listing")
    for c in doc.comments:
        assert isinstance(c.text, str)


def _best_of_three(run: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _linear(make: Callable[[int], str], read: Callable[[str], object], n: int) -> None:
    small, large = make(n), make(4 * n)
    read(small)  # warm caches and imports
    t_small, t_large = _best_of_three(lambda: read(small)), _best_of_three(lambda: read(large))
    assert t_large < 10 * t_small + 0.05, f"4x input took {t_large / max(t_small, 1e-9):.1f}x the time"


TEXT_SHAPES: dict[str, Callable[[int], str]] = {
    "endless bullet list": lambda n: "Title\n\n" + "  * item of a list that goes on\n" * n,
    "endless nested replies": lambda n: "".join(f"{' ' * (k % 40)}+ Anna said:\n{' ' * (k % 40)}"
                                                f"September 12, 2018 at 4:47 pm\n{' ' * (k % 40)}text {k}\n"
                                                for k in range(n)),
    "numbered headers and nameless numbers": lambda n: "".join(
        f"  {k}. Anna says\n     August 13, 2020 at 5:12 pm GMT\n     text\n" if k % 3 == 0 else
        f"  {k}. a comment whose name was lost\n" for k in range(1, n)),
    "one long line": lambda n: "word " * (n * 50),
    "deep indentation": lambda n: "".join(" " * (k % 2000) + "1.\n" + " " * (k % 2000) + "Anna\n" for k in range(n)),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(TEXT_SHAPES))
def test_text_reader_time_is_linear(shape: str) -> None:
    _linear(TEXT_SHAPES[shape], lambda page: parse_text_page(page, "<big>"), 2_000)


@pytest.mark.slow
def test_ten_megabyte_line_is_read() -> None:
    page = "Title\n\n" + "Lukashenko says the protests are over and the crowd says otherwise. " * 150_000
    assert len(page) > 10_000_000
    doc = parse_text_page(page, "<10 MB>")
    assert (doc.kind, doc.comments) == ("article", [])
    assert len(doc.body) > 10_000_000


HTML_SHAPES: dict[str, Callable[[int], str]] = {
    "deep nesting": lambda n: "<html><body>" + "<div><ol><li class='comment'>x " * (n // 10) + "</body></html>",
    "endless list": lambda n: "<html><body><ul>" + "<li>item <b>of a list</b>" * n + "</ul></body></html>",
    "unbalanced": lambda n: "<html><body>" + "</div><p>text <span>" * n + "</body></html>",
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(HTML_SHAPES))
def test_html_reader_time_is_linear(shape: str) -> None:
    def read(html: str) -> object:
        try:
            return parse_html(html, "<big.html>")
        except ReadError:  # the parser's nesting limit: reported, not a crash
            return None

    _linear(HTML_SHAPES[shape], read, 2_000)
