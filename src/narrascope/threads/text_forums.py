"""Forum and aggregator renderings: Reddit, Discourse, phpBB, vBulletin / XenForo.

Each class recognises one signature line (see ``docs/comment-formats.md`` in the shared
docs); the walk, the nesting and the paste detection live in :mod:`text_formats`.
"""

from __future__ import annotations

import re

from narrascope.threads.text_dates import DATE, date_line
from narrascope.threads.text_formats import Header, Lines, TextFormat, plain, register
from narrascope.threads.text_furniture import is_control
from narrascope.threads.text_names import author_name

_REDDIT_GONE = re.compile(rf"(?:\[[–—+\-]\]\s?)?\[(?:deleted|removed)\]\s(?P<when>{DATE})", re.I)
_REDDIT = re.compile(
    r"(?P<collapse>\[[–—+\-]\]\s?)?(?P<author>\S{1,40})(?P<flair>.{0,80}?)"
    r"\s(?:(?P<score>[-−]?\d{1,7})\spoints?|\[score hidden\])"
    r"\s(?P<when>.{1,60}?)(?:\s?\(\d{1,6} child(?:ren)?\))?",
    re.I,
)
_PHPBB = re.compile(r"(?:#(?P<num>\d{1,6})\s)?(?:post\s?)?by\s(?P<name>.{1,80}?)\s»\s(?P<when>.{4,60})", re.I)
_VB = re.compile(rf"#(?P<num>\d{{1,6}})\s(?P<name>.{{1,80}}?)\s(?:[•·|,-]\s)?(?P<when>{DATE})", re.I)
_XF = re.compile(rf"(?P<name>.{{1,80}}?)\s(?:[•·|,-]\s)?(?P<when>{DATE})\s#(?P<num>\d{{1,6}})", re.I)
# vBulletin 3: "Old 09-14-2020, 06:10 PM   #21" (the status icon's alt text first), the name below it
_DATED_NUMBER = re.compile(rf"(?:(?:old|new)\s)?(?P<when>{DATE})\s#\s?(?P<num>\d{{1,6}})", re.I)
_BULLET = re.compile(r"^(?:[*+o•◦▪□-]|\d{1,3}\.)\s+")
_BARE_NUMBER = re.compile(r"#\s?(\d{1,6})")
_CELL_GAP = re.compile(r"\s{3,}")
_LIST_MARKER = re.compile(r"\d{1,4}\.|[*+o•◦▪□-]")
_POST_NUMBER = re.compile(r"(?:(.{1,60}?)\s)?#(\d{1,6})")
_GLUED_NUMBER = re.compile(r"(.{4,60}?(?:[ap]m|\d))\s?(\d{1,5})", re.I)
_HEADING = re.compile(r"\*{2,}\s.{1,200}\s\*{2,}")  # html2text's "****** Topic title ******"
_FULL_NAME = re.compile(r"\s\([^()]{1,60}\)$")
_ONE_LINE = re.compile(r"(?P<name>[^\s()]{1,40})(?:\s\([^()]{1,60}\))?\s(?P<rest>\S.{3,70})")
_DELETED = frozenset({"[deleted]", "[removed]", "deleted", "anonymous"})


def _author(name: str | None) -> str | None:
    name = (name or "").strip()
    return None if not name or name.lower() in _DELETED else name


