"""Links as a coordination network sees them: found in text, and normalised so that copies compare equal.

``http://www.Example.com/story/?utm_source=tg&id=3#top`` and ``https://example.com/story?id=3`` are
one link: the scheme, ``www.``, the letter case of the host (and its Unicode or punycode spelling),
tracking parameters, the fragment and a trailing slash say nothing about what was shared.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

#: a link in running text: up to the first space, quote or angle bracket
URL = re.compile(r"""(?:https?://|www\.)[^\s<>"'\]\[{}|\\^`]+""", re.IGNORECASE)
_TRAILING = ".,;:!?)»”’'\""

#: query parameters that track the click, not the page
TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|"
                      r"ref_src|ref_url|s_cid|cmpid|ocid|spm|share|si|feature|__twitter_impression)$",
                      re.IGNORECASE)


def find_urls(text: str) -> list[str]:
    """Every link written in ``text``, as written (less trailing punctuation), in order."""
    out = []
    for match in URL.finditer(text or ""):
        url = match.group(0).rstrip(_TRAILING)
        if url.count("(") < url.count(")") and url.endswith(")"):
            url = url[:-1]
        if len(url) > len("www.") + 2:
            out.append(url)
    return out


def normalise_url(url: str) -> str | None:
    """``host/path?query`` without scheme, ``www.``, tracking parameters, fragment or trailing slash.

    ``None`` when ``url`` holds no host (a bare ``www.`` or garbage).
    """
    raw = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.IGNORECASE):
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    if not host or "." not in host:
        return None
    try:  # bücher.example and xn--bcher-kva.example are one host
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a name IDNA can spell (a label over 63 characters): kept as written
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "").rstrip("/")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    return host + path + ("?" + urlencode(sorted(query)) if query else "")
