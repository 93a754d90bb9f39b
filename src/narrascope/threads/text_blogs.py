"""Blog comment renderings: WordPress, numbered WordPress variants, Typepad footers, Disqus.

Each class recognises one signature line (see ``docs/comment-formats.md`` in the shared
docs); the walk, the nesting and the paste detection live in :mod:`text_formats`.
"""

from __future__ import annotations

import re

from narrascope.threads.text_dates import DATE, date_line
from narrascope.threads.text_formats import (
    Header,
    Lines,
    RawComment,
    TextFormat,
    collect,
    mostly_outdented,
    plain,
    register,
)
from narrascope.threads.text_furniture import is_comments_header, is_control

_SAYS = r"(?:says|sagt|dit|dice|diz|zegt|pisze|skriver|scrive|говорит|пишет|kirjoittaa)"
_WP = re.compile(rf"(.{{0,80}}?)\s?{_SAYS}\s?:?", re.I)
_NUMBERED = re.compile(r"(\d{1,4})\.(?:\s+(.{0,120}))?")
_FOOTER = re.compile(r"posted by:\s?(.*)", re.I)
_SEPARATOR = re.compile(
    r"posted by (?!:)(?P<author>.{1,80}?) (?:on|at) (?P<date>[^|]{4,60}?)(?: in [^|]{1,80})?\s?(?:\|.{0,200})?",
    re.I,
)
_DISQUS = re.compile(
    rf"(?:(?P<name>.{{1,80}}?)\s)?(?:(?:→|➦|↪|replied to|in reply to)\s(?P<to>.{{1,80}}?)\s)?[•·]\s?(?P<when>{DATE})"
    r"(?:\s(?:edited|[•·].{0,40}))?",
    re.I,
)
_BADGES = re.compile(r"\s(?:mod|moderator|admin|staff|op)$", re.I)


def next_date(text: list[str], i: int, within: int = 2) -> tuple[str, int] | None:
    """The date line among the next ``within`` non-empty lines after ``i``: (date, index)."""
    j, seen = i + 1, 0
    while j < len(text) and seen < within:
        if text[j]:
            d = date_line(text[j])
            if d:
                return d, j
            seen += 1
        j += 1
    return None


def typepad_separator(s: str) -> tuple[str, str] | None:
    """``Posted by AUTHOR on DATE | Permalink`` (the end of a Typepad post): (author, date)."""
    if not s.lower().startswith("posted ") or len(s) > 300:
        return None
    m = _SEPARATOR.fullmatch(s)
    if m is None or ("|" in s and "permalink" not in s.lower() and "comment" not in s.lower()):
        return None
    d = date_line(m.group("date").strip())
    return (m.group("author").strip(), d) if d else None


@register
class NumberedWordPress(TextFormat):
    """``  3. NAME says`` / date / text; replies indented, numbered 1., 2. again."""

    name = "numbered"
    numbered = True
    restarts = True

    def quick(self, s: str) -> bool:
        return s[0].isdigit()

    def header(self, text: list[str], i: int) -> Header | None:
        m = _NUMBERED.fullmatch(text[i])
        if m is None:
            return None
        number, rest = int(m.group(1)), plain(m.group(2) or "")
        if "://" in rest or (rest[:1] == "[" and rest[-1:] == "]"):
            return None  # lynx's "1. https://..." under "References"; an image's "[alt text]"
        said = _WP.fullmatch(rest) if rest else None
        dated = next_date(text, i, within=2 if rest else 1)
        if said is None and (not dated or len(rest) > 60 or rest.endswith((".", ",", ";")) or len(rest.split()) > 6):
            return None
        if said is not None and (len(said.group(1).split()) > 6 or "," in said.group(1)):
            return None  # "3. Airline went into records after Max crash, engineer says": a headline
        author = (said.group(1) if said else rest).split(" • ")[0].strip() or None  # "NAME • Disclaimer says"
        if dated:
            return Header(author, number, dated[0], size=dated[1] - i + 1)
        return Header(author, number)

    def signatures(self, lines: Lines) -> list[tuple[int, Header]]:
        """The named headers, and the nameless comments between them: where the page lost a
        name, the number line holds the comment's first text (``  5. Never paid attention ...``).
        A number line is a nameless comment when it stands where the named headers stand
        (their indentation) and continues their running count."""
        named = super().signatures(lines)
        if mostly_outdented(lines, named, _NUMBERED):
            return []
        if len(named) < 2:
            return named
        indents = [lines.indent[i] for i, _ in named]
        top = min(indents)
        if indents.count(top) < 2:
            return named
        at = {i: h for i, h in named}
        out: list[tuple[int, Header]] = []
        last = 0
        for i, s in enumerate(lines.text):
            if i in at:
                out.append((i, at[i]))
                number = at[i].number
                if lines.indent[i] == top and number is not None:
                    last = number
                continue
            if not s or not s[0].isdigit() or lines.indent[i] != top:
                continue
            m = _NUMBERED.fullmatch(s)
            if m is not None and m.group(2) and int(m.group(1)) == last + 1 and not is_control(s):
                last += 1
                out.append((i, Header(None, last, inline=m.group(2).strip())))
        return out