@register
class Reddit(TextFormat):
    """``[–] user 12 points 3 hours ago`` / text; depth from indentation."""

    name = "reddit"

    def quick(self, s: str) -> bool:
        return s[0] == "[" or " point" in s or s.endswith(" ago")

    def header(self, text: list[str], i: int) -> Header | None:
        s = plain(text[i])
        m = _REDDIT.fullmatch(s)
        if m is None:
            gone = _REDDIT_GONE.fullmatch(s)
            return Header(None, None, gone.group("when")) if gone else None
        if not m.group("collapse") and (not m.group("score") or m.group("flair").strip()):
            return None  # without "[–]": "user 12 points 3 hours ago" exactly
        when = m.group("when").strip()
        if not m.group("collapse") and date_line(when) is None:
            return None
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
        m = _PHPBB.fullmatch(plain(text[i]))  # lynx: "[7]Postby [8]Kastus » Mon Aug 10, 2020 9:31 am"
        if m is None:
            return None
        when = m.group("when").strip()
        num = m.group("num")
        return Header(_author(m.group("name")), int(num) if num else None, date_line(when) or when)

    def is_subject(self, s: str) -> bool:
        return s[:3].lower() == "re:"


@register
class Forum(TextFormat):
    """vBulletin ``#5 NAME DATE`` and XenForo ``NAME DATE #5``; ``Originally Posted by`` quotes.

    Also as text browsers print them: vBulletin 3's ``Old DATE #21`` with the name below or in a
    table's left cell, and XenForo's attribution list items (``• DATE`` / ``• Share`` / ``• #2``)
    with the name above them when the page prints one.
    """

    name = "vbulletin"
    numbered = True
    thread_only = True

    def signatures(self, lines: Lines) -> list[tuple[int, Header]]:
        self._lines = lines  # a name below its post's header is read from the left column
        return super().signatures(lines)

    def header(self, text: list[str], i: int) -> Header | None:
        s = text[i]
        if "#" not in s:
            if text[i + 1:i + 2] == ["#"]:
                return self._name_below(text, i)
            return (_attribution(text, i) if s[-1].isdigit() else None) or _named_attribution(text, i)
        m = (_VB.fullmatch(s) if s[0] == "#" else None) or _XF.fullmatch(s)
        if m is None:
            return self._name_below(text, i)
        if _LIST_MARKER.fullmatch(m.group("name")):
            return None  # "1. 08-23-2020, 02:46 PM #1": a browser's list number, the name comes next
        return Header(_author(m.group("name")), int(m.group("num")), m.group("when"))

    def _name_below(self, text: list[str], i: int) -> Header | None:
        """``DATE #N`` with the poster's name below: on the next line (lynx) or in the left cell
        of the next rows, where a table layout prints the name beside the post (w3m, html2text,
        inscriptis); trafilatura breaks the line into ``DATE`` / ``#`` / ``N``."""
        s = " ".join(plain(text[i]).split())
        m = _DATED_NUMBER.fullmatch(s)
        after = i + 1
        if m is None and i + 2 < len(text) and text[i + 1] == "#" and text[i + 2].isdigit():
            m = _DATED_NUMBER.fullmatch(f"{s} #{text[i + 2]}")
            after = i + 3
        if m is None:
            return None
        lines = getattr(self, "_lines", None)
        raw = lines.raw if lines is not None and lines.text is text else text
        left = min(_indent(raw[i]) + 4, 12)
        for j in range(after, min(len(text), after + 8)):
            if not text[j] or _indent(raw[j]) > left:
                continue  # a blank row, or the right column only (the post's text, a quote)
            cells = _CELL_GAP.split(plain(text[j]))
            name = author_name(cells[0], False)
            if name is None:
                return None
            # a name alone on its row belongs to the header; one beside the post's text stays in it
            last = j if len(cells) == 1 else after - 1
            return Header(name, int(m.group("num")), m.group("when"), size=last - i + 1)
        return None


def _attribution(text: list[str], i: int) -> Header | None:
    """XenForo's attribution as list items, ``• Sep 12, 2020`` / ``• Share`` / ``• #2``: a post
    headed by its time and number, no author (the page prints the name apart, if at all)."""
    bullet = _BULLET.match(plain(text[i]))
    when = date_line(plain(text[i])[bullet.end():]) if bullet else None
    if when is None:
        return None
    j, seen = i + 1, 0
    while j < len(text) and seen < 3:
        s = _BULLET.sub("", plain(text[j]))
        if s:
            number = _BARE_NUMBER.fullmatch(s)
            if number is not None:
                return Header(None, int(number.group(1)), when, size=j - i + 1)
            if not is_control(s):
                return None
            seen += 1
        j += 1
    return None


