"""Telegram Desktop exports: ``result.json`` (JSON) and ``messages*.html`` (HTML), one chat or all.

Exports named in one run are read together, so that a channel's posts get the comment threads
its discussion group holds (:mod:`narrascope.threads.telegram`): ``iter_inputs`` hands them to this
reader as one bundle. A directory that is an export yields only its message files, not its media.
A truncated or damaged ``result.json`` keeps every message that can be read; that, and a media
file the export names but lacks, is recorded as the input's failure beside the stored posts.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from narrascope import registry
from narrascope.errors import ReadError
from narrascope.model import Document
from narrascope.readers import Reader
from narrascope.readers.decode import decode
from narrascope.threads.telegram import Chat, telegram_documents

BUNDLE = b'{"narrascope-bundle": "telegram"'
_FILE_NAME = re.compile(r"result\.json|messages\d*\.html")
_MESSAGE_START = re.compile(r'\{\s*"id":\s*-?\d+,\s*"type":')
_CHAT_HEAD = re.compile(r'"name":\s*(?P<name>"(?:[^"\\]|\\.)*"|null),\s*"type":\s*"(?P<type>\w+)",'
                        r'\s*"id":\s*(?P<id>-?\d+),\s*"messages":\s*\[')


def looks_like_export(head: bytes) -> bool:
    """Whether the first bytes of a file are a Telegram Desktop export (JSON or HTML)."""
    if b'"messages"' in head and b'"date_unixtime"' in head:
        return True
    return b'class="page_header"' in head and (b'class="history"' in head or b'class="message ' in head)


def _head(path: str, size: int = 65536) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(size)
    except OSError:
        return b""


@registry.readers.register("telegram")
class TelegramReader(Reader):
    """Telegram Desktop's chat export: a channel's posts and its discussion group's comments."""

    name = "telegram"

    def sniff(self, head: bytes, hint: str) -> float:
        if head.startswith(BUNDLE):
            return 1.0
        return 0.95 if looks_like_export(head) else 0.0

    def reads_together(self, path: str) -> bool:
        return bool(_FILE_NAME.fullmatch(os.path.basename(path))) and looks_like_export(_head(path))

    def export_files(self, directory: str, names: list[str]) -> list[str] | None:
        """The message files of an export folder (its photos, files, styles and scripts are not pages)."""
        found = sorted((n for n in names if _FILE_NAME.fullmatch(n)), key=_page_number)
        if not found or not looks_like_export(_head(os.path.join(directory, found[0]))):
            return None
        return [os.path.join(directory, n) for n in found]

    def read(self, data: bytes, source: str, **options: Any) -> list[Document]:
        notes: list[str] = []
        if data.startswith(BUNDLE):
            chats = load_files(json.loads(data)["files"], notes)
        else:
            chats = load_export(data, source, notes)
        docs = telegram_documents(chats, notes)
        if notes:  # stored as read, and recorded as a failure naming what is missing
            error = ReadError(source, "; ".join(notes[:20]) + (f"; and {len(notes) - 20} more" if len(notes) > 20
                                                                else ""))
            error.documents = docs  # type: ignore[attr-defined]
            raise error
        return docs


def _page_number(name: str) -> int:
    digits = re.sub(r"\D", "", name)
    return int(digits) if digits else 1


def load_files(paths: list[str], notes: list[str]) -> list[Chat]:
    """The chats of the export files in a bundle; an HTML export's pages are joined per folder."""
    from narrascope.threads.telegram_html import html_chat

    chats: list[Chat] = []
    pages: dict[str, list[str]] = {}
    for path in paths:
        if path.endswith(".html"):
            pages.setdefault(os.path.dirname(path), []).append(path)
            continue
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            notes.append(f"{path}: {exc.strerror or exc}")
            continue
        chats += load_export(data, path, notes)
    for folder_pages in pages.values():
        chat = html_chat(sorted(folder_pages, key=lambda p: _page_number(os.path.basename(p))), notes)
        if chat is not None:
            chats.append(chat)
    return chats


def load_export(data: bytes, source: str, notes: list[str]) -> list[Chat]:
    """The chats of one export file's bytes (JSON, or one HTML page)."""
    text = decode(data)
    if text.lstrip().startswith("<"):
        from narrascope.threads.telegram_html import html_chat_from_text

        chat = html_chat_from_text(text, source, notes)
        return [chat] if chat is not None else []
    try:
        obj = json.loads(text)
    except ValueError as exc:
        return salvage(text, source, notes, exc)
    lists = obj.get("chats", {}).get("list") if isinstance(obj, dict) and isinstance(obj.get("chats"), dict) else None
    if not isinstance(lists, list):
        return _chats([obj], source, notes, "the export")
    return _chats(lists, source, notes, "chat {n} of the list")


def _chats(raw: list[Any], source: str, notes: list[str], where: str) -> list[Chat]:
    """The chats of an export's objects; one that is not a chat, or whose messages are not a list, is a note."""
    chats = []
    for n, c in enumerate(raw, 1):
        place = where.format(n=n)
        if not isinstance(c, dict):
            notes.append(f"{source}: {place} is not an object, skipped")
        elif not isinstance(c.get("messages"), list):
            named = f" ({c['name']})" if isinstance(c.get("name"), str) else ""
            notes.append(f"{source}: {place}{named}: its messages are not a list, skipped")
        else:
            messages = [m for m in c["messages"] if isinstance(m, dict)]
            if len(messages) < len(c["messages"]):
                dropped = len(c["messages"]) - len(messages)
                notes.append(f"{source}: {place}: {dropped} messages are not objects, skipped")
            chats.append(Chat(_str(c.get("name")), _str(c.get("type")),
                              c.get("id") if isinstance(c.get("id"), int) else None, source, messages))
    return chats


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def salvage(text: str, source: str, notes: list[str], error: ValueError) -> list[Chat]:
    """The messages of a damaged export, one at a time: a broken one is skipped, a truncated end cut."""
    decoder = json.JSONDecoder(strict=False)  # control characters inside strings, as a damaged file may have
    chats: list[Chat] = []
    heads = list(_CHAT_HEAD.finditer(text))
    skipped = 0
    for n, head in enumerate(heads):
        end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        try:
            name = decoder.decode(head.group("name"))
        except ValueError:
            name = head.group("name").strip('"')
        chat = Chat(_str(name), head.group("type"), int(head.group("id")), source)
        pos = head.end()
        while (found := _MESSAGE_START.search(text, pos, end)) is not None:
            try:
                msg, pos = decoder.raw_decode(text, found.start())
            except ValueError:
                skipped += 1
                pos = found.end()
                continue
            if isinstance(msg, dict):
                chat.messages.append(msg)
        chats.append(chat)
    read = sum(len(c.messages) for c in chats)
    notes.append(f"{source}: not valid JSON ({error}); {read} messages read"
                 + (f", {skipped} broken or cut off" if skipped else ""))
    return chats
