"""Page furniture in extracted text: controls, counters, notices and section headers.

Questions about one stripped line, each cheap (a set lookup or a token check, then one
anchored regular expression with bounded repetition, on short lines only):

- :func:`is_control` - furniture anywhere, also inside a comment (``Reply``, ``Reply • Share ›``,
  vote counters, ``Show comment``, ``Log in to reply``, moderator notes, edit notes, and
  notices that can float between comments: newsletter sign-ups, cookie notices, ads);
- :func:`is_page_furniture` - furniture around an article (``Skip to content``, cookie
  notices, newsletter boxes, share bars, navigation rows) and comment-section headers;
- :func:`is_comments_header` - a line opening the comment section (``12 comments``);
- :func:`is_thread_end` - where a comment section ends (the reply form, related posts, the footer).
"""

from __future__ import annotations

import re

# words that make up control rows such as "Reply • Share ›" or "permalink embed save report reply"
_CONTROL_TOKENS = frozenset(
    """reply replies antworten répondre repondre responder rispondi odpowiedz ответить svara beantwoorden
    share teilen partager report flag like likes unlike dislike upvote downvote vote votes point points
    permalink embed save quote edit delete collapse expand hide link copy parent context source give award
    follow mute block with top agree disagree etc. etc more more... lol troll thanks
    ↑ ↓ ▲ ▼ △ ▽ ⬆ ⬇ 👍 👎 + - − ↳ ↩ ⇧ ↓reply""".split()
)
_VOTE_CHARS = frozenset("▲▼△▽↑↓⬆⬇👍👎+-−0123456789 ")
_VOTE_GLYPHS = frozenset("▲▼△▽↑↓⬆⬇👍👎")
_SPLIT = re.compile(r"[\s•·|/›»:()\[\]]+")

_CONTROL = re.compile(
    r"(?:"
    r"(?:show|hide|load|view|see)\s(?:all\s)?(?:\d+\s)?(?:more\s)?(?:comments?|repl(?:y|ies)|posts?)\b.{0,40}"
    r"|continue this thread.{0,5}|(?:\d+\s)?more repl(?:y|ies).{0,5}|\(\d+ (?:child|children)\)"
    r"|(?:log|sign)\s?in\s(?:to|or\s\w+\sto)\s(?:reply|comment|vote|post).{0,40}"
    r"|reply to this comment|click to expand\.*|read more\.*|continue reading.{0,40}|show (?:more|less)"
    r"|(?:[+\-−]?\d+\s)?(?:points?|votes?|likes?|upvotes?|downvotes?|dislikes?|recommends?)(?:\s?[:(]?\s?\d+\)?)?"
    r"|(?:like|likes|agree|disagree|lol|thanks)\s?\(\d+\)|reactions?:.{0,200}|score:\s?-?\d+"
    r"|\[?(?:moderator|mod|admin)(?:'s)?(?:\s(?:note|edit))?\s?[:\]].{0,400}"
    r"|\[(?:removed|deleted|comment removed|comment deleted)\]|(?:\d{1,4}\.\s)?(?:pingback|trackback):.{0,300}"
    r"|(?:this |the )?comment (?:has been |was |is )?(?:removed|deleted|hidden|collapsed|flagged).{0,80}"
    r"|(?:your |this )?comment is awaiting moderation\.?|awaiting moderation\.?"
    r"|last edited(?: by)?\b.{0,120}|(?:edited|modified)\s(?:by\s.{0,40}|\d.{0,40})"
    r"|(?:posts|joined|join date|location|karma|reputation|rank|member since|messages|reaction score):\s?.{0,60}"
    r"|[^,]{1,40}(?:,\s[^,]{1,40}){0,3},?\s(?:and|und|et|и)\s\d{1,6}\s(?:others?|more|andere|autres|других)"
    r"|(?:original poster|new member|well-known member|active member|avatar|user avatar|guest)"
    r"|skip to (?:main |the )?(?:content|navigation|main|menu|footer)\b.{0,20}|advertisement|sponsored content"
    r"|(?:sign up|subscribe|register)\b.{0,80}(?:newsletter|updates|inbox)\b.{0,120}"
    r"|(?:we|this (?:web)?site|our site|the site)\s(?:uses?|use) cookies\b.{0,400}"
    r")",
    re.I,
)

_HEADER = (
    r"(?:\d+|no|one|two|three)\s(?:comments?|responses?|replies|thoughts?)(?:\s(?:on|to)\s.{1,200}|\s?[:»›]?)"
    r"|(?:comments?|kommentare|commentaires|comentarios|commenti|komentarze|reacties|kommentarer|комментарии"
    r"|коментарі|каментары)(?:\s?\(\d+\))?:?|(?:join|start) the (?:discussion|conversation)|discussion|reader comments"
    r"|(?:leave|post|add|write)\s(?:a|your)\s(?:reply|comment|response)\b.{0,40}"
    r"|(?:\d+|keine|ein|aucun|un)\s(?:kommentare?|commentaires?|comentarios?|commenti|komentarz[ey]?|комментари\w{0,3})"
    r"|(?:schreibe einen|einen) kommentar(?: schreiben)?|kommentar schreiben|laisser un commentaire|deja un comentario"
    r"|all \d+ comments|\d+ comments?\s(?:share|save|hide|report).{0,40}|sort(?:ed)? by:?\s?.{0,30}"
)
_COMMENTS_HEADER = re.compile(_HEADER, re.I)

