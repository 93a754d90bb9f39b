"""Plain-text renderings of an HTML page, made the way analysts and archiving scripts make them.

Each renderer takes the page's HTML (a string) and returns the text a real tool prints for it:
the text browsers ``lynx -dump``, ``w3m -dump`` and Debian's ``html2text`` (run as programs,
so they must be installed), ``inscriptis`` and trafilatura's text output with the comments kept
(Python libraries, imported when used). :func:`available` says which of them this machine has.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable

TIMEOUT_S = 60


def _program(args: list[str], html: str) -> str:
    """Run a text browser over ``html`` written to a temporary file; its standard output."""
    with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8", delete=False) as f:
        f.write(html)
        path = f.name
    try:
        done = subprocess.run([*args, path], capture_output=True, timeout=TIMEOUT_S, check=False,
                              env={**os.environ, "HOME": tempfile.gettempdir(), "LANG": "C.UTF-8"})
    finally:
        os.unlink(path)
    return done.stdout.decode("utf-8", errors="replace")


def lynx(html: str) -> str:
    """``lynx -dump``: links numbered in the text and listed under ``References`` at the end."""
    return _program(["lynx", "-dump", "-force_html", "-assume_charset=utf-8", "-display_charset=utf-8"], html)


def w3m(html: str) -> str:
    """``w3m -dump``: lists as ``•`` bullets, nested lists indented."""
    return _program(["w3m", "-dump", "-T", "text/html", "-I", "utf-8", "-O", "utf-8"], html)


def html2text(html: str) -> str:
    """Debian's ``html2text`` (1.3): lists as ``*`` bullets, 79 columns, no backspace overstrike."""
    return _program(["html2text", "-utf8", "-nobs"], html)


def inscriptis(html: str) -> str:
    """``inscriptis.get_text``: nested lists as ``*`` then ``+`` bullets, indented."""
    from inscriptis import get_text

    return get_text(html)


def trafilatura_comments(html: str) -> str:
    """``trafilatura.extract`` with ``include_comments=True``: the article, then the comments as one blob."""
    import trafilatura

    return trafilatura.extract(html, include_comments=True, favor_recall=False) or ""


RENDERERS: dict[str, Callable[[str], str]] = {
    "lynx": lynx, "w3m": w3m, "html2text": html2text, "inscriptis": inscriptis, "trafilatura": trafilatura_comments,
}
_PROGRAMS = {"lynx": "lynx", "w3m": "w3m", "html2text": "html2text"}


def available() -> list[str]:
    """Names of the renderers this machine can run (the programs on ``PATH``, the libraries importable)."""
    import importlib.util

    names = []
    for name in RENDERERS:
        if name in _PROGRAMS:
            if shutil.which(_PROGRAMS[name]):
                names.append(name)
        elif importlib.util.find_spec(name) is not None:
            names.append(name)
    return names
