"""Language identification with py3langid, whose model ships inside the package."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

MIN_CHARS = 20


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...] | None) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if languages:
        ident.set_languages(list(languages))
    return ident


def identify(text: str, languages: Iterable[str] | None = None, min_chars: int = MIN_CHARS) -> str | None:
    """ISO 639-1 code of ``text``'s language, or ``None`` when the text is too short to tell.

    ``languages`` restricts the candidates (for example ``["en", "ru", "uk", "de"]``).
    Only the first 3,000 characters are looked at: enough for a page, and 7x faster than 20,000.
    """
    sample = text[:3000]
    if sum(map(str.isalpha, sample)) < min_chars:
        return None
    lang, _ = _identifier(tuple(sorted(languages)) if languages else None).classify(sample)
    return str(lang)
