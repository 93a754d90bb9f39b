"""Telegram Desktop's HTML export (``messages.html``, ``messages2.html``, ...) as the JSON export's messages.

Each ``div.message.default`` becomes a message object like those of ``result.json``: ``id`` from
``id="message123"``, ``date`` and ``date_unixtime`` from the date's ``title`` (``12.08.2020 10:15:00
UTC+03:00``), ``from`` from ``from_name`` (a "joined" message repeats the sender before it), the text
with its markup as entity objects, ``reply_to_message_id`` from the "In reply to" link, and
``forwarded_from`` with the original date from the ``forwarded body`` block. The export does not say
whether the chat is a channel: it is one when every message is sent under the chat's own name.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from narrascope.readers.decode import decode
from narrascope.threads.telegram import Chat

_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})(?: UTC([+-])(\d{2}):(\d{2}))?")
_REPLY = re.compile(r"go_to_message(\d+)")
_TAGS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline", "s": "strikethrough",
         "code": "code", "pre": "pre", "blockquote": "blockquote", "a": "link"}


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


def _when(title: str | None) -> tuple[str | None, int | None]:
    """``(date as the JSON export writes it, unix time)`` of a ``title`` attribute."""
    m = _DATE.search(title or "")
    if m is None:
        return None, None
    day, month, year, hh, mm, ss = (int(x) for x in m.groups()[:6])
    try:
        local = datetime(year, month, day, hh, mm, ss)
    except ValueError:
        return None, None
    offset = timedelta(hours=int(m.group(8)), minutes=int(m.group(9))) if m.group(7) else timedelta(0)
    offset = -offset if m.group(7) == "-" else offset
    return local.isoformat(), int(local.replace(tzinfo=timezone(offset)).astimezone(UTC).timestamp())


def _parts(el: Any) -> list[Any]:
    """The text of ``el`` as strings and entity objects (``<br>`` a newline)."""
    out: list[Any] = [el.text] if el.text else []
    for child in el:
        if child.tag == "br":
            out.append("\n")
        elif isinstance(child.tag, str):
            text = child.text_content()
            kind = _TAGS.get(child.tag)
            if child.tag == "a":
                href = child.get("href") or ""
                kind = "hashtag" if text.startswith("#") else "mention" if text.startswith("@") else \
                    "link" if href == text else "text_link"
                out.append({"type": kind, "text": text, **({"href": href} if kind == "text_link" else {})})
            elif kind:
                out.append({"type": kind, "text": text})
            else:
                out.extend(_parts(child))
        if child.tail:
            out.append(child.tail)
    return out


def _message(el: Any, previous: dict[str, Any] | None) -> dict[str, Any] | None:
    ident = re.fullmatch(r"message(\d+)", el.get("id") or "")
    body = next((c for c in el if "body" in _classes(c)), None)
    if ident is None or body is None:
        return None
    msg: dict[str, Any] = {"id": int(ident.group(1)), "type": "message"}
    for child in body:
        cls = _classes(child)
        if {"date", "details"} <= cls and "pull_right" in cls:
            msg["date"], msg["date_unixtime"] = _when(child.get("title"))
        elif "from_name" in cls:
            msg["from"] = " ".join((child.text or "").split()) or None
        elif "forwarded" in cls:
            name = next((c for c in child if "from_name" in _classes(c)), None)
            if name is not None:
                msg["forwarded_from"] = " ".join((name.text or "").split())
                stamp = next((s for s in name if "details" in _classes(s)), None)
                when = _when(stamp.text_content() if stamp is not None else None)[1]
                if when is not None:
                    msg["forwarded_date_unixtime"] = when
            inner = next((c for c in child if "text" in _classes(c)), None)
            if inner is not None:
                msg["text"] = _parts(inner)
        elif "reply_to" in cls:
            found = _REPLY.search(lxml_html.tostring(child, encoding="unicode"))
            if found:
                msg["reply_to_message_id"] = int(found.group(1))
        elif "text" in cls:
            msg["text"] = _parts(child)
        elif "media_wrap" in cls:
            _media(child, msg)
        elif "signature" in cls:
            msg["author"] = child.text_content().strip()
        elif "reactions" in cls:
            msg["reactions"] = _reactions(child)
    if "from" not in msg and previous is not None and "joined" in _classes(el):
        msg["from"] = previous.get("from")
    msg.setdefault("text", "")
    return msg


def _media(el: Any, msg: dict[str, Any]) -> None:
    poll = el.xpath(".//div[contains(@class, 'media_poll')]")
    if poll:
        question = poll[0].xpath(".//div[contains(@class, 'question')]")
        answers = [re.sub(r"^- ", "", a.text_content().strip()) for a in poll[0].xpath(".//div[@class='answer']")]
        msg["poll"] = {"question": question[0].text_content().strip() if question else "",
                       "answers": [{"text": re.sub(r"\s+\d+ votes?.*$", "", a)} for a in answers]}
        return
    link = el.xpath(".//a[@href]")
    href = link[0].get("href") if link else None
    kind = "photo" if el.xpath(".//*[contains(@class, 'photo')]") else "file"
    msg["photo" if kind == "photo" else "file"] = href or "(File not included)"


def _reactions(el: Any) -> list[dict[str, Any]]:
    out = []
    for r in el.xpath(".//*[contains(@class, 'reaction')]"):
        emoji = r.xpath(".//*[contains(@class, 'emoji')]")
        count = r.xpath(".//*[contains(@class, 'count')]")
        if emoji and count and count[0].text_content().strip().isdigit():
            out.append({"type": "emoji", "emoji": emoji[0].text_content().strip(),
                        "count": int(count[0].text_content().strip())})
    return out


def html_messages(text: str, previous: dict[str, Any] | None = None) -> tuple[str | None, list[dict[str, Any]]]:
    """The chat name and message objects of one HTML export page; ``previous`` is the last message of the page
    before, whose sender a "joined" message at the top of this page repeats."""
    # the text is decoded already: a charset the page declares must not decode its UTF-8 bytes a second time
    if not text.strip():
        return None, []
    tree = lxml_html.fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    header = tree.xpath("//div[contains(@class, 'page_header')]//div[contains(@class, 'text')]")
    name = " ".join(header[0].text_content().split()) if header else None
    messages: list[dict[str, Any]] = []
    for el in tree.xpath("//div[contains(concat(' ', @class, ' '), ' message ')]"):
        if "service" in _classes(el):
            continue
        msg = _message(el, messages[-1] if messages else previous)
        if msg is not None:
            messages.append(msg)
    return name, messages


def html_chat_from_text(text: str, source: str, notes: list[str]) -> Chat | None:
    return _chat([(source, text)], notes)


def html_chat(paths: list[str], notes: list[str]) -> Chat | None:
    """One chat from the pages of an HTML export folder, in page order."""
    pages = []
    for path in paths:
        try:
            pages.append((path, decode(Path(path).read_bytes())))
        except OSError as exc:
            notes.append(f"{path}: {exc.strerror or exc}")
    return _chat(pages, notes)


def _chat(pages: list[tuple[str, str]], notes: list[str]) -> Chat | None:
    name: str | None = None
    messages: list[dict[str, Any]] = []
    for path, text in pages:
        try:
            page_name, page_messages = html_messages(text, messages[-1] if messages else None)
        except Exception as exc:  # noqa: BLE001 - lxml raises several types on hostile markup
            notes.append(f"{path}: not readable as a Telegram HTML export page ({type(exc).__name__})")
            continue
        name = name or page_name
        messages += page_messages
    if not pages or (not messages and name is None):
        return None
    senders = {m.get("from") for m in messages}
    kind = "channel" if senders <= {name, None} else "group"
    return Chat(name, kind, None, pages[0][0], messages)