_SHARE = r"(?:share|tweet|email|e-mail|print|copy link|facebook|twitter|x|whatsapp|telegram|linkedin|reddit|vk|mail)"
_PAGE = re.compile(
    r"(?:"
    r"skip to (?:main |the )?(?:content|navigation|main|menu|footer)\b.{0,20}|jump to (?:content|navigation)"
    rf"|{_SHARE}(?:\s?[•·|/,]?\s{_SHARE})*|share (?:this|on|via|the|article|story|post|page)\b.{{0,60}}"
    r"|(?:sign up|subscribe|register)\b.{0,80}(?:newsletter|updates|inbox|email|free)\b.{0,120}"
    r"|.{0,60}\bnewsletters?\b.{0,60}"
    r"|(?:we|this (?:web)?site|our site|the site)\s(?:uses?|use) cookies\b.{0,400}"
    r"|.{0,120}\b(?:accept|allow|reject|manage)(?: all)? cookies\b.{0,120}|cookie (?:settings|policy|preferences)"
    r"|advertisement|sponsored(?: content)?|ads?|promoted"
    r"|(?:home|menu|search|log ?in|sign in|register|subscribe|donate|about us|contact us|privacy policy|terms of use)"
    r"|(?:[^|•·]{1,25}[|•·]){3,}[^|•·]{1,25}"
    rf"|{_HEADER}"
    r"|powered by (?:disqus|wordpress|discourse|phpbb|vbulletin|xenforo|typepad).{0,40}"
    r"|(?:tags?|filed under|categories|category):.{0,200}|related(?: posts| articles| stories)?:?"
    r"|(?:read|see) (?:more|also|next)\b.{0,120}|(?:more|most) (?:from|read|popular|stories)\b.{0,60}"
    r"|(?:previous|next|older|newer) (?:post|article|story|entry)\b.{0,120}|↑?\s?back to top"
    r"|(?:board index|forums?|home)\s?[‹›»<>/].{0,200}|search this topic.{0,20}|post reply|\d+ posts? [•·].{0,60}"
    r"|page \d+ of \d+.{0,40}|(?:«\s?)?(?:prev|previous|next)(?:\s?»)?|\d+(?:\s\d+){1,8}(?:\s(?:next|»|›))?"
    r"|display posts from previous.{0,80}|jump to\b.{0,60}|who is online.{0,200}|return to\b.{0,80}"
    r"|email this (?:page|article|story) to (?:someone|a friend)|remember my information|(?:hide|show) \d+ comments?"
    r"|#\[\d{1,3}\].{0,400}"  # lynx's first line: the page's <link> feeds, "#[1]Site » Feed [2]..."
    r")",
    re.I,
)
# an author box between an article and its comments: "About Anatoly Karlin", "About the author"
_BIO = re.compile(r"(?i:about the authors?|author bio(?:graphy)?)"
                  r"|(?i:about|über|à propos de) (?:[A-ZА-Я][\w'.-]*\s?){1,3}")

_END = re.compile(
    r"(?:"
    r"(?:leave|post|add|write)\s(?:a|your)\s(?:reply|comment|response)\b.{0,40}|comments? are closed\.?"
    r"|(?:schreibe einen|einen) kommentar(?: schreiben)?|kommentar schreiben|laisser un commentaire|deja un comentario"
    r"|antworten abbrechen|annuler la réponse|cancel reply|your email address will not be published.{0,120}"
    r"|required fields are marked.{0,20}"
    r"|(?:you must be|please) log(?:ged)?\s?in to post a comment.{0,40}|post comment|submit comment"
    r"|related(?: posts| articles| stories)?:?|you (?:may|might) also like.{0,20}|recommended(?: for you)?"
    r"|(?:previous|next|older|newer) (?:post|article|story|entry)\b.{0,120}|subscribe to: post comments.{0,20}"
    r"|(?:©|copyright\s|\(c\)\s).{0,200}|all rights reserved.{0,80}|powered by .{1,40}|↑?\s?back to top"
    r"|who is online.{0,200}|display posts from previous.{0,80}|return to\b.{0,80}|similar threads"
    r"|load more comments|view more comments|show more comments"
    r")",
    re.I,
)


def is_control(s: str) -> bool:
    """True for a control, counter or moderator note that can stand inside a comment."""
    if not s or len(s) > 420:
        return False
    if len(s) <= 80:
        if s.isdigit():
            return len(s) <= 4  # a bare vote or like counter
        chars = set(s)
        if chars <= _VOTE_CHARS and chars & _VOTE_GLYPHS:
            return True
        tokens = [t for t in _SPLIT.split(s.lower()) if t]
        if tokens and all(t in _CONTROL_TOKENS or t.isdigit() for t in tokens):
            return not all(t.isdigit() or t in "+-−" for t in tokens)
    return _CONTROL.fullmatch(s) is not None


def is_comments_header(s: str) -> bool:
    """True for a line that opens the comment section (``12 comments``, ``Leave a Reply``)."""
    return bool(s) and len(s) <= 260 and _COMMENTS_HEADER.fullmatch(s) is not None


def is_page_furniture(s: str) -> bool:
    """True for a line around an article that is not part of it (navigation, notices, headers)."""
    if is_control(s):
        return True
    return len(s) <= 520 and _PAGE.fullmatch(s) is not None


def is_bio_header(s: str) -> bool:
    """True for the heading of an author box (``About Anatoly Karlin``, ``About the author``)."""
    return bool(s) and len(s) <= 60 and _BIO.fullmatch(s) is not None


def is_thread_end(s: str) -> bool:
    """True for a line after which a comment section is over (the reply form, the footer)."""
    return bool(s) and len(s) <= 260 and _END.fullmatch(s) is not None
