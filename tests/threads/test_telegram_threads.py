"""Telegram discussion groups: who answered whom, as the group's messages say it."""

from __future__ import annotations

import time
from typing import Any

import pytest

from narrascope.threads.telegram import Chat, telegram_documents

T = 1597216500


def _msg(ident: int, seconds: int, sender: str, sender_id: str, text: str, **fields: Any) -> dict[str, Any]:
    return {"id": ident, "type": "message", "date": "2020-08-12T10:15:00", "date_unixtime": str(T + seconds),
            "from": sender, "from_id": sender_id, "text": text, **fields}


CHANNEL = Chat("Пул Первого", "public_channel", 1234567, "channel/result.json",
               [_msg(2, 0, "Пул Первого", "channel1234567", "Митинг в Минске сегодня")])


def _group(*messages: dict[str, Any]) -> Chat:
    copy = _msg(10, 1, "Пул Первого", "channel1234567", "Митинг в Минске сегодня", forwarded_from="Пул Первого")
    return Chat("Пул Первого — чат", "public_supergroup", 7654321, "group/result.json", [copy, *messages])


def test_the_channel_answering_in_its_group_is_a_comment_not_a_post() -> None:
    """An admin replying as the channel writes from the channel's name and id: a reply, not the post's copy."""
    group = _group(_msg(11, 60, "Иван", "user111", "Иду!", reply_to_message_id=10),
                   _msg(12, 120, "Мария", "user222", "Я тоже, Иван", reply_to_message_id=11),
                   _msg(13, 180, "Пул Первого", "channel1234567", "Спасибо, Мария", reply_to_message_id=12),
                   _msg(15, 300, "Олег", "user333", "ответ каналу", reply_to_message_id=13))
    notes: list[str] = []
    docs = telegram_documents([CHANNEL, group], notes)
    assert [(d.kind, d.meta["message_id"] if d.kind == "post" else None) for d in docs] == [("post", 2)]
    assert [(c.id, c.author, c.parent, c.depth, c.text) for c in docs[0].comments] == [
        ("tg11", "Иван", None, 0, "Иду!"),
        ("tg12", "Мария", "tg11", 1, "Я тоже, Иван"),
        ("tg13", "Пул Первого", "tg12", 2, "Спасибо, Мария"),
        ("tg15", "Олег", "tg13", 3, "ответ каналу")]
    assert notes == []


def test_a_member_forwarding_the_channels_post_in_the_html_export_is_a_comment_by_the_member() -> None:
    """The HTML export gives no sender ids: a forward sent by a named member is her message, not the post's copy."""
    channel = Chat("Канал", "channel", None, "channel/messages.html",
                   [{"id": 2, "type": "message", "date_unixtime": str(T), "from": "Канал", "text": "Пост"}])
    group = Chat("Канал чат", "group", None, "group/messages.html", [
        {"id": 10, "type": "message", "date_unixtime": str(T + 1), "from": "Канал", "forwarded_from": "Канал",
         "text": "Пост"},
        {"id": 13, "type": "message", "date_unixtime": str(T + 3600), "from": "Мария", "forwarded_from": "Канал",
         "text": "Старый пост"},
        {"id": 14, "type": "message", "date_unixtime": str(T + 3660), "from": "Олег", "reply_to_message_id": 13,
         "text": "Ого"}])
    docs = telegram_documents([channel, group], [])
    assert [(d.kind, d.body) for d in docs] == [("post", "Пост"), ("thread", "")]
    assert [(c.author, c.parent, c.text, c.meta.get("forwarded_from")) for c in docs[1].comments] == [
        ("Мария", None, "Старый пост", "Канал"), ("Олег", "tg13", "Ого", None)]


def _channel_and_group(n: int) -> list[Chat]:
    posts = [_msg(k, k * 600, "Канал", "channel1", f"Пост номер {k}") for k in range(1, n + 1)]
    copies = [_msg(n + k, k * 600 + 2, "Канал", "channel1", f"Пост номер {k}", forwarded_from="Канал")
              for k in range(1, n + 1)]
    replies = [_msg(3 * n + k, k * 600 + 60, "Ольга", "user5", "да", reply_to_message_id=n + k)
               for k in range(1, n + 1)]
    return [Chat("Канал", "public_channel", 1, "c/result.json", posts),
            Chat("Чат", "public_supergroup", 2, "g/result.json", copies + replies)]


def _best_of_three(chats: list[Chat]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        telegram_documents(chats, [])
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.slow
def test_a_large_channel_and_group_are_matched_in_linear_time() -> None:
    """10,000 posts and their 10,000 copies: each copy was compared with every post (quadratic), now by its text."""
    docs = telegram_documents(_channel_and_group(10000), [])
    assert len(docs) == 10000 and [len(d.comments) for d in docs] == [1] * 10000
    assert docs[9999].meta["discussion"]["message_id"] == 20000
    # four times the messages may take at most about four times as long (the quadratic matching took 16x)
    small, large = _best_of_three(_channel_and_group(1000)), _best_of_three(_channel_and_group(4000))
    assert large < 10 * small + 0.05, f"4x the messages took {large / max(small, 1e-9):.1f}x the time"


def test_an_albums_copies_in_the_group_are_one_post_with_every_reply() -> None:
    """The channel's album (caption on its first photo) arrives in the group as one copy per photo."""
    photo = {"photo": "(File not included. Change data exporting settings to download.)"}
    channel = Chat("Канал", "public_channel", 1, "c/result.json", [
        _msg(5, 0, "Канал", "channel1", "Фото с акции", **photo), _msg(6, 0, "Канал", "channel1", "", **photo),
        _msg(7, 0, "Канал", "channel1", "", **photo)])
    copies = [_msg(50, 2, "Канал", "channel1", "Фото с акции", forwarded_from="Канал", **photo),
              _msg(51, 2, "Канал", "channel1", "", forwarded_from="Канал", **photo),
              _msg(52, 2, "Канал", "channel1", "", forwarded_from="Канал", **photo)]
    replies = [_msg(53, 60, "Ольга", "user5", "Ужас", reply_to_message_id=50),
               _msg(54, 70, "Пётр", "user6", "Где это?", reply_to_message_id=52),
               _msg(55, 80, "Ольга", "user5", "На площади", reply_to_message_id=54)]
    group = Chat("Чат", "public_supergroup", 2, "g/result.json", copies + replies)
    for chats in ([channel, group], [group]):
        (doc,) = telegram_documents(chats, [])
        assert (doc.body, doc.meta["album"]) == ("Фото с акции", [5, 6, 7] if len(chats) == 2 else [50, 51, 52])
        assert [(c.author, c.parent, c.text) for c in doc.comments] == [
            ("Ольга", None, "Ужас"), ("Пётр", None, "Где это?"), ("Ольга", "tg54", "На площади")]


def test_a_forward_from_a_hidden_account_stays_a_forward() -> None:
    """``forwarded_from: null`` (the original sender hides the link to the account) is kept as null, not dropped."""
    channel = Chat("Канал", "public_channel", 1, "c/result.json", [
        _msg(1, 0, "Канал", "channel1", "Переслано", forwarded_from=None), _msg(2, 60, "Канал", "channel1", "Своё")])
    first, second = telegram_documents([channel], [])
    assert ("forwarded_from" in first.meta, first.meta["forwarded_from"]) == (True, None)
    assert "forwarded_from" not in second.meta
