"""Citations and reference lists formatted by pandoc's citeproc (jgm/citeproc).

One pandoc run formats a brief: its sources go in as CSL JSON, every citation as a
`Cite` element of a pandoc JSON document (ids, prefixes, suffixes, modes, note
numbers, in reading order), and pandoc's JSON document comes back with each Cite's
rendered inlines and the reference list. The binary is the one `pypandoc-binary`
ships (else `pandoc` on PATH); nothing is fetched: a style that names an
independent parent it does not carry is refused before pandoc sees it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.util import find_spec
from pathlib import Path

from . import locators

# The JSON document format pandoc 3 reads and writes (pandoc-types 1.23).
API_VERSION = [1, 23, 1]
TIMEOUT_SECONDS = 120


class EngineError(Exception):
    """Pandoc cannot be found, or cannot format these citations in this style."""


@dataclass(frozen=True)
class CiteRequest:
    """One source in a citation, as CSL names its parts."""

    key: str
    label: str = ""  # CSL locator label: "page", "paragraph", …
    locator: str = ""
    prefix: str | list = ""  # text, or pandoc inlines
    suffix: str | list = ""
    mode: str = "normal"  # "normal", "suppress-author" or "author-in-text"


@dataclass(frozen=True)
class Cluster:
    """One citation: its sources, the number of the note it stands in (0 in running
    text), and whether its text is wanted as a note's text (`in_note`; a note style
    then prints it as it is, where pandoc would make a footnote of it and capitalise
    it)."""

    items: tuple[CiteRequest, ...]
    note: int = 0
    in_note: bool = False


@dataclass(frozen=True)
class Formatted:
    """What pandoc made of a brief: each citation's inlines and the entry of each
    source the style lists, as pandoc JSON inlines, in the reference list's order."""

    citations: tuple[list, ...]
    entries: tuple[tuple[str, list], ...]


def pandoc_binary() -> Path:
    """The pandoc that pypandoc-binary ships, found without importing pypandoc; else
    `pandoc` on PATH."""
    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("pandoc", "pandoc.exe"):
            path = Path(folder) / "files" / name
            if path.is_file():
                return path
    import shutil

    found = shutil.which("pandoc")
    if found:
        return Path(found)
    raise EngineError("pandoc is needed to format citations: install pypandoc-binary "
                      "(pip install pypandoc-binary) or put pandoc 3 on PATH")


@lru_cache(maxsize=4)
def engine_identity(binary: Path) -> str:
    """What the cache keys on for the engine: the binary's path, size and time (a
    pandoc installed anew is another engine)."""
    stat = binary.stat()
    return f"{binary} {stat.st_size} {stat.st_mtime_ns}"


@dataclass(frozen=True)
class StyleFacts:
    """What the input document needs to know of a style: its class and locale."""

    path: Path
    note: bool
    language: str

    @cached_property
    def overrides(self) -> list[dict[str, list[str]]]:
        """Its own <locale> terms for locators, by precedence (read when a document is
        made, not when a cached run is found)."""
        return locators.style_terms(self.path.read_text("utf-8", errors="replace"),
                                    self.language)


@lru_cache(maxsize=32)
def _style_facts(path: Path, _mtime: int) -> StyleFacts:
    text = path.read_text("utf-8", errors="replace")
    if re.search(r'<link\b[^>]*rel="independent-parent"', text) and \
            not re.search(r"<citation\b", text):
        raise EngineError(f"citation style '{path.name}' is a dependent style: name its "
                          "independent parent instead (nothing is fetched)")
    language = re.search(r'<style\b[^>]*\bdefault-locale="([^"]+)"', text)
    return StyleFacts(path, re.search(r'<style\b[^>]*\bclass="note"', text) is not None,
                      language.group(1) if language else "en-US")


def style_facts(path: Path) -> StyleFacts:
    return _style_facts(path, path.stat().st_mtime_ns)


# -- the input document ----------------------------------------------------------------


def words(text: str) -> list[dict]:
    """Text as pandoc inlines: words (Str) and the spaces between them (Space)."""
    out: list[dict] = []
    for index, part in enumerate(re.split(r"[ \t\n]+", text)):
        if index:
            out.append({"t": "Space"})
        if part:
            out.append({"t": "Str", "c": part})
    return out


def _affix(affix: str | list) -> list[dict]:
    return words(affix) if isinstance(affix, str) else list(affix)


def _suffix(request: CiteRequest, facts: StyleFacts) -> list[dict]:
    """The suffix pandoc parses the locator from: `{TERM VALUE}` first, then the
    writer's suffix."""
    if not request.locator:
        return _affix(request.suffix)
    term = locators.label_term(request.label or "page", facts.language, facts.overrides)
    value = locators.escape_locator(request.locator)
    locator = f", {value}" if term is None else f"{{{term} {value}}}"  # no term: text
    return words(locator) + _affix(request.suffix)