@register
class WordPress(TextFormat):
    """``NAME says:`` / ``October 27, 2020 at 2:46 pm`` / text / ``Reply`` (and localised)."""

    name = "wordpress"

    def quick(self, s: str) -> bool:
        return s[-1] == ":" or s[-1].isalpha()

    def header(self, text: list[str], i: int) -> Header | None:
        s = plain(text[i])
        m = _WP.fullmatch(s)
        if m is None or _NUMBERED.match(s):
            return None
        dated = next_date(text, i)
        if dated is None:
            return None
        return Header(m.group(1).strip() or None, None, dated[0], size=dated[1] - i + 1)


@register
class Typepad(TextFormat):
    """Text first, then ``Posted by: NAME | Oct 27 2020 14:46 utc | 12``; flat."""

    name = "typepad"
    numbered = True

    def quick(self, s: str) -> bool:
        return s[:10].lower() == "posted by:"

    def header(self, text: list[str], i: int) -> Header | None:
        m = _FOOTER.fullmatch(plain(text[i]))  # lynx: "Posted by: [2]karlof1 | [3]Oct 27 2020 14:46 utc | 1"
        if m is None:
            return None
        rest = m.group(1)
        number = None
        head, bar, tail = rest.rpartition("|")
        if bar and tail.strip().isdigit():
            number, rest = int(tail.strip()), head
        head, bar, tail = rest.rpartition("|")
        when = date_line(tail.strip()) if bar else None
        if when is None:
            return None
        author = head.strip() or None
        if author and "_" in tail and "_" in author and " " not in author:
            author = author.replace("_", " ")  # html2text draws a linked name like the linked time
        return Header(author, number, when)

    def page_meta(self, lines: Lines) -> tuple[str, str | None] | None:
        """The ``Posted by AUTHOR on DATE | Permalink`` separator wherever extraction moved it."""
        for s in lines.text:
            if s[:10].lower() == "posted by ":
                sep = typepad_separator(s)
                if sep is not None:
                    return sep
        return None

    def parse(self, lines: Lines) -> tuple[int, list[RawComment]]:
        text = lines.text
        sigs = self.found(lines)
        if not sigs:
            return len(lines), []
        first = sigs[0][0]
        start = None
        for j in range(first - 1, -1, -1):
            if text[j] and (typepad_separator(text[j]) or is_comments_header(text[j])):
                start = j + 1
                break
        if start is None:  # no separator: the first comment is the paragraph before its footer
            j = first - 1
            while j >= 0 and not text[j]:
                j -= 1
            while j >= 0 and text[j]:
                j -= 1
            start = j + 1
        comments: list[RawComment] = []
        begin, pasted = start, []
        top, seen = 0, set()
        for i, h in sigs:
            key = (h.author, h.posted_raw)
            if (h.number <= top) if h.number is not None else key in seen:
                pasted.append(h)  # a copied footer: a reference, and part of the reply's text
                continue
            body = collect(text, begin, i, skip=typepad_separator)
            begin = i + 1
            if not body:
                pasted = []
                continue
            comments.append(RawComment(h, i, lines.indent[i], text[i], lines=body, pasted=pasted))
            pasted = []
            seen.add(key)
            top = h.number if h.number is not None else top
        return start, comments


@register
class Disqus(TextFormat):
    """``NAME • 3 years ago`` / text / ``Reply • Share ›``; ``NAME → OTHER`` names the parent."""

    name = "disqus"
    min_count = 2  # one "Minsk • October 18, 2020" line is more often an article's dateline

    def quick(self, s: str) -> bool:
        return "•" in s or "·" in s

    def header(self, text: list[str], i: int) -> Header | None:
        m = _DISQUS.fullmatch(text[i])
        if m is None:
            return None
        name = _BADGES.sub("", (m.group("name") or "").strip()) or None
        if name is None:  # "• 12 November 2019" is a list of dates, not a comment
            return None
        if (name.lower().startswith(("reply", "share")) or len(name.split()) > 6):
            return None
        to = m.group("to")
        return Header(name, None, m.group("when"), reply_to=to.strip() if to else None)
