"""One bad message in a Telegram export loses only itself, and the failure names the file and the message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.errors import ReadError
from narrascope.readers import finish, iter_inputs, read_input

T = 1597216500


def _msg(ident: Any, seconds: int, sender: str, sender_id: str, text: str, **fields: Any) -> dict[str, Any]:
    return {"id": ident, "type": "message", "date": "2020-08-12T10:15:00", "date_unixtime": str(T + seconds),
            "from": sender, "from_id": sender_id, "text": text, **fields}


def _export(folder: Path, name: str, kind: str, ident: int, messages: list[dict[str, Any]]) -> Path:
    folder.mkdir()
    (folder / "result.json").write_text(json.dumps({"name": name, "type": kind, "id": ident, "messages": messages},
                                                   ensure_ascii=False), encoding="utf-8")
    return folder


def _read(*paths: Path) -> tuple[list, str | None]:
    (bundle,) = list(iter_inputs([str(p) for p in paths]))
    try:
        return read_input(bundle), None
    except ReadError as exc:
        return finish(getattr(exc, "documents", None) or []), exc.reason


def _channel(tmp_path: Path, **bad_fields: Any) -> Path:
    return _export(tmp_path / "channel", "Канал", "public_channel", 1, [
        {**_msg(1, 0, "Канал", "channel1", "первый"), **bad_fields},
        _msg(2, 10, "Канал", "channel1", "второй"),
        _msg(3, 20, "Канал", "channel1", "третий")])


def _group(tmp_path: Path) -> Path:
    return _export(tmp_path / "group", "Канал — чат", "public_supergroup", 2, [
        _msg(10, 11, "Канал", "channel1", "второй", forwarded_from="Канал"),
        _msg(11, 60, "Ольга", "user5", "согласна", reply_to_message_id=10)])


@pytest.mark.parametrize("field, value", [("reactions", 5), ("reactions", {"👍": 3}), ("poll", {"answers": 5}),
                                          ("from", ["Канал"]), ("text_entities", 7)])
def test_a_field_of_the_wrong_type_keeps_every_chat_of_the_run(tmp_path: Path, field: str, value: Any) -> None:
    docs, _ = _read(_channel(tmp_path, **{field: value, "text": ""} if field == "poll" else {field: value}),
                    _group(tmp_path))
    posts = [d for d in docs if d.kind == "post"]
    assert [d.meta["message_id"] for d in posts] == [1, 2, 3]
    assert [(c.author, c.text) for c in posts[1].comments] == [("Ольга", "согласна")]


def test_a_member_whose_name_is_not_text_keeps_the_thread(tmp_path: Path) -> None:
    group = _export(tmp_path / "group", "Канал — чат", "public_supergroup", 2, [
        _msg(10, 11, "Канал", "channel1", "второй", forwarded_from="Канал"),
        _msg(11, 60, ["Ольга"], "user5", "согласна", reply_to_message_id=10),  # type: ignore[arg-type]
        _msg(12, 70, "Пётр", "user6", "и я", reply_to_message_id=11)])
    docs, _ = _read(_channel(tmp_path), group)
    assert [(c.author, c.depth, c.text) for c in docs[1].comments] == [(None, 0, "согласна"), ("Пётр", 1, "и я")]


def test_messages_without_an_id_or_with_a_repeated_one_are_failures_naming_them(tmp_path: Path) -> None:
    channel = _export(tmp_path / "channel", "Канал", "public_channel", 1, [
        _msg(None, 0, "Канал", "channel1", "без номера"),
        _msg("2", 5, "Канал", "channel1", "номер строкой"),
        _msg(3, 10, "Канал", "channel1", "третий"),
        _msg(3, 20, "Канал", "channel1", "третий ещё раз"),
        _msg(4, 30, "Канал", "channel1", "четвёртый"),
        {**_msg(5, 40, "Канал", "channel1", "тип не тот"), "type": None},
        {"id": 6, "type": "service", "action": "pin_message", "date_unixtime": str(T + 50), "text": ""}])
    docs, failure = _read(channel)
    assert [(d.meta["message_id"], d.body) for d in docs] == [(3, "третий"), (4, "четвёртый")]
    assert failure is not None and str(channel / "result.json") in failure
    assert "message 1 of the list has no numeric id" in failure
    assert "message 2 of the list has no numeric id" in failure
    assert "message id 3 appears again (message 4 of the list)" in failure
    assert "message id 5 has type None (neither a message nor a service message), skipped" in failure
    assert "message id 6" not in failure


def test_a_chat_whose_messages_are_not_a_list_is_a_failure_saying_so(tmp_path: Path) -> None:
    folder = tmp_path / "all"
    folder.mkdir()
    good = {"name": "Канал", "type": "public_channel", "id": 1, "messages": [_msg(1, 0, "Канал", "channel1", "пост")]}
    bad = {"name": "Группа", "type": "private_group", "id": 2, "messages": {"1": "oops"}}
    odd = {"name": "Чат", "type": "private_group", "id": 3, "messages": ["oops", 5]}
    (folder / "result.json").write_text(json.dumps({"chats": {"list": [good, bad, 5, odd]}}, ensure_ascii=False),
                                        encoding="utf-8")
    docs, failure = _read(folder)
    assert [d.body for d in docs] == ["пост"]
    assert failure is not None and "chat 2 of the list (Группа): its messages are not a list" in failure
    assert "chat 3 of the list is not an object" in failure
    assert "chat 4 of the list: 2 messages are not objects" in failure


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=6),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=5)
FIELDS = ["date_unixtime", "from", "from_id", "text", "text_entities", "reply_to_message_id", "forwarded_from",
          "forwarded_from_id", "saved_from", "reactions", "photo", "file", "media_type", "poll", "edited_unixtime",
          "author", "views", "forwarded_date_unixtime"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, min_size=1, max_size=4), st.booleans())
def test_any_field_value_on_a_real_message_loses_no_other_message(fields: dict[str, Any], in_group: bool) -> None:
    """The earlier property test rarely made a message with an id and a type: here every one has them."""
    from narrascope.threads.telegram import Chat, telegram_documents

    bad = {"id": 99, "type": "message", **fields}
    channel = Chat("Канал", "public_channel", 1, "c/result.json", [
        _msg(1, 0, "Канал", "channel1", "первый"), *([] if in_group else [bad])])
    group = Chat("Чат", "public_supergroup", 2, "g/result.json", [
        _msg(10, 1, "Канал", "channel1", "первый", forwarded_from="Канал"),
        _msg(11, 60, "Ольга", "user5", "да", reply_to_message_id=10), *([bad] if in_group else [])])
    docs = telegram_documents([channel, group], [])
    assert docs[0].meta["message_id"] == 1 and [c.text for c in docs[0].comments][:1] == ["да"]


def test_an_html_page_saved_in_windows_1251_reads_as_cyrillic(tmp_path: Path, fixtures: Path) -> None:
    """A page re-saved in another charset, which its meta tag declares: read in that charset, not garbled."""
    page = (fixtures / "telegram" / "html_group" / "messages.html").read_text(encoding="utf-8")
    folder = tmp_path / "group"
    folder.mkdir()
    (folder / "messages.html").write_bytes(page.replace('charset="utf-8"', 'charset="windows-1251"')
                                           .encode("cp1251", errors="replace"))
    (talk,) = _read(folder)[0]
    assert talk.title == "Гомель онлайн — чат"
    assert [(c.author, c.depth, c.text) for c in talk.comments] == [
        ("Гомель онлайн", 0, "Сегодня в 19:00 сбор у площади Ленина.\nБерегите себя."), ("Марина", 1, "Будем!"),
        ("Марина", 2, "И друзей позовём."), ("Сергей", 0, "Колонна идёт по проспекту.")]


def test_a_joined_message_at_the_top_of_the_next_page_keeps_its_sender(tmp_path: Path, fixtures: Path) -> None:
    """Telegram Desktop joins a sender's consecutive messages across its page files too: messages2.html may open
    with a message that has no name of its own, whose sender is the last one of messages.html."""
    folder = tmp_path / "ChatExport"
    folder.mkdir()
    page = (fixtures / "telegram" / "html_group" / "messages.html").read_text(encoding="utf-8")
    head = page.partition('<div class="history">')[0] + '<div class="history">'
    message = ('<div class="message default clearfix{joined}" id="message{n}"><div class="body">'
               '<div class="pull_right date details" title="11.08.2020 08:0{n}:00 UTC+03:00">08:00</div>{name}'
               '<div class="text">{text}</div></div></div>')
    end = "</div></div></div></body></html>"
    (folder / "messages.html").write_text(head + message.format(joined="", n=1, name='<div class="from_name">Ира</div>',
                                                                text="Первое") + end, encoding="utf-8")
    (folder / "messages2.html").write_text(head + message.format(joined=" joined", n=2, name="", text="Второе")
                                           + end, encoding="utf-8")
    (talk,) = _read(folder)[0]
    assert [(c.author, c.text) for c in talk.comments] == [("Ира", "Первое"), ("Ира", "Второе")]
