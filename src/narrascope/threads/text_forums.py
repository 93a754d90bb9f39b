"""Forum and aggregator renderings: Reddit, Discourse, phpBB, vBulletin / XenForo.

Each class recognises one signature line (see ``docs/comment-formats.md`` in the shared
docs); the walk, the nesting and the paste detection live in :mod:`text_formats`.
"""

from __future__ import annotations

import re

from narrascope.threads.text_dates import DATE, date_line
from narrascope.threads.text_formats import Header, TextFormat, register
from narrascope.threads.text_furniture import is_control

_REDDIT = re.compile(
    r"\[[–—+\-]\]\s?(?P<author>\S{1,40})(?P<flair>.{0,80}?)\s(?:(?P<score>[-−]?\d{1,7})\spoints?|\[score hidden\])"
    r"\s(?P<when>.{1,60}?)(?:\s?\(\d{1,6} child(?:ren)?\))?",
    re.I,
)
_PHPBB = re.compile(r"(?:#(?P<num>\d{1,6})\s)?(?:post\s)?by\s(?P<name>.{1,80}?)\s»\s(?P<when>.{4,60})", re.I)
_VB = re.compile(rf"#(?P<num>\d{{1,6}})\s(?P<name>.{{1,80}}?)\s(?:[•·|,-]\s)?(?P<when>{DATE})", re.I)
_XF = re.compile(rf"(?P<name>.{{1,80}}?)\s(?:[•·|,-]\s)?(?P<when>{DATE})\s#(?P<num>\d{{1,6}})", re.I)
_POST_NUMBER = re.compile(r"(?:(.{1,60}?)\s)?#(\d{1,6})")
_DELETED = frozenset({"[deleted]", "[removed]", "deleted", "anonymous"})


def _author(name: str | None) -> str | None:
    name = (name or "").strip()
    return None if not name or name.lower() in _DELETED else name


@register
class Reddit(TextFormat):
    """``[–] user 12 points 3 hours ago`` / text; depth from indentation."""

    name = "reddit"

    def quick(self, s: str) -> bool:
        return s[0] == "["

    def header(self, text: list[str], i: int) -> Header | None:
        m = _REDDIT.fullmatch(text[i])
        if m is None:
            return None
        when = m.group("when").strip()
        return Header(_author(m.group("author")), None, date_line(when) or when.rstrip("*"))


@register
class PhpBB(TextFormat):
    """``by NAME » Tue Oct 27, 2020 2:46 pm`` after a ``Re: subject`` line; ``NAME wrote:`` quotes."""

    name = "phpbb"
    positional = True
    thread_only = True

    def quick(self, s: str) -> bool:
        return "»" in s

    def header(self, text: list[str], i: int) -> Header | None:
        m = _PHPBB.fullmatch(text[i])
        if m is None:
            return None
        when = m.group("when").strip()
        num = m.group("num")
        return Header(_author(m.group("name")), int(num) if num else None, date_line(when) or when)

    def is_subject(self, s: str) -> bool:
        return s[:3].lower() == "re:"


@register
class Forum(TextFormat):
    """vBulletin ``#5 NAME DATE`` and XenForo ``NAME DATE #5``; ``Originally Posted by`` quotes."""

    name = "vbulletin"
    numbered = True
    thread_only = True

    def quick(self, s: str) -> bool:
        return "#" in s

    def header(self, text: list[str], i: int) -> Header | None:
        s = text[i]
        m = (_VB.fullmatch(s) if s[0] == "#" else None) or _XF.fullmatch(s)
        if m is None:
            return None
        return Header(_author(m.group("name")), int(m.group("num")), m.group("when"))


@register
class Discourse(TextFormat):
    """``NAME`` / ``Oct 2020`` (optionally ``#5``) / text, posts separated by blank lines."""

    name = "discourse"
    positional = True
    thread_only = True
    min_count = 2

    def quick(self, s: str) -> bool:
        return len(s) <= 40 and s[-1] not in ":,;!?\"')»" and not s[0].isdigit()

    def header(self, text: list[str], i: int) -> Header | None:
        s = text[i]
        if i > 0 and text[i - 1] and not is_control(text[i - 1]):
            return None
        if i + 1 >= len(text) or not text[i + 1] or len(s.split()) > 4 or s.lower().startswith("by "):
            return None
        if date_line(s) or is_control(s) or ":" in s:
            return None
        number, when_line = None, text[i + 1]
        m = _POST_NUMBER.fullmatch(when_line)
        if m and m.group(1):
            number, when_line = int(m.group(2)), m.group(1)
        when = date_line(when_line)
        if when is None:
            return None
        size = 2
        if number is None and i + 2 < len(text):
            m = _POST_NUMBER.fullmatch(text[i + 2])
            if m and not m.group(1):
                number, size = int(m.group(2)), 3
        return Header(s, number, when, size=size)
