"""Pandoc-style citation keys in prose: `[@id]`, `[@id, p. 4]`, `[@a; @b]`, `@id`.

Only finding the keys lives here; turning them into citation nodes is compose's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A key starts after '@' that does not follow a word character (so e-mail
# addresses are not citations) and ends before trailing punctuation.
KEY = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9_-]*(?:[.:][A-Za-z0-9_-]+)*)")


def cited_keys(text: str) -> Iterator[tuple[str, int]]:
    """Each cited key in `text` with its character offset (of the '@')."""
    for match in KEY.finditer(text):
        yield match.group(1), match.start()
