"""Telegram channels and their discussion groups: each post a document, the group's replies its thread.

Input is what Telegram Desktop's export writes (``result.json``, or ``messages*.html`` turned into
the same message objects by :mod:`telegram_html`): per chat a name, a type and its messages.

- A channel's messages are posts (kind ``post``, author and outlet the channel). Text given as a
  list of strings and entity objects (``{"type": "bold", "text": ...}``) is flattened; the entities'
  offsets into the flat text are kept in ``meta["entities"]``. An album (several media messages sent
  in the same second) is one post. Service messages (channel created, pinned, ...) are no posts.
- In a discussion group, each channel post arrives as an automatic forward sent by the channel; the
  replies under it (``reply_to_message_id``, nested) are that post's comments. When the channel's own
  export is read in the same run, the group's copy is matched to the channel's post (same channel,
  same text, sent within minutes) and the thread goes there; otherwise the copy stands for the post.
  Group messages outside any post's thread make one ``thread`` document for the group.
- A forwarded message keeps ``forwarded_from`` (and ``forwarded_from_id``, and the original date when
  the export gives it) in ``meta``; so are views, reactions, edits, media and polls.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from narrascope.model import Comment, Document

CHANNEL_TYPES = ("public_channel", "private_channel", "channel")
_MEDIA_KEYS = ("photo", "file", "thumbnail")
_MATCH_SECONDS = 300  # the group's copy is sent with the post; a clock skew of minutes is the most seen
_ALBUM_SECONDS = 1


@dataclass
class Chat:
    """One exported chat: ``path`` is the export file, its folder holds the media."""

    name: str | None
    type: str | None
    id: int | None
    path: str
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_channel(self) -> bool:
        return self.type in CHANNEL_TYPES


def flatten(msg: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The message's plain text and its entities' ``[start, end)`` in it (plain runs left out)."""
    parts = msg.get("text_entities")
    if not isinstance(parts, list):
        parts = msg.get("text")
    if isinstance(parts, str):
        return parts, []
    pieces: list[str] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    for part in parts if isinstance(parts, list) else []:
        if isinstance(part, str):
            piece, kind = part, "plain"
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            piece, kind = part["text"], str(part.get("type") or "plain")
        else:
            continue
        if kind != "plain" and piece:
            entity = {"type": kind, "start": pos, "end": pos + len(piece)}
            entity.update({k: part[k] for k in ("href", "user_id", "language") if isinstance(part, dict) and k in part})
            entities.append(entity)
        pieces.append(piece)
        pos += len(piece)
    return "".join(pieces), entities


