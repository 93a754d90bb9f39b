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
line has a verb). A name and a time on one line without a marker (``Marta_W 30.10.2020, 9:00``)
head comments only where at least two do, their times written alike (one page template; a byline
under a headline does not repeat that way); there a line holding only a relative time (``3y ago``)
is a comment whose name the page lost. Link furniture is read through, never kept: lynx's ``[12]`` references,
w3m's short ``[a]`` labels, and html2text's links drawn with ``_`` for spaces. Depth comes from
the indentation of the header's first line (:class:`text_formats.Tree`).
"""

from __future__ import annotations

import re

from narrascope.threads.text_dates import date_line
from narrascope.threads.text_formats import Header, Lines, RawComment, TextFormat, mostly_outdented, plain, register
from narrascope.threads.text_furniture import is_comments_header
from narrascope.threads.text_names import MAX_NAME_WORDS, author_name

_VERB = (r"(?:says|said|wrote|writes|sagt|schrieb|schreibt|meint|dit|a écrit|écrit|dice|escribió|escribe|diz|"
         r"disse|escreveu|zegt|schreef|pisze|napisał|napisała|skriver|skrev|sier|scrive|ha scritto|говорит|"
         r"пишет|написал|написала|сказал|сказала|пише|написав|kirjoittaa|kirjoitti|yazdı|napsal|napísal)")
_MARKER = re.compile(r"(?:(?P<num>\d{1,4})[.)]|#(?P<hash>\d{1,6})|[*+o•◦▪▫■□□○●◆◇‣·–-])(?:\s+(?P<rest>.*))?")
_SAID = re.compile(rf"(?P<name>.{{1,80}}?)(?:\s?,?\s{_VERB}\s?:?|(?<=\w){_VERB}:)", re.I)  # also "Annasays:"
_JOINED = re.compile(r"(?P<name>.{1,60}?)\s?(?:\s(?:on|am|le|el|il|op|at)|\s?[|•·,–—-])\s(?P<when>.{4,60})")
_POST = re.compile(r"(.{4,60}?)\s#(\d{1,6})")
# a vote counter after the time: "Marta_W 30.10.2020, 9:00 +12 / -1", "NAME 3 hours ago 12 points"
_VOTES = re.compile(r"(?:\s[+\-−]\d{1,6}(?:\s?/\s?[+\-−]?\d{1,6})?|\s\(?[+\-−]?\d{1,6}\s(?:points?|votes?|likes?)\)?)$")
# a name glued to its time, where the page put no space between two elements: "Гость11:15 05.10.18"
_GLUED = re.compile(r"(?P<name>.{1,60}?[^\W\d_])(?P<when>\d.{3,60})")
_QUOTES = frozenset('"“”«»„')
_IMPRECISE = re.compile(r"[^\d\s]+\.?\s'?\d{2,4}")  # "December 2019": no day
_FAMILIES = [("iso", re.compile(r"\d{4}-\d\d-\d\d")), ("dotted", re.compile(r"\d\.\d{1,2}\.\d")),
             ("slashed", re.compile(r"\d/\d{1,2}/\d")), ("dashed", re.compile(r"\d-\d{1,2}-\d"))]
_STARRED = re.compile(r"\*{2,}\s(.{1,200}?)\s\*{2,}")  # html2text's "***** Comments *****"


def _date(s: str) -> str | None:
    """The time on a date line, also one html2text drew as a link (``_August_8,_2018_at_3:17_pm_``)."""
    return date_line(plain(s))


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
            return author_name(joined.group("name"), True), when, True
        name = author_name(head, True)
        return (name, None, True) if name else None
    joined = _JOINED.fullmatch(s)
    if joined is not None and (when := date_line(joined.group("when"))):
        name = author_name(joined.group("name"), False)
        return (name, when, False) if name else None
    words = _VOTES.sub("", s).split(" ")
    glued = _GLUED.fullmatch(words[0]) if words[0][-1:].isdigit() else None
    if glued is not None and (when := date_line(" ".join([glued.group("when"), *words[1:]]))):
        name = author_name(glued.group("name"), False)
        return (name, when, False) if name else None
    for k in range(1, min(len(words) - 1, MAX_NAME_WORDS) + 1):  # "Cherie McCluney August 17, 2019 - 2:19 pm"
        when = date_line(" ".join(words[k:]))
        if when is not None:
            name = author_name(" ".join(words[:k]), False)
            return (name, when, False) if name else None
    name = author_name(s, False)
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
    name = author_name(line, False) if not _MARKER.fullmatch(line) else None  # the next item of a list is no name
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
        self._section = next((j for j, s in enumerate(lines.text) if s and _comments_heading(s)), len(lines))
        self._strong = 0
        self._unmarked: list[int] = []
        found = super().signatures(lines)
        if mostly_outdented(lines, found, _MARKER):
            return []
        if self._unmarked:
            found = _signed_lines(lines.text, found, set(self._unmarked))
        # one comment is a thread when its header is unmistakable: a marker, a verb and a time,
        # or a name and a time under a comments heading
        return found if len(found) >= 2 or self._strong else []

    def parse(self, lines: Lines) -> tuple[int, list[RawComment]]:
        """As every format, but the last comment of a list ends with its list item: where its text
        is indented as deep as the marker or deeper, the first line less deep is the page again."""
        start, comments = super().parse(lines)
        if comments and _MARKER.fullmatch(plain(comments[-1].signature)):
            last = comments[-1]
            body = [j for j in last.lines if j >= 0]
            if body and lines.indent[body[0]] >= last.indent:
                edge = last.indent + (lines.indent[body[0]] > last.indent)
                out = next((k for k, j in enumerate(last.lines) if j >= 0 and lines.indent[j] < edge),
                           len(last.lines))
                last.lines = last.lines[:out]
                while last.lines and last.lines[-1] < 0:
                    last.lines.pop()
        return start, comments

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
        if when is not None and not said and (not _datelike(when) or _IMPRECISE.fullmatch(when)):
            return None  # a menu's "Today", a product list's "Mac Pro December 2019"
        if marker is None and not said and not (section and when and (":" in when or "ago" in when)):
            if when is None or not _signed(s, when):
                return None
            # a name and a time alone are as often a byline in a list of stories: a thread needs two
            self._unmarked = [*getattr(self, "_unmarked", []), i]
        end = name_at
        if when is None:  # the time on the next line; a blank line between only after a verb
            nxt = _next_line(text, name_at, within=2 if said else 1)
            if nxt is not None and indent[nxt] < indent[name_at]:
                nxt = None  # a time indented less than the name belongs to the list around it
            if nxt is not None and (when := _date(text[nxt])) and (said or _datelike(when)):
                end = nxt
            elif not (said and marker):  # "NAME said:" alone is how forums open a quote
                return None
        if when is not None and ((marker is not None and said) or (section and not said and i not in self._unmarked)):
            self._strong = getattr(self, "_strong", 0) + 1
        return Header(author, number, when, size=end - i + 1)


def _comments_heading(s: str) -> bool:
    starred = _STARRED.fullmatch(s)
    return is_comments_header(starred.group(1) if starred else s)


def _signed(s: str, when: str) -> bool:
    """Whether ``NAME TIME`` without a list marker can head a comment: not a quote's attribution
    (``— Name (@handle) November 1, 2019``), not a citation (``Title," Oct. 15, 2019``)."""
    name = s[:s.rfind(when)].rstrip()
    return s[0] not in "—–-" and "(@" not in name and name[-1:] != "," and not _QUOTES & set(name)


def _family(when: str) -> str:
    """The way a time is written, as one page template writes all of its comments' times."""
    low = when.lower()
    if "ago" in low or not any(ch.isdigit() for ch in low):
        return "relative"
    for family, pattern in _FAMILIES:
        if pattern.search(low):
            return family
    return "named"


def _signed_lines(text: list[str], found: list[tuple[int, Header]], unmarked: set[int]) -> list[tuple[int, Header]]:
    """Keep ``NAME TIME`` lines without a list marker when at least two comments of the page are
    headed that way, their times written alike (one template): those lines, and the comments whose
    name the page lost, where a line holds only a relative time (``oak_and_amber 3y ago`` ...
    ``3y ago``) and text follows it."""
    families: dict[str, set[int]] = {}
    for i, h in found:
        if i in unmarked and h.posted_raw:
            families.setdefault(_family(h.posted_raw), set()).add(i)
    relative = families.get("relative", set())
    taken = {j for i, h in found for j in range(i, i + h.size)}
    nameless = [(j, Header(None, None, when)) for j in range(min(unmarked) + 1, len(text) - 1)
                if relative and j not in taken and text[j] and (when := date_line(plain(text[j])))
                and _family(when) == "relative" and _text_follows(text, j)]
    keep, extra = max(families.values(), key=len, default=set()), []
    if len(relative) + len(nameless) >= len(keep):
        keep, extra = relative, nameless
    if len(keep) + len(extra) < 2:
        keep, extra = set(), []
    return sorted([(i, h) for i, h in found if i not in unmarked or i in keep] + extra, key=lambda f: f[0])


def _text_follows(text: list[str], j: int) -> bool:
    nxt = _next_line(text, j, within=2)
    return nxt is not None and date_line(plain(text[nxt])) is None and len(text[nxt].split()) >= 3
