"""A web page saved from a browser: its main text and metadata, by trafilatura.

Navigation, footers, comments and boilerplate are left out; the title, site name,
author and date come from the page's own metadata (a date only where the page
declares one: no guessing from its address or text), the address from its
canonical link or `og:url`, the language from `<html lang>` or `og:locale`.
"""

from __future__ import annotations

import re

from .extracted import Extracted, IngestError, date_of, language_tag, paragraphs_of, web_address

_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)",
                   re.I)
_LOCALE = re.compile(rb"<meta\b[^>]*?property\s*=\s*[\"']og:locale[\"'][^>]*?content\s*=\s*"
                     rb"[\"']([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.I)


def extract(data: bytes, name: str) -> Extracted:
    """The article text and metadata of the HTML page `data` (from the file `name`)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_images=False,
        include_links=False, include_formatting=False, include_tables=True,
        deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    paragraphs = paragraphs_of((document.text or "").split("\n")) if document else []
    if not paragraphs:
        raise IngestError(f"{name} holds no article text that could be told from the "
                          "page's navigation and boilerplate")
    declared = _LANG.search(data[:200_000]) or _LOCALE.search(data[:200_000])
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return Extracted(
        "HTML", paragraphs, title=(document.title or "").strip() or None, authors=authors,
        date=date_of(document.date), site=(document.sitename or "").strip() or None,
        url=web_address(document.url),
        language=language_tag(declared.group(1).decode("ascii")) if declared else None)
