"""In-text references between comments: reply edges that are not nesting.

A comment can point at an earlier one by ``@NAME`` (that author's latest earlier comment),
``@NAME 12`` / ``NAME @12`` / ``#12`` (the comment with running number 12), a quote
(``NAME wrote:``, ``Quote: Originally Posted by X``, ``Quote from: X on DATE``, ``X said:``,
``[quote="NAME, post:N"]``, ``In reply to NAME``) or a pasted copy of the earlier comment's signature line. Names only
count when an earlier comment carries them, which keeps prose such as "The minister said:"
from becoming an edge. :func:`find_refs` writes the edges as position strings (``"#3"``)
that :meth:`narrascope.model.Document.assign_ids` turns into comment ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from narrascope.model import Comment

_AT = re.compile(r"(?<![\w.@/])@|(?<![\w/])u/(?=\w)")
_DIGITS = re.compile(r"\d{1,5}\b(?![:.,]\d)")
_AFTER_NAME = re.compile(r"[ \t]?(?:#|no\.?\s?)?(\d{1,5})\b(?![:.,]\d|\s?(?:%|am|pm|years?|people|percent))", re.I)
_TOKEN = re.compile(r"[^\s,;:!?()\[\]\"'“”]{1,60}")
_HASH = re.compile(r"(?<![\w&#/])#(\d{1,5})\b(?![\d.,]\d)")
_QUOTE_TAG = re.compile(r"\[quote=\"?([^\",\]]{1,80})(?:,\s?post:(\d{1,6}))?", re.I)
_ORIGINALLY = re.compile(
    r"(?:quote:\s?)?originally posted by:?\s(.{1,80}?)(?:\s(?:view post|[»›↑]).{0,40})?"
    r"|quote from:\s(.{1,80}?)\son\s.{4,60}",
    re.I,
)
_WROTE = re.compile(
    r"(?:>\s?)?(.{1,80}?)\s(?:wrote|said|schrieb|sagte|a écrit|escribió|napisał|написал|пишет)\s?:.{0,80}", re.I
)
_IN_REPLY = re.compile(r"(?:in reply to|replying to|reply to|antwort an|en réponse à)\s@?(.{1,80}?)[.:]?", re.I)
_ALNUM = re.compile(r"[\W_]+")


def _norm(name: str) -> str:
    return _ALNUM.sub("", name.casefold())


class _Earlier:
    """Authors and numbers of the comments seen so far, for resolving names and numbers."""

    def __init__(self) -> None:
        self.by_author: dict[str, list[int]] = {}
        self.by_norm: dict[str, list[int]] = {}
        self.by_first: dict[str, set[str]] = {}
        self.by_number: dict[int, list[int]] = {}
        self.depth: list[int] = []

    def add(self, pos: int, c: Comment) -> None:
        self.depth.append(c.depth)
        if c.author:
            key = c.author.casefold()
            self.by_author.setdefault(key, []).append(pos)
            self.by_norm.setdefault(_norm(c.author), []).append(pos)
            self.by_first.setdefault(key.split()[0], set()).add(key)
        if c.number is not None:
            self.by_number.setdefault(c.number, []).append(pos)

    def author(self, name: str | None) -> int | None:
        if not name:
            return None
        found = self.by_author.get(name.strip().casefold()) or self.by_norm.get(_norm(name))
        return found[-1] if found else None

    def number(self, n: int, author: str | None = None) -> int | None:
        found = self.by_number.get(n)
        if not found:
            return None
        if author:
            theirs = set(self.by_author.get(author.casefold(), ()))
            mine = [p for p in found if p in theirs]
            if mine:
                return mine[-1]
        top = [p for p in found if self.depth[p] == 0]
        return (top or found)[-1]

    def mention(self, rest: str) -> tuple[str, int] | None:
        """The longest earlier author that ``rest`` (text after ``@``) starts with: (name, length)."""
        tok = _TOKEN.match(rest)
        if tok is None:
            return None
        low = rest.casefold()
        first = tok.group(0).casefold()
        for cand in sorted(self.by_first.get(first.rstrip(".-"), set()) | self.by_first.get(first, set()),
                           key=len, reverse=True):
            end = len(cand)
            if low.startswith(cand) and (end == len(low) or not low[end].isalnum()):
                return cand, end
        word = tok.group(0).rstrip(".-")
        if _norm(word) in self.by_norm:
            return word, len(word)
        return None


def find_refs(comments: Sequence[Comment], pasted: Sequence[Sequence[tuple]] | None = None,
              positional: bool = False) -> None:
    """Set each comment's ``refs`` to ``"#N"`` positions of earlier comments its text refers to.

    ``pasted[i]`` lists (author, number, posted_raw) of signature lines the parser found
    pasted inside comment ``i``. ``positional``: a post number with no shown numbers on
    the page means the N-th post (forums). The parent (``"#N"``) is never repeated in refs.
    """
    earlier = _Earlier()
    has_numbers = any(c.number is not None for c in comments)
    for pos, c in enumerate(comments):
        found: list[int] = []

        def by_number(n: int, author: str | None = None, *, _pos: int = pos, _found: list[int] = found) -> None:
            target = earlier.number(n, author)
            if target is None and positional and not has_numbers and 0 < n <= _pos:
                target = n - 1
            if target is not None:
                _found.append(target)

        for author, number, posted_raw in (pasted[pos] if pasted and pos < len(pasted) else ()):
            _resolve_pasted(earlier, comments, pos, author, number, posted_raw, found, by_number)
        text = c.text
        for m in _AT.finditer(text):
            rest = text[m.end(): m.end() + 90]
            d = _DIGITS.match(rest)
            if d:
                by_number(int(d.group(0)))
                continue
            hit = earlier.mention(rest)
            if hit is None:
                continue
            name, length = hit
            num = _AFTER_NAME.match(rest, length)
            if num and earlier.number(int(num.group(1)), name) is not None:
                by_number(int(num.group(1)), name)
            else:
                target = earlier.author(name)
                if target is not None:
                    found.append(target)
        if "#" in text:
            for m in _HASH.finditer(text):
                by_number(int(m.group(1)))
        for m in _QUOTE_TAG.finditer(text) if "[quote" in text.lower() else ():
            if m.group(2):
                by_number(int(m.group(2)), m.group(1))
            else:
                _add(found, earlier.author(m.group(1)))
        for line in text.split("\n"):
            if len(line) > 200:
                continue
            q = _ORIGINALLY.fullmatch(line) or _WROTE.fullmatch(line) or _IN_REPLY.fullmatch(line)
            if q:
                _add(found, earlier.author((q.group(1) or q.group(2) or "").strip(" >\"'“”")))
        parent = int(c.parent[1:]) - 1 if c.parent and c.parent[1:].isdigit() else None
        c.refs = [f"#{t + 1}" for t in dict.fromkeys(found) if t < pos and t != parent]
        earlier.add(pos, c)


def _add(found: list[int], target: int | None) -> None:
    if target is not None:
        found.append(target)


def _resolve_pasted(earlier: _Earlier, comments: Sequence[Comment], pos: int, author: str | None,
                    number: int | None, posted_raw: str | None, found: list[int], by_number) -> None:
    """A pasted signature: the earlier comment with that author and time, else that number or author."""
    if author and posted_raw:
        for t in reversed(earlier.by_author.get(author.casefold(), [])):
            if comments[t].posted_raw == posted_raw:
                found.append(t)
                return
    if number is not None:
        before = len(found)
        by_number(number, author)
        if len(found) > before:
            return
    _add(found, earlier.author(author))

