"""A page's title, author, URL, site name and publication date through trafilatura's extractors.

trafilatura's ``extract_metadata`` also collects categories, tags and the licence, which
narrascope does not keep (about 3 ms a page), and runs htmldate's extensive date search on
every page (about 15 ms). :func:`page_metadata` runs the same steps in the same order for what
narrascope keeps, and the extensive date search only when the quick one found nothing. On the
138 benchmark, demo and fixture pages it returns the same titles, authors, sites and dates.
"""

from __future__ import annotations

from typing import Any


def date_params(extensive: bool, url: str | None) -> dict[str, Any]:
    from trafilatura.settings import set_date_params

    return {**set_date_params(extensive), "url": url}


def page_date(tree: Any, url: str | None) -> str | None:
    """htmldate's quick search (meta tags, JSON-LD, time elements, the URL), then its search of the text."""
    from htmldate import find_date

    date = find_date(tree, **date_params(False, url))
    if date:
        return str(date)
    try:
        return find_date(tree, **date_params(True, url))
    except Exception:  # noqa: BLE001 - a date we cannot find is not a failure of the page
        return None


def page_metadata(tree: Any, url: str | None = None) -> Any:
    """trafilatura's metadata ``Document`` for ``tree`` (read, never changed), without categories,
    tags and licence."""
    from courlan import extract_domain
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD reader fails on some pages; keep the meta tags
        pass
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url)
    if meta.url:
        meta.hostname = extract_domain(meta.url, fast=True)
    meta.date = page_date(tree, meta.url)
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (found := META_URL.match(meta.url)):
        meta.sitename = found[1]
    meta.clean_and_trim()
    return meta
