"""Telegram Desktop exports: channel posts with the discussion group's replies as their threads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from narrascope import open_corpus
from narrascope.errors import ReadError
from narrascope.readers import finish, iter_inputs, read_input


def _read(*paths: Path) -> tuple[list, str | None]:
    """Documents of one run over ``paths`` and the failure recorded (None when there is none)."""
    (bundle,) = list(iter_inputs([str(p) for p in paths]))
    try:
        return read_input(bundle), None
    except ReadError as exc:  # what was read is stored beside the failure, as the executor does
        return finish(getattr(exc, "documents", None) or []), exc.reason


def test_channel_and_group_read_together(fixtures: Path) -> None:
    docs, failure = _read(fixtures / "telegram" / "channel", fixtures / "telegram" / "group")
    posts = [d for d in docs if d.kind == "post"]
    assert [p.meta["message_id"] for p in posts] == [2, 3, 5, 6, 7]  # service message 1 is no post; 4 joins 3
    first = posts[0]
    assert (first.author, first.outlet, first.published.isoformat()) == (
        "Минский вестник", "Минский вестник", "2020-08-10T09:15:00+00:00")
    assert first.body == "Вчера тысячи людей вышли на улицы Минска. Подробности: репортаж #Беларусь"
    assert first.meta["entities"] == [
        {"type": "bold", "start": 6, "end": 18},
        {"type": "text_link", "start": 55, "end": 63, "href": "https://example.org/report"},
        {"type": "hashtag", "start": 64, "end": 73}]
    assert (first.body[6:18], first.body[55:63], first.body[64:73]) == ("тысячи людей", "репортаж", "#Беларусь")
    assert first.meta["reactions"] == {"👍": 41, "😡": 3} and first.meta["edited"] == "2020-08-10T09:20:00Z"
    assert [(c.author, c.depth, c.text) for c in first.comments] == [
        ("Ольга", 0, "Я тоже там была, людей было очень много."),
        ("Патриот", 1, "Проплаченные провокаторы, ничего больше."),
        ("Ольга", 2, "Сами вы провокатор."),
        ("Андрей", 0, "Фото с Пушкинской")]
    ids = [c.id for c in first.comments]
    assert [c.parent for c in first.comments] == [None, ids[0], ids[1], None]
    assert first.comments[3].meta["forwarded_from"] == "Голос улицы"
    assert first.comments[0].meta["reactions"] == {"❤": 5}
    assert posts[1].body == "" and posts[1].meta["album"] == [3, 4]  # a media-only album is one post
    assert posts[2].body == "Пойдёте ли вы на марш в воскресенье?\nДа\nНет"
    assert [c.text for c in posts[2].comments] == ["Конечно пойду!"]
    assert (posts[3].meta["forwarded_from"], posts[3].meta["forwarded_from_id"]) == ("Голос улицы", "channel555")
    assert posts[4].meta["media"] == [{"kind": "video_file",
                                       "missing": "File not included. Change data exporting settings to download."}]
    (talk,) = [d for d in docs if d.kind == "thread"]
    assert (talk.title, [c.author for c in talk.comments]) == ("Минский вестник — обсуждение", ["Ольга", "Андрей"])
    assert talk.comments[1].parent == talk.comments[0].id
    assert failure is not None and "message 4: media file photos/photo_2@10-08-2020_12-00-00.jpg is missing" in failure
    assert len({d.id for d in docs}) == len(docs)


def test_group_alone_makes_posts_of_its_copies(fixtures: Path) -> None:
    docs, failure = _read(fixtures / "telegram" / "group")
    posts = [d for d in docs if d.kind == "post"]
    assert failure is None
    assert [(p.author, p.meta["message_id"], len(p.comments)) for p in posts] == [
        ("Минский вестник", 101, 4), ("Минский вестник", 106, 1)]
    assert posts[0].meta["discussion_copy"] is True


def test_truncated_export_keeps_what_was_written(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "telegram" / "group" / "result.json").read_text(encoding="utf-8")
    cut = tmp_path / "export"
    cut.mkdir()
    (cut / "result.json").write_text(text[:text.index('"id": 107')], encoding="utf-8")
    docs, failure = _read(cut)
    assert failure is not None and "not valid JSON" in failure and "7 messages read" in failure
    (post,) = [d for d in docs if d.kind == "post" and d.meta["message_id"] == 101]
    assert len(post.comments) == 4


def test_a_broken_message_costs_only_itself(tmp_path: Path, fixtures: Path) -> None:
    text = (fixtures / "telegram" / "group" / "result.json").read_text(encoding="utf-8")
    broken = text.replace('"text": "Сами вы провокатор."', '"text": "Сами вы провокатор.', 1)
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "result.json").write_text(broken, encoding="utf-8")
    docs, failure = _read(folder)
    assert failure is not None and "1 broken or cut off" in failure
    (post,) = [d for d in docs if d.kind == "post" and d.meta["message_id"] == 101]
    assert [c.author for c in post.comments] == ["Ольга", "Патриот", "Андрей"]


@pytest.mark.parametrize("garbage", [b'{ "date_unixtime" "messages"',
                                     b'{"name": "x", "type": "public_channel", "id": 1, "messages": [ "date_unixtime"',
                                     b'{"messages": [{"id": "x", "date_unixtime": null, "text": [1, {"type": 2}]}]}'])
def test_garbage_is_a_failure_not_a_crash(tmp_path: Path, garbage: bytes) -> None:
    (tmp_path / "result.json").write_bytes(garbage)
    docs, failure = _read(tmp_path / "result.json")
    assert docs == [] and failure is not None


def test_html_export_of_channel_and_group(fixtures: Path) -> None:
    docs, failure = _read(fixtures / "telegram" / "html_channel", fixtures / "telegram" / "html_group")
    assert failure is None
    post, poll, talk = docs
    assert (post.kind, post.author) == ("post", "Гомель онлайн")
    assert post.published.isoformat() == "2020-08-10T06:29:58+00:00"
    assert post.body == "Сегодня в 19:00 сбор у площади Ленина.\nБерегите себя."
    assert post.meta["entities"] == [{"type": "bold", "start": 10, "end": 15},
                                     {"type": "text_link", "start": 23, "end": 37, "href": "https://example.org/map"}]
    assert post.meta["reactions"] == {"🔥": 12}
    assert [(c.author, c.depth, c.text) for c in post.comments] == [("Марина", 0, "Будем!"),
                                                                    ("Марина", 1, "И друзей позовём.")]
    assert poll.body == "Вы придёте?\nДа\nНет"
    (forwarded,) = talk.comments
    assert forwarded.meta["forwarded_from"] == "Голос улицы"
    assert forwarded.meta["forwarded_date"] == "2020-08-09T22:10:00Z"


def test_export_folder_yields_its_message_files_only(tmp_path: Path, fixtures: Path) -> None:
    folder = tmp_path / "ChatExport"
    shutil.copytree(fixtures / "telegram" / "channel", folder)
    (folder / "css").mkdir()
    (folder / "css" / "style.css").write_text("body {}", encoding="utf-8")
    (inp,) = list(iter_inputs([str(tmp_path)]))
    assert json.loads(inp.read())["files"] == [str(folder / "result.json")]


def test_ingest_stores_posts_threads_and_metadata(tmp_path: Path, fixtures: Path) -> None:
    channel = tmp_path / "channel"
    shutil.copytree(fixtures / "telegram" / "channel", channel)
    (channel / "photos" / "photo_2@10-08-2020_12-00-00.jpg").write_bytes(b"JPEG")
    with open_corpus(str(tmp_path / "t.duckdb")) as corpus:
        summary = corpus.ingest([str(channel), str(fixtures / "telegram" / "group")])
        assert summary.ok and (summary.documents, summary.comments) == (6, 7)
        assert sorted(d.meta["message_id"] for d in corpus.documents(kind="post")) == [2, 3, 5, 6, 7]  # not full
        posts = list(corpus.documents(kind="post", full=True))
        (first,) = [p for p in posts if p.meta["message_id"] == 2]
        assert [c.author for c in first.comments] == ["Ольга", "Патриот", "Ольга", "Андрей"]
        assert first.comments[2].parent == first.comments[1].id and first.comments[0].meta["reactions"] == {"❤": 5}
        assert first.meta["entities"][0] == {"type": "bold", "start": 6, "end": 18}
        again = corpus.ingest([str(channel), str(fixtures / "telegram" / "group")])
        assert (again.skipped, again.documents) == (1, 0)


def test_threads_command_shows_who_answers_whom_under_a_post(tmp_path: Path, fixtures: Path) -> None:
    from typer.testing import CliRunner

    from narrascope.cli import app

    db = str(tmp_path / "t.duckdb")
    runner = CliRunner()
    ingest = runner.invoke(app, ["ingest", str(fixtures / "telegram" / "channel"), str(fixtures / "telegram" / "group"),
                                 "--db", db], env={"COLUMNS": "400"})
    assert ingest.exit_code == 1 and "photo_2@10-08-2020_12-00-00.jpg is missing" in " ".join(ingest.output.split())
    shown = runner.invoke(app, ["threads", "--db", db, "--format", "jsonl"])
    threads = [json.loads(line) for line in shown.stdout.splitlines() if '"record": "thread"' in line]
    biggest = max(threads, key=lambda t: t["comments"])
    assert (biggest["comments"], biggest["authors"], biggest["max_depth"]) == (4, 3, 2)
    pairs = sorted((a["author"], a["answers"]) for a in biggest["answers"])
    assert pairs == [("Ольга", "Патриот"), ("Патриот", "Ольга")]


def test_export_of_all_chats_links_channel_and_group(tmp_path: Path, fixtures: Path) -> None:
    """"Export Telegram data" writes every chat into one result.json under chats.list: read as separate exports."""
    chats = [json.loads((fixtures / "telegram" / name / "result.json").read_text(encoding="utf-8"))
             for name in ("channel", "group")]
    whole = {"about": "Here is the data you requested.", "personal_information": {"user_id": 1},
             "chats": {"about": "This page lists all chats from this export.", "list": chats}}
    (tmp_path / "result.json").write_text(json.dumps(whole, ensure_ascii=False), encoding="utf-8")
    docs, _ = _read(tmp_path / "result.json")
    (first,) = [d for d in docs if d.kind == "post" and d.meta["message_id"] == 2]
    assert [c.author for c in first.comments] == ["Ольга", "Патриот", "Ольга", "Андрей"]


def test_html_pages_of_one_export_are_one_chat(tmp_path: Path, fixtures: Path) -> None:
    """messages.html, messages2.html, ... messages10.html: read in page order, replies across pages kept."""
    folder = tmp_path / "ChatExport"
    shutil.copytree(fixtures / "telegram" / "html_group", folder)
    page = (folder / "messages.html").read_text(encoding="utf-8")
    head, _, _ = page.partition('<div class="message default clearfix" id="message202">')
    reply = ('<div class="message default clearfix" id="message{n}"><div class="body">'
             '<div class="pull_right date details" title="11.08.2020 08:00:00 UTC+03:00">08:00</div>'
             '<div class="from_name">Ира</div><div class="reply_to details">In reply to <a href="messages.html#go_to_'
             'message201" onclick="return GoToMessage(201)">this message</a></div>'
             '<div class="text">Ответ со страницы {n}</div></div></div></div></div></div></body></html>')
    (folder / "messages.html").write_text(head + "</div></div></div></body></html>", encoding="utf-8")
    (folder / "messages2.html").write_text(head.split('<div class="history">')[0] + '<div class="history">'
                                           + reply.format(n=1001), encoding="utf-8")
    (folder / "messages10.html").write_text(head.split('<div class="history">')[0] + '<div class="history">'
                                            + reply.format(n=9001), encoding="utf-8")
    docs, failure = _read(folder)
    assert failure is None
    (talk,) = docs
    assert [(c.author, c.text, c.depth) for c in talk.comments] == [
        ("Гомель онлайн", "Сегодня в 19:00 сбор у площади Ленина.\nБерегите себя.", 0),
        ("Ира", "Ответ со страницы 1001", 1), ("Ира", "Ответ со страницы 9001", 1)]
