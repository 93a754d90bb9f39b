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


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=6)
KEYS = ["id", "type", "date", "date_unixtime", "from", "from_id", "text", "text_entities", "reply_to_message_id",
        "forwarded_from", "forwarded_from_id", "saved_from", "reactions", "photo", "file", "media_type", "poll",
        "edited_unixtime", "author", "views"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(KEYS), JSON_VALUES, max_size=8), max_size=6),
       st.sampled_from(["public_channel", "public_supergroup", None, 3]))
def test_fields_of_any_type_never_crash(messages: list, kind: object) -> None:
    """Every documented field holding any JSON value: read, with the document model's types kept."""
    import json

    base = [{"id": n, "type": "message", "date_unixtime": "1597050900", "text": "Текст", "from": "Ольга"}
            for n in range(1, 4)]
    export = {"name": "Канал", "type": kind, "id": 7, "messages": base + messages}
    docs = _read(json.dumps(export, ensure_ascii=False))
    assert len(docs) >= 1  # the three good messages: posts of a channel, or a group's talk
    for doc in docs:
        assert isinstance(doc.body, str) and (doc.author is None or isinstance(doc.author, str))
        for c in doc.comments:
            assert isinstance(c.text, str) and (c.author is None or isinstance(c.author, str))
