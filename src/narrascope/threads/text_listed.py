"""Comment threads as text browsers and converters print HTML lists of comments.

``lynx -dump``, ``w3m -dump``, ``html2text`` and ``inscriptis`` print a comment list as list
items: a marker (``1.``, ``*``, ``+``, ``o``, ``-``, ``•``), the author, maybe a verb (``says:``,
``said:``, ``wrote:``, ``sagt:``, ...), the time, then the text, with replies indented one
step deeper. The pieces come on one line or spread over up to three::

    * Anna on September 12, 2018 at 4:47 pm said:      1.                 1. [a]Anna K. sagt:
      text indented under it                          [73]Anna               16. August 2020 um 9:12 Uhr
                                                          [74]August 8, 2018 at 3:17 pm
                                                          text

A header is a marker line (optional), a name line and a date line (optional when the name
line has a verb). Link furniture is read through, never kept: lynx's ``[12]`` references,
w3m's short ``[a]`` labels, and html2text's links drawn with ``_`` for spaces. Depth comes from
the indentation of the header's first line (:class:`text_formats.Tree`).
"""

from __future__ import annotations

import re

from narrascope.threads.text_dates import date_line
from narrascope.threads.text_formats import Header, Lines, TextFormat, plain, register
from narrascope.threads.text_furniture import is_comments_header, is_control, is_page_furniture

_VERB = (r"(?:says|said|wrote|writes|sagt|schrieb|schreibt|meint|dit|a écrit|écrit|dice|escribió|escribe|diz|"
         r"disse|escreveu|zegt|schreef|pisze|napisał|napisała|skriver|skrev|sier|scrive|ha scritto|говорит|"
         r"пишет|написал|написала|сказал|сказала|пише|написав|kirjoittaa|kirjoitti|yazdı|napsal|napísal)")
_MARKER = re.compile(r"(?:(?P<num>\d{1,4})[.)]|#(?P<hash>\d{1,6})|[*+o•◦▪▫■□□○●◆◇‣·–-])(?:\s+(?P<rest>.*))?")
_SAID = re.compile(rf"(?P<name>.{{1,80}}?)(?:\s?,?\s{_VERB}\s?:?|(?<=\w){_VERB}:)", re.I)  # also "Annasays:"
_JOINED = re.compile(r"(?P<name>.{1,60}?)\s?(?:\s(?:on|am|le|el|il|op|at)|\s?[|•·,–—-])\s(?P<when>.{4,60})")
_POST = re.compile(r"(.{4,60}?)\s#(\d{1,6})")
_INITIAL = re.compile(r".*\b\w\.")
MAX_NAME_WORDS = 5
_CALENDAR = frozenset("""monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
    today yesterday updated published posted modified date dated released written""".split())
# a byline, a subject or a link is not a commenter's name
_NOT_NAMES = ("by ", "von ", "par ", "por ", "door ", "от ", "автор", "posted ", "published ", "re:", "reply", "http",
              "www.", "tags", "filed ")


def _date(s: str) -> str | None:
    """The time on a date line, also one html2text drew as a link (``_August_8,_2018_at_3:17_pm_``)."""
    return date_line(plain(s))


def _name(s: str, said: bool) -> str | None:
    """``s`` if it reads as an author name: a few words, not a sentence, a control or a date."""
    s = s.strip(" \t-–—|•·,")
    if not s or len(s) > 60 or not any(ch.isalpha() for ch in s):
        return None
    words = s.split() if " " in s else s.replace("_", " ").split()
    if len(words) > (MAX_NAME_WORDS + 1 if said else MAX_NAME_WORDS):
        return None
    if s[-1] in ".!?;:," and not ((said or _INITIAL.fullmatch(s)) and s[-1] in ".!"):
        return None
    if ":" in s or words[0].lower().rstrip(",.") in _CALENDAR:
        return None
    low = s.lower()
    if low.startswith(_NOT_NAMES) or "://" in s or s[0] == "[":
        return None
    if date_line(s) or is_control(s) or is_page_furniture(s) or is_comments_header(s):
        return None
    return s


def _next_line(text: list[str], i: int, within: int = 2) -> int | None:
    """Index of the first non-empty line among the next ``within`` lines after ``i``."""
    for j in range(i + 1, min(len(text), i + 1 + within)):
        if text[j]:
            return j
    return None