_MODES = {"normal": "NormalCitation", "suppress-author": "SuppressAuthor",
          "author-in-text": "AuthorInText"}


def _cite(cluster: Cluster, facts: StyleFacts) -> dict:
    citations = [{"citationId": r.key, "citationPrefix": _affix(
                      r.prefix.strip() if isinstance(r.prefix, str) else r.prefix),
                  "citationSuffix": _suffix(r, facts),
                  "citationMode": {"t": _MODES[r.mode]}, "citationNoteNum": cluster.note,
                  "citationHash": 0} for r in cluster.items]
    return {"t": "Cite", "c": [citations, []]}


def document(keys: list[str], clusters: list[Cluster], facts: StyleFacts) -> dict:
    """The pandoc JSON document: one paragraph per citation, then every source
    named for the reference list (nocite), in the order given."""
    blocks = []
    for cluster in clusters:
        cite = _cite(cluster, facts)
        inline = {"t": "Note", "c": [{"t": "Para", "c": [cite]}]} if cluster.in_note else cite
        blocks.append({"t": "Para", "c": [inline]})
    nocite = {"t": "Cite", "c": [[{"citationId": key, "citationPrefix": [],
                                   "citationSuffix": [],
                                   "citationMode": {"t": "NormalCitation"},
                                   "citationNoteNum": 0, "citationHash": 0}
                                  for key in keys], []]}
    meta = {"nocite": {"t": "MetaInlines", "c": [nocite]}} if keys else {}
    return {"pandoc-api-version": API_VERSION, "meta": meta, "blocks": blocks}


# -- the run -------------------------------------------------------------------------


def run(items: list[dict], style: Path, clusters: list[Cluster]) -> Formatted:
    """Format every citation and the reference list of `items` in `style`."""
    facts = style_facts(style)
    source = document([str(i["id"]) for i in items], clusters, facts)
    return parse_output(run_pandoc(source, items, style), len(clusters))


def run_pandoc(source: dict, items: list[dict], style: Path) -> dict:
    """pandoc --citeproc over the document, with the items as its bibliography."""
    import subprocess  # only here: a build that finds its run cached starts no process
    import tempfile

    binary = pandoc_binary()
    with tempfile.TemporaryDirectory(prefix="briefing-cite-") as folder:
        references = Path(folder) / "references.json"
        references.write_text(json.dumps(items, ensure_ascii=False), "utf-8")
        command = [str(binary), "--sandbox", "--citeproc", "-f", "json", "-t", "json",
                   f"--data-dir={folder}", f"--csl={style}",
                   f"--bibliography={references}"]
        try:
            done = subprocess.run(command, input=json.dumps(source, ensure_ascii=False),
                                  capture_output=True, text=True, encoding="utf-8",
                                  timeout=TIMEOUT_SECONDS, env=_environment(folder))
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"pandoc could not format the citations: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise EngineError(f"pandoc could not format the citations in style "
                          f"'{style.name}': {message[0] if message else done.returncode}")
    return json.loads(done.stdout)


def _environment(folder: str) -> dict[str, str]:
    """pandoc's environment: no user data, nothing that varies between machines."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "SYSTEMROOT", "TMP", "TEMP")}
    return {**keep, "HOME": folder, "XDG_DATA_HOME": folder, "LANG": "C.UTF-8"}


def parse_output(output: dict, count: int) -> Formatted:
    """Each citation's inlines (the text of its note, for a citation given in a note)
    and the reference list's entries, from pandoc's JSON document."""
    blocks = output["blocks"]
    citations = tuple(_cite_inlines(blocks[index]) for index in range(count))
    entries = []
    for block in blocks[count:]:
        for div in _divs(block):
            identifier, classes, _ = div["c"][0]
            if "csl-entry" in classes and identifier.startswith("ref-"):
                body = div["c"][1]
                inlines = [i for b in body if b["t"] in ("Para", "Plain") for i in b["c"]]
                if inlines:  # else the style leaves the source out of its list
                    entries.append((identifier[4:], inlines))
    return Formatted(citations, tuple(entries))


def _divs(block: dict):
    if block["t"] == "Div":
        yield block
        for child in block["c"][1]:
            yield from _divs(child)


def _cite_inlines(block: dict) -> list:
    """The rendered inlines of the first Cite in a paragraph (inside its note)."""
    for inline in block["c"]:
        if inline["t"] == "Cite":
            return inline["c"][1]
        if inline["t"] == "Note":
            for para in inline["c"]:
                for child in para.get("c", []):
                    if child["t"] == "Cite":
                        return child["c"][1]
    return []
