"""No damaged Telegram export crashes the reader: cut, spliced or garbled, it is read as far as it goes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.errors import ReadError
from narrascope.readers import parse_string

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
GROUP = (FIXTURES / "group" / "result.json").read_text(encoding="utf-8")
PAGE = (FIXTURES / "html_group" / "messages.html").read_text(encoding="utf-8")


def _read(text: str) -> list:
    try:
        return parse_string(text, "result.json", reader="telegram")
    except ReadError as exc:
        return getattr(exc, "documents", None) or []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(GROUP)), st.text(max_size=30), st.integers(min_value=0, max_value=40))
def test_cut_or_garbled_json_never_crashes(cut: int, junk: str, drop: int) -> None:
    damaged = GROUP[:cut] + junk + GROUP[cut + drop:]
    for doc in _read(damaged):
        for comment in doc.comments:
            assert comment.depth >= 0 and isinstance(comment.text, str)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(PAGE)), st.sampled_from(["", "<div class=\"message default\">", "</div>",
                                                                       "<br>" * 50, "\x00", "<span class='details'>"]))
def test_cut_or_unbalanced_html_never_crashes(cut: int, junk: str) -> None:
    for doc in _read(PAGE[:cut] + junk + PAGE[cut:]):
        assert doc.kind in ("post", "thread")


def test_whole_json_reads_as_the_fixture() -> None:
    """The same reader on the undamaged text: the copies and the group's talk (the property above can fail)."""
    docs = _read(GROUP)
    assert [(d.kind, len(d.comments)) for d in docs] == [("post", 4), ("post", 1), ("thread", 2)]
