"""Render a docxtpl template with a brief's context: the docxtpl peer of bench/run.py.

Run as a fresh process, as a user's script would be:
    python bench/docxtpl_render.py TEMPLATE.docx CONTEXT.json OUT.docx

The context (bench/peers.py `to_context`) holds inline runs as [text, flags,
url] lists; they become docxtpl RichText here, since RichText needs the
template (for link relationships).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from docxtpl import DocxTemplate, RichText

RUN_KEYS = ("runs", "basis")  # a list of runs
RUN_LIST_KEYS = ("notes",)  # a list of lists of runs


def rich_text(runs: list[list[Any]], template: DocxTemplate) -> RichText:
    """Runs as RichText: bold, italic, superscript and hyperlinks."""
    text = RichText()
    for content, flags, url in runs:
        text.add(content, bold="b" in flags, italic="i" in flags,
                 superscript=True if "^" in flags else None,
                 url_id=template.build_url_id(url) if url else None,
                 color="1F4E79" if url else None)
    return text


def convert(value: Any, template: DocxTemplate) -> Any:
    """The context with every list of runs turned into RichText."""
    if isinstance(value, list):
        return [convert(item, template) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in RUN_KEYS:
            out[key] = rich_text(item, template)
        elif key in RUN_LIST_KEYS:
            out[key] = [rich_text(runs, template) for runs in item]
        elif key == "rows":
            out[key] = [[rich_text(cell, template) for cell in row] for row in item]
        else:
            out[key] = convert(item, template)
    return out


def main(argv: list[str]) -> int:
    """Render TEMPLATE with CONTEXT into OUT."""
    template_path, context_path, out_path = argv
    template = DocxTemplate(template_path)
    with open(context_path, encoding="utf-8") as stream:
        context = json.load(stream)
    template.render(convert(context, template), autoescape=True)
    template.save(out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
