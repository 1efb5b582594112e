"""Where a note mark sits in running text, and how a citation joins a note's text.

A note mark is joined to the word before it (no space a line could break at)
and follows the punctuation after it, as English, German and most house styles
want ("… the invasion;¹ he …"); in French it precedes the punctuation. A
citation printed inside a note's own text gives up its final full stop to the
note's next sentence instead of doubling it ("… para. 7. Source …").
"""

from __future__ import annotations

import re

from . import tree as t

# Marks after which a note number goes (Chicago 14.26: every mark but the dash).
_FOLLOWS = ".,;:!?)”’»"
# Languages whose typography puts the note call before the punctuation.
MARK_BEFORE_PUNCTUATION = {"fr"}
_CLAUSE = ".,;:!?"
_LEADING = re.compile(rf"^[{re.escape(_FOLLOWS)}]+")


def mark_follows_punctuation(language: str) -> bool:
    """Whether a note mark goes after a following full stop, comma … in `language`."""
    return language.split("-")[0].lower() not in MARK_BEFORE_PUNCTUATION


def place_notes(nodes: tuple[t.Inline, ...], language: str) -> tuple[t.Inline, ...]:
    """Join each note mark to its word and put it on the right side of punctuation;
    drop the full stop a citation inside a note would double."""
    out = list(nodes)
    after = mark_follows_punctuation(language)
    i = 0
    while i < len(out):
        node = out[i]
        following = out[i + 1] if i + 1 < len(out) else None
        if isinstance(node, t.Footnote):
            if i and isinstance(out[i - 1], t.Text):
                out[i - 1] = t.Text(out[i - 1].text.rstrip())
            if after and isinstance(following, t.Text):
                punctuation = _LEADING.match(following.text)
                if punctuation:
                    marks = punctuation.group(0)
                    out[i + 1] = t.Text(following.text[len(marks):])
                    if i and isinstance(out[i - 1], t.Text) and \
                            out[i - 1].text.endswith(tuple(_CLAUSE)):
                        pass  # "for it, [@x], is": the comma is there already
                    elif i and isinstance(out[i - 1], t.Text):
                        out[i - 1] = t.Text(out[i - 1].text + marks)
                    else:
                        out.insert(i, t.Text(marks))
                        i += 1
        elif (isinstance(node, t.Citation) and isinstance(following, t.Text)
              and following.text.startswith(".") and t.plain_text(node.children).endswith(".")):
            out[i + 1] = t.Text(following.text[1:])
        i += 1
    return tuple(n for n in out if not (isinstance(n, t.Text) and not n.text))