def _name_and_time(s: str) -> tuple[str | None, str | None, bool] | None:
    """(author, time, has a verb) read from one name line, or None if it is not one."""
    said = _SAID.fullmatch(s)
    if said is not None:
        head = said.group("name")
        joined = _JOINED.fullmatch(head)
        if joined is not None and (when := _date(joined.group("when"))):
            return _name(joined.group("name"), True), when, True
        name = _name(head, True)
        return (name, None, True) if name else None
    joined = _JOINED.fullmatch(s)
    if joined is not None and (when := date_line(joined.group("when"))):
        name = _name(joined.group("name"), False)
        return (name, when, False) if name else None
    words = s.split(" ")
    for k in range(1, min(len(words) - 1, MAX_NAME_WORDS) + 1):  # "Cherie McCluney August 17, 2019 - 2:19 pm"
        when = date_line(" ".join(words[k:]))
        if when is not None:
            name = _name(" ".join(words[:k]), False)
            return (name, when, False) if name else None
    name = _name(s, False)
    return (name, None, False) if name else None


def _datelike(when: str) -> bool:
    """A time with a digit in it: a menu's "Today" item is no comment's time."""
    return any(ch.isdigit() for ch in when)


def marker_number(marker: re.Match[str]) -> int | None:
    return int(marker.group("num") or marker.group("hash") or 0) or None


def _time_then_name(text: list[str], at: int, s: str, indent: list[int]) -> tuple[str, str, int | None, int] | None:
    """(author, time, post number, index of the name line) for a time (and ``#N``) on the marker's
    line and the name on the next line, indented at least as deep."""
    post = _POST.fullmatch(s)
    when = _date(post.group(1) if post else s)
    nxt = _next_line(text, at, within=1)
    if when is None or nxt is None or indent[nxt] < indent[at]:
        return None
    line = plain(text[nxt])
    name = _name(line, False) if not _MARKER.fullmatch(line) else None  # the next item of a list is no name
    if name is None or not _datelike(when):
        return None
    return name, when, int(post.group(2)) if post else None, nxt


@register
class ListedComments(TextFormat):
    """A comment list as a text browser prints it: marker, name (and verb), time, text."""

    name = "listed"

    def quick(self, s: str) -> bool:
        return len(s) <= 160

    def signatures(self, lines: Lines) -> list[tuple[int, Header]]:
        self._indent = lines.indent  # a header's lines are read with their indentation
        # below a "2 comments" heading, a name and a time alone make a header too
        self._section = next((j for j, s in enumerate(lines.text) if s and is_comments_header(s)), len(lines))
        self._strong = 0
        found = super().signatures(lines)
        # one comment is a thread when its header is unmistakable: a marker, a verb and a time,
        # or a name and a time under a comments heading
        return found if len(found) >= 2 or self._strong else []

    def header(self, text: list[str], i: int) -> Header | None:
        indent = getattr(self, "_indent", None) or [0] * len(text)
        s = plain(text[i])
        if not s:
            return None
        number = None
        name_at = i
        marker = _MARKER.fullmatch(s)
        if marker is not None:
            number = marker_number(marker)
            s = plain(marker.group("rest") or "")
            if s and _MARKER.fullmatch(s) and not (_MARKER.fullmatch(s) or marker).group("rest"):
                s = ""  # html2text numbers an <ol> item twice: "1. 1."
            if not s:  # a marker alone: the name is on the next line
                nxt = _next_line(text, i, within=1)
                if nxt is None:
                    return None
                name_at, s = nxt, plain(text[nxt])
                if _MARKER.fullmatch(s):
                    return None
        if marker is not None and (dated := _time_then_name(text, name_at, s, indent)) is not None:
            # "1. 08-23-2020, 02:46 PM #1" / "Grodno_Guy" (vBulletin)
            post = dated[2] if dated[2] is not None else marker_number(marker)
            return Header(dated[0], post, dated[1], size=dated[3] - i + 1)
        read = _name_and_time(s)
        if read is None:
            return None
        author, when, said = read
        section = i > getattr(self, "_section", len(text))
        if marker is None and not said and not (section and when and (":" in when or "ago" in when)):
            return None  # a name and a time alone are as often a byline in a list of stories
        if when is not None and not said and not _datelike(when):
            return None
        end = name_at
        if when is None:  # the time on the next line; a blank line between only after a verb
            nxt = _next_line(text, name_at, within=2 if said else 1)
            if nxt is not None and indent[nxt] < indent[name_at]:
                nxt = None  # a time indented less than the name belongs to the list around it
            if nxt is not None and (when := _date(text[nxt])) and (said or _datelike(when)):
                end = nxt
            elif not (said and marker):  # "NAME said:" alone is how forums open a quote
                return None
        if when is not None and ((marker is not None and said) or (section and marker is None and not said)):
            self._strong = getattr(self, "_strong", 0) + 1
        return Header(author, number, when, size=end - i + 1)