def _named_attribution(text: list[str], i: int) -> Header | None:
    """The poster's name above the attribution, user titles (``Well-known member``) between: a
    name after a blank line or a heading, so that the end of the post before is not taken for one."""
    if i > 0 and text[i - 1] and (text[i - 1][0] != "*" or not _HEADING.fullmatch(text[i - 1])):
        return None
    s = _unstarred(plain(text[i]))
    if not s or len(s) > 60 or s[-1] in "!?;:,":
        return None
    j = i + 1
    while j < min(len(text), i + 6) and (not text[j] or (not _BULLET.match(text[j]) and is_control(_unstarred(
            plain(text[j]))))):
        j += 1
    if j >= len(text) or not _BULLET.match(text[j]):
        return None
    post = _attribution(text, j)
    name = author_name(s, False) if post is not None else None
    if post is None or name is None:
        return None
    return Header(name, post.number, post.posted_raw, size=j - i + post.size)


def _unstarred(s: str) -> str:
    return s.strip("* ") if _HEADING.fullmatch(s) else s


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip())


@register
class Discourse(TextFormat):
    """``NAME`` / ``Oct 2020`` (optionally ``#5``) / text, posts separated by blank lines."""

    name = "discourse"
    positional = True
    thread_only = True
    min_count = 2

    def quick(self, s: str) -> bool:
        return len(s) <= 120 and s[-1] not in ":,;!?\"'»" and not s[0].isdigit()

    def header(self, text: list[str], i: int) -> Header | None:
        after_text = i > 0 and text[i - 1] and not is_control(text[i - 1]) and not _HEADING.fullmatch(text[i - 1])
        s = plain(text[i])
        if not s or s.lower().startswith("by ") or date_line(s) or is_control(s):
            return None
        one_line = _ONE_LINE.fullmatch(s)  # "lina_p (Lina P.) November 2, 2020, 9:00am 1", as browsers print it
        if one_line is not None and ":" not in one_line.group("name") and _has_letter(one_line.group("name")):
            when_number = _when_and_number(one_line.group("rest"))
            # right after text only with its post number: "tomas_lt November 2, 2020, 10:12am2"
            if when_number is not None and (not after_text or when_number[1] is not None):
                return Header(one_line.group("name"), when_number[1], when_number[0])
        if after_text or len(s) > 40 or i + 1 >= len(text) or not text[i + 1]:
            return None
        name = _FULL_NAME.sub("", s)  # "lina_p (Lina P.)": the user name
        if len(name.split()) > 4 or ":" in name or not _has_letter(name):
            return None
        when_number = _when_and_number(plain(text[i + 1]))
        if when_number is None:
            return None
        when, number = when_number
        size = 2
        if number is None and i + 2 < len(text):
            m = _POST_NUMBER.fullmatch(text[i + 2])
            if (m and not m.group(1)) or (text[i + 2].isdigit() and len(text[i + 2]) <= 5):
                number, size = int(m.group(2) if m else text[i + 2]), 3
        return Header(name, number, when, size=size)


def _has_letter(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


def _when_and_number(s: str) -> tuple[str, int | None] | None:
    """``Oct 2020``, ``Oct 27, 2020 #5`` or ``November 2, 2020, 10:12am2`` (the post number glued on)."""
    m = _POST_NUMBER.fullmatch(s)
    if m and m.group(1) and (when := date_line(m.group(1))):
        return when, int(m.group(2))
    when = date_line(s)
    if when is not None:
        return when, None
    m = _GLUED_NUMBER.fullmatch(s)
    if m and (when := date_line(m.group(1))):
        return when, int(m.group(2))
    return None
