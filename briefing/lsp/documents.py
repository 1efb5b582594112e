"""The editor's files and the briefs they belong to: file URIs and paths, the text of a
file (the editor's unsaved text where it has one, else the file on disk), and which
brief (a folder of YAML files, or one file) a YAML file is part of."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from briefing.core.terminal import display_path
from briefing.load import YAML_SUFFIXES

# A top-level key only a brief has: tells a brief's file from a layout's or another YAML.
_BRIEF_KEY = re.compile(r"^(?:id|title|key_judgments|sources|bluf)\s*:", re.MULTILINE)
_OWN_ID = re.compile(r"^id\s*:", re.MULTILINE)

TextOf = Callable[[Path], str]


def uri_path(uri: str) -> Path | None:
    """The file a `file:` URI names, or None for another scheme."""
    parts = urlsplit(uri)
    if parts.scheme != "file":
        return None
    return Path(url2pathname(unquote(parts.path)))


def path_uri(path: Path) -> str:
    return path.absolute().as_uri()


def lines_of(text: str) -> list[str]:
    """The lines of `text` as the protocol counts them (\\n, \\r\\n or \\r ends one)."""
    return re.split(r"\r\n|\r|\n", text)


def reader(unsaved: Mapping[Path, str]) -> TextOf:
    """A function giving a file's text: the editor's unsaved text, else what is on disk
    ('' for a file that cannot be read)."""
    def text_of(path: Path) -> str:
        if path in unsaved:
            return unsaved[path]
        try:
            return path.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return ""
    return text_of


def brief_of(file: Path, text_of: TextOf) -> Path | None:
    """The brief `file` is part of: its folder when the folder's YAML files make one
    brief, the file itself when several of them declare their own `id` (a folder of
    one-file briefs), None when no file there has a brief's top-level keys (a layout)."""
    if file.suffix not in YAML_SUFFIXES:
        return None
    folder = file.parent
    try:
        siblings = sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES)
    except OSError:
        siblings = []
    if file not in siblings:
        siblings.append(file)
    texts = {p: text_of(p) for p in siblings}
    if not _BRIEF_KEY.search(texts[file]) and not any(
            _BRIEF_KEY.search(t) for t in texts.values()):
        return None
    if sum(bool(_OWN_ID.search(t)) for t in texts.values()) > 1:
        return file
    return folder


def file_of(shown: str, files: tuple[Path, ...]) -> Path | None:
    """The file a finding's place names (`Place.path`, as `display_path` showed it): one
    of the brief's `files`, else any file on disk; None for a place that is no file."""
    for file in files:
        if display_path(file) == shown:
            return file
    path = Path(shown)
    path = path if path.is_absolute() else Path.cwd() / path
    return path if path.is_file() else None