def sent(msg: dict[str, Any], key: str = "date") -> datetime | None:
    """The time of ``key`` (``date``, ``edited``, ``forwarded_date``) from its ``_unixtime`` twin, UTC."""
    try:
        return datetime.fromtimestamp(int(msg[f"{key}_unixtime"]), tz=UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _iso(when: datetime | None) -> str | None:
    return when.isoformat().replace("+00:00", "Z") if when else None


def text_of(msg: dict[str, Any]) -> str:
    """What a reader sees: the text, or a poll's question and answers when there is no text."""
    text = flatten(msg)[0]
    poll = msg.get("poll")
    if not text.strip() and isinstance(poll, dict):
        answers = [a.get("text") for a in _list(poll.get("answers")) if isinstance(a, dict)]
        text = "\n".join(str(x) for x in [poll.get("question"), *answers] if x)
    return text


def message_meta(msg: dict[str, Any], chat: Chat, notes: list[str]) -> dict[str, Any]:
    """The metadata of one message; a media file the export names but lacks is told to ``notes``."""
    meta: dict[str, Any] = {"platform": "telegram", "chat": chat.name, "chat_id": chat.id, "message_id": msg.get("id")}
    entities = flatten(msg)[1]
    if entities:
        meta["entities"] = entities
    for key in ("from_id", "forwarded_from", "forwarded_from_id", "saved_from", "via_bot", "views", "forwards"):
        if msg.get(key) is not None:
            meta[key] = msg[key]
    if "forwarded_from" in msg and msg["forwarded_from"] is None:
        meta["forwarded_from"] = None  # a forward whose sender hides the link to the account
    for key in ("forwarded_date", "edited"):
        when = sent(msg, key)
        if when is not None:
            meta[key] = _iso(when)
    if msg.get("author"):
        meta["signature"] = msg["author"]
    reactions: dict[str, int] = {}
    for r in _list(msg.get("reactions")):
        if isinstance(r, dict) and isinstance(r.get("count"), int):
            label = r.get("emoji") or f"{r.get('type') or 'reaction'}:{r.get('document_id') or ''}".rstrip(":")
            reactions[str(label)] = reactions.get(str(label), 0) + r["count"]
    if reactions:
        meta["reactions"] = reactions
    media = _media(msg, chat, notes)
    if media:
        meta["media"] = media
    if isinstance(msg.get("poll"), dict):
        meta["poll"] = msg["poll"]
    return meta


def _media(msg: dict[str, Any], chat: Chat, notes: list[str]) -> list[dict[str, Any]]:
    out = []
    for key in _MEDIA_KEYS:
        value = msg.get(key)
        if not isinstance(value, str) or not value:
            continue
        entry: dict[str, Any] = {"kind": msg.get("media_type") or key if key != "thumbnail" else "thumbnail"}
        if value.startswith("("):  # "(File not included. Change data exporting settings to download.)"
            entry["missing"] = value.strip("()")
        else:
            entry["file"] = value
            folder = os.path.dirname(chat.path) if chat.path and os.path.isfile(chat.path) else None
            if folder is not None and not os.path.exists(os.path.join(folder, value)):
                entry["missing"] = "not in the export folder"
                notes.append(f"{chat.path}: message {msg.get('id')}: media file {value} is missing")
        out.append(entry)
    return out


def _source(chat: Chat, msg: dict[str, Any]) -> str:
    if chat.id is not None:
        return f"https://t.me/c/{chat.id}/{msg.get('id')}"
    return f"{chat.path}#message{msg.get('id')}"


def post(msg: dict[str, Any], chat: Chat, notes: list[str], author: str | None = None) -> Document:
    """A channel message (or the group's copy of one) as a ``post`` document."""
    when = sent(msg)
    return Document(source=_source(chat, msg), kind="post", body=text_of(msg), author=author or chat.name,
                    outlet=author or chat.name, published_raw=msg.get("date") if isinstance(msg.get("date"), str)
                    else _iso(when), published=when, meta=message_meta(msg, chat, notes))


def _messages(chat: Chat, notes: list[str]) -> list[dict[str, Any]]:
    """The chat's messages (not its service messages); one without a numeric id, or with the id of an earlier
    one (a spliced export), is skipped and told to ``notes``."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for n, msg in enumerate(chat.messages, 1):
        ident = msg.get("id")
        if not isinstance(ident, int) or isinstance(ident, bool):
            notes.append(f"{chat.path}: message {n} of the list has no numeric id ({ident!r}), skipped")
        elif ident in seen:
            notes.append(f"{chat.path}: message id {ident} appears again (message {n} of the list), skipped")
        else:
            seen.add(ident)
            if msg.get("type") == "message":
                out.append(msg)
            elif msg.get("type") != "service":
                notes.append(f"{chat.path}: message id {ident} has type {msg.get('type')!r} (neither a message "
                             "nor a service message), skipped")
    return out


def channel_posts(chat: Chat, notes: list[str]) -> list[tuple[dict[str, Any], Document]]:
    """The channel's posts with the message each was made from; an album's parts join its first message."""
    out: list[tuple[dict[str, Any], Document]] = []
    for msg in _messages(chat, notes):
        when = sent(msg)
        if out and not text_of(msg).strip() and when is not None and out[-1][1].published is not None \
                and abs((when - out[-1][1].published).total_seconds()) <= _ALBUM_SECONDS:
            out[-1][1].meta.setdefault("media", []).extend(_media(msg, chat, notes))
            out[-1][1].meta.setdefault("album", [out[-1][0].get("id")]).append(msg.get("id"))
            continue
        out.append((msg, post(msg, chat, notes)))
    return out


def _origin(msg: dict[str, Any], channels: set[str]) -> str | None:
    """The channel whose post ``msg`` is, as the discussion group received it (sent by the channel
    itself, forwarded from it, ``saved_from`` it); None for a member's message, forwarded or not, and for a
    reply: the channel answering in its group (an admin writing as the channel) comments, it posts nothing."""
    if isinstance(msg.get("reply_to_message_id"), int):
        return None
    sender, name = str(msg.get("from_id") or ""), msg.get("from")
    origin = msg.get("forwarded_from") or (name if isinstance(name, str) and name in channels else None)
    if not isinstance(origin, str) or not origin or sender.startswith("user"):
        return None
    # a forward sent under another name is a member's (the HTML export gives names, not ids)
    named = isinstance(name, str) and bool(name)
    copied = msg.get("saved_from") or sender.startswith("channel") or origin == name or (origin in channels
                                                                                          and not named)
    return origin if copied else None


def _root(msg: dict[str, Any], by_id: dict[int, dict[str, Any]], copies: set[int]) -> int | None:
    """The copy whose thread ``msg`` belongs to (following replies upwards), or None."""
    seen: set[int] = set()
    current = msg
    while True:
        parent = current.get("reply_to_message_id")
        if not isinstance(parent, int) or parent in seen or parent not in by_id:
            return None
        if parent in copies:
            return parent
        seen.add(parent)
        current = by_id[parent]


def _comment(msg: dict[str, Any], chat: Chat, notes: list[str], parent: int | None) -> Comment:
    when = sent(msg)
    author = msg.get("from") if isinstance(msg.get("from"), str) else None
    return Comment(id=f"tg{msg['id']}", text=text_of(msg), author=author or None,
                   posted_raw=msg.get("date") if isinstance(msg.get("date"), str) else _iso(when), posted=when,
                   parent=f"tg{parent}" if parent is not None else None, meta=message_meta(msg, chat, notes))


def _thread(messages: list[dict[str, Any]], chat: Chat, notes: list[str], top: int | None) -> list[Comment]:
    """Comments in message order; a reply to ``top`` (the post) or to a message outside is top-level."""
    comments: list[Comment] = []
    depth: dict[int, int] = {}
    for msg in messages:
        parent = msg.get("reply_to_message_id")
        parent = parent if isinstance(parent, int) and parent in depth and parent != top else None
        comment = _comment(msg, chat, notes, parent)
        depth[msg["id"]] = comment.depth = depth[parent] + 1 if parent is not None else 0
        comments.append(comment)
    return comments


def _by_text(posts: list[tuple[dict[str, Any], Document]]) -> dict[str, list[int]]:
    """The positions of a channel's posts by their text, so that a copy is matched without scanning them all."""
    index: dict[str, list[int]] = {}
    for n, (_, doc) in enumerate(posts):
        index.setdefault(doc.body.strip(), []).append(n)
    return index


def _match(copy: dict[str, Any], posts: list[tuple[dict[str, Any], Document]], by_text: dict[str, list[int]],
           used: set[int]) -> Document | None:
    """The channel's post the group's copy stands for: same text, sent closest in time."""
    when, text = sent(copy), text_of(copy).strip()
    best, gap = None, float(_MATCH_SECONDS if text else _ALBUM_SECONDS * 5)
    for n in by_text.get(text, []):
        doc = posts[n][1]
        if n in used or when is None or doc.published is None:
            continue
        diff = abs((when - doc.published).total_seconds())
        if diff <= gap:
            best, gap = n, diff
    if best is None:
        return None
    used.add(best)
    return posts[best][1]


def _album_parts(copies: list[int], by_id: dict[int, dict[str, Any]], origins: dict[int, str]) -> dict[int, int]:
    """The group's copies that are later parts of an album (no text, sent with the copy before, from the same
    channel), each with the album's first copy: the album is one post, as in the channel."""
    first: dict[int, int] = {}
    for before, cid in zip(copies, copies[1:], strict=False):
        a, b = sent(by_id[before]), sent(by_id[cid])
        if not text_of(by_id[cid]).strip() and origins[cid] == origins[before] and a is not None and b is not None \
                and abs((b - a).total_seconds()) <= _ALBUM_SECONDS:
            first[cid] = first.get(before, before)
    return first


def telegram_documents(chats: list[Chat], notes: list[str]) -> list[Document]:
    """Posts of the channels, each with its comment thread from the groups; the groups' other talk as threads."""
    channels = {c.name: c for c in chats if c.is_channel and c.name}
    by_channel_id = {f"channel{c.id}": c for c in chats if c.is_channel and c.id is not None}
    posts = {id(c): channel_posts(c, notes) for c in chats if c.is_channel}
    used: dict[int, set[int]] = {key: set() for key in posts}
    by_text = {key: _by_text(value) for key, value in posts.items()}
    docs = [doc for c in chats if c.is_channel for _, doc in posts[id(c)]]
    for group in (c for c in chats if not c.is_channel):
        messages = _messages(group, notes)
        by_id = {m["id"]: m for m in messages}
        origins = {m["id"]: o for m in messages if (o := _origin(m, set(channels))) is not None}
        copies = set(origins)
        album = _album_parts(sorted(copies), by_id, origins)
        threads: dict[int, list[dict[str, Any]]] = {c: [] for c in copies}
        talk: list[dict[str, Any]] = []
        for msg in messages:
            if msg["id"] in copies:
                continue
            root = _root(msg, by_id, copies)
            (threads[album.get(root, root)] if root is not None else talk).append(msg)
        for cid in sorted(copies):
            if cid in album:
                continue
            copy = by_id[cid]
            channel = by_channel_id.get(str(copy.get("forwarded_from_id") or copy.get("from_id") or "")) \
                or channels.get(origins[cid])
            doc = _match(copy, posts[id(channel)], by_text[id(channel)], used[id(channel)]) if channel else None
            if doc is None:
                doc = post(copy, group, notes, author=origins[cid])
                doc.meta["discussion_copy"] = True
                parts = [part for part, first in album.items() if first == cid]
                if parts:
                    doc.meta["album"] = [cid, *parts]
                    for part in parts:
                        doc.meta.setdefault("media", []).extend(_media(by_id[part], group, notes))
                docs.append(doc)
            doc.meta["discussion"] = {"chat": group.name, "chat_id": group.id, "message_id": cid}
            doc.comments = _thread(threads[cid], group, notes, cid)
        if talk:
            docs.append(Document(source=group.path, kind="thread", title=group.name, outlet=group.name,
                                 comments=_thread(talk, group, notes, None),
                                 meta={"platform": "telegram", "chat": group.name, "chat_id": group.id}))
    return docs
