"""Where each rule is documented: its family's page in the documentation site and its
anchor there, and `rule_doc_url(code)`, the address `briefing rules CODE` prints (and a
language server can link a diagnostic's code to).

The site is built from `docs/` by `mkdocs build` into the checkout's `site/` folder;
no copy of it is published. The address is that folder's, as a `file:` URL, unless
`BRIEFING_DOCS_URL` names where the site is served (`mkdocs serve`, or a copy on an
intranet): then it is that base plus the page and anchor.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

DOCS_URL_VARIABLE = "BRIEFING_DOCS_URL"
SITE = Path(__file__).resolve().parents[2] / "site"  # what `mkdocs build` writes here
RULES_FOLDER = "rules"


def family_source(family: str) -> str:
    """The family's page among the site's sources, e.g. 'rules/estimative.md'."""
    return f"{RULES_FOLDER}/{family}.md"


def family_address(family: str) -> str:
    """The family's page in the built site (mkdocs.yml: `use_directory_urls: false`)."""
    return f"{RULES_FOLDER}/{family}.html"


def anchor(code: str) -> str:
    """A rule's anchor on its family's page: 'br301' for BR301."""
    return code.lower()


def docs_base() -> str:
    """The documentation site's address: $BRIEFING_DOCS_URL, else the checkout's `site/`."""
    return os.environ.get(DOCS_URL_VARIABLE) or SITE.as_uri()


def rule_doc_url(code: str) -> str:
    """The address of a rule's section in the documentation site, e.g.
    `file:///…/site/rules/numbers.html#br301`; KeyError for a code no rule has."""
    return f"{docs_base().rstrip('/')}/{family_address(_families()[code])}#{anchor(code)}"


def missing_locally(url: str) -> bool:
    """True for a `file:` address whose page is not on disk (the site is not built)."""
    parts = urlsplit(url)
    return parts.scheme == "file" and not Path(url2pathname(parts.path)).is_file()


@cache
def _families() -> dict[str, str]:
    from .registry import all_rules

    return {code: rule.family for code, rule in all_rules().items()}
