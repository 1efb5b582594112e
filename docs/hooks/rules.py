"""MkDocs hook: the rule pages, written from the rule registry at every build.

Each family of review rules gets a page, `rules/<family>.md`, with one section per rule
whose anchor is its code (`rules/numbers.html#br301`), listed under "Rules" in the nav;
`rules/index.md` gets the table of every rule where it holds the table's mark. The
pages are never written to disk: they cannot fall out of step with the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's briefing

from briefing.review.rulepages import (  # noqa: E402
    TABLE_MARK,
    family_pages,
    nav_entries,
    rules_index_table,
)

INDEX = "rules/index.md"


def on_config(config):
    """List the family pages under the nav's "Rules", after its index."""
    for entry in config.nav or ():
        if isinstance(entry, dict) and "Rules" in entry:
            entry["Rules"] = [{"Overview": INDEX}, *nav_entries()]
    return config


def on_files(files, config):
    for path, markdown in family_pages().items():
        files.append(File.generated(config, path, content=markdown))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == INDEX:
        if TABLE_MARK not in markdown:
            raise PluginError(f"{INDEX} lost the mark where the table of rules goes")
        return markdown.replace(TABLE_MARK, rules_index_table())
    return markdown
