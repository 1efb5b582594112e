"""Layouts: `layouts/<name>/layout.yaml` (page, fonts, named styles) plus templates.

Both renderers read the same named styles, so the DOCX's Word styles match
the PDF's look. Errors point at the line and column of layout.yaml.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from briefing.core.confine import (
    ConfinementError,
    allowed_roots,
    confine,
    project_root,
    regular_file,
    too_big,
)
from briefing.core.findings import ContentError, Finding, Place, did_you_mean
from briefing.core.limits import (
    MAX_FONT_BYTES,
    MAX_REFERENCE_BYTES,
    MAX_REFERENCE_INFLATED,
    MAX_REFERENCE_PARTS,
    MAX_REFERENCE_RATIO,
    MIN_RATIO_CHECKED,
)
from briefing.core.safexml import dtd_problem
from briefing.core.terminal import display_path
from briefing.model import ReviewSettings, Strict, placeholders

from .errors import COLOUR_PATTERN, validation_findings
from .layout_ranges import range_findings
from .yamlpos import Located, load_yaml

PACKAGE_FONTS = Path(__file__).resolve().parents[1] / "data" / "fonts"
LAYOUT_DIRS_ENV = "BRIEFING_LAYOUTS"

Colour = Annotated[str, Field(pattern=COLOUR_PATTERN, description="#RRGGBB")]

# Every style a template or renderer may name. Word's built-in headings keep
# their names so the navigation pane and TOC work.
STYLE_NAMES = (
    "Body", "Title", "Subtitle", "Cover Meta", "Heading 1", "Heading 2", "Heading 3",
    "BLUF", "BLUF Title", "Key Judgment", "Judgment Meta", "Basis", "Evidence", "Quote",
    "List", "Table Text", "Table Header", "Source Entry", "Note", "Footnote Text",
    "Marking", "Header", "Footer", "Caption",
)
BOX_STYLES = ("Box", "BLUF Box")


class Style(Strict):
    """A named paragraph style; unset values come from `based_on` (default Body)."""

    based_on: str | None = None
    font: str | None = None
    size: float | None = Field(None, description="points")
    leading: float | None = Field(None, description="points, baseline to baseline")
    colour: Colour | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: Literal["left", "center", "right", "justify"] | None = None
    space_before: float | None = None
    space_after: float | None = None
    indent_left: float | None = None
    indent_right: float | None = None
    first_line_indent: float | None = None
    keep_with_next: bool | None = None
    background: Colour | None = None
    border: Colour | None = None


class BoxStyle(Strict):
    background: Colour = "#F2F4F7"
    border: Colour = "#12355B"
    border_width: float = 0.8
    padding: float = 8


class FontFamily(Strict):
    """TrueType files of one family: a file name in the package's fonts or a path."""

    regular: str
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None

    def files(self) -> dict[str, str]:
        """The file of each weight the family has, by weight ("regular", "bold" …)."""
        return {weight: getattr(self, weight) for weight in type(self).model_fields
                if getattr(self, weight)}


class Page(Strict):
    size: Literal["A4", "Letter"] = "A4"
    margin_top: float = Field(28, description="millimetres")
    margin_bottom: float = 24
    margin_left: float = 22
    margin_right: float = 22


class MarkingStyle(Strict):
    height: float = Field(6, description="banner height, mm")
    size: float = 8
    font: str = "sans"


class Labels(Strict):
    """Words the renderers add around the content, in the brief's language."""

    basis: str = Field("Basis: ", description="before a key judgment's basis")
    notes: str = Field("Notes", description="heading of the PDF's endnotes (ReportLab)")
    contents: str = Field("Contents", description="heading of the DOCX's contents list")


class Colours(Strict):
    """Colours of what the renderers draw besides the named styles."""

    link: Colour = "#1F4E8C"
    table_rule: Colour = "#C9D1DB"
    table_header: Colour = "#12355B"
    scale_on: Colour = Field("#12355B", description="a lit likelihood/confidence bar")
    scale_off: Colour = Field("#D5DBE3", description="an unlit bar")


class Layout(Strict):
    """A layout: how a brief looks, shared by the PDF and DOCX renderers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    template: str = "brief.xml.j2"
    citation_style: str = "apa"
    page: Page = Field(default_factory=Page)
    fonts: dict[str, FontFamily]
    fallback_fonts: list[str] = Field(default_factory=list)
    styles: dict[str, Style] = Field(default_factory=dict)
    boxes: dict[str, BoxStyle] = Field(default_factory=dict)
    header: str = "{title}"
    footer: str = "Page {page} of {pages}"
    marking: MarkingStyle = Field(default_factory=MarkingStyle)
    labels: Labels = Field(default_factory=Labels)
    colours: Colours = Field(default_factory=Colours)
    pdf_engine: Literal["reportlab", "typst"] = Field(
        "typst", description="what draws the PDF: Typst (the default: a tagged PDF/UA-1 "
        "with page footnotes) or ReportLab (untagged, endnotes; the low-memory choice for "
        "very long briefs); `build --pdf-engine` overrides it")
    reference_docx: str | None = Field(
        None, description="a Word file (relative to the layout folder) whose styles, "
        "numbering, page setup and headers win; the layout fills only what it lacks")
    max_pages: int | None = Field(None, ge=1, description="fail the build if exceeded")
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    review_comments: bool = Field(False, description="put every validate finding in the "
                                  "DOCX as a Word comment on its field (build --comments)")

    @model_validator(mode="after")
    def _has_body(self) -> Layout:
        if "Body" not in self.styles:
            raise ValueError("styles must define 'Body'")
        return self


@dataclass(frozen=True)
class LoadedLayout:
    layout: Layout
    folder: Path
    located: Located

    @cached_property
    def roots(self) -> tuple[Path, ...]:
        """Where this layout's files may lie: its project, and the package."""
        return allowed_roots(project_root(self.folder))

    def font_path(self, file: str) -> Path:
        """A font file in the layout's folder (confined), else in the package's fonts.

        Raises ConfinementError for a file that resolves outside the allowed roots."""
        try:
            return confine(file, self.folder, self.roots, "font file")
        except FileNotFoundError:
            return PACKAGE_FONTS / Path(file).name if "/" not in file else self.folder / file

    def reference_path(self) -> Path:
        """The reference_docx, confined; raises ConfinementError (or FileNotFoundError)."""
        name = self.layout.reference_docx or ""
        try:
            return confine(name, self.folder, self.roots, "reference_docx")
        except FileNotFoundError:
            return self.folder / name

    def style(self, name: str) -> dict:
        """The fully resolved values of style `name` (inheritance applied)."""
        return resolve_style(self.layout, name)

    def box(self, name: str) -> BoxStyle:
        """The look of box style `name` (the defaults when the layout has none)."""
        return self.layout.boxes.get(name) or BoxStyle()


def resolve_style(layout: Layout, name: str, _seen: tuple = ()) -> dict:
    style = layout.styles.get(name)
    base_name = (style.based_on if style and style.based_on else
                 ("Body" if name != "Body" else None))
    values: dict = {}
    if base_name and base_name not in _seen:
        values = resolve_style(layout, base_name, (*_seen, name))
    if style:  # its fields are plain values: read, not dumped (which builds a serialiser)
        values.update({k: getattr(style, k) for k in type(style).model_fields
                       if getattr(style, k) is not None and k != "based_on"})
    return values


PROJECT_LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"


def layout_dirs(start: Path, project: Path | None = None) -> list[Path]:
    """Folders named `layouts` from `start` up to its project folder (never above it),
    nearest first, then the layouts of the project briefing was installed from
    (an editable install), if there."""
    project = project or project_root(start)
    found = []
    for folder in (start, *start.parents):
        if (folder / "layouts").is_dir():
            found.append(folder / "layouts")
        if folder.resolve() == project or not folder.resolve().is_relative_to(project):
            break
    if PROJECT_LAYOUTS.is_dir() and PROJECT_LAYOUTS not in found:
        found.append(PROJECT_LAYOUTS)
    return found


def layout_names(start: Path) -> list[str]:
    """The names of the layouts a brief in `start` can name (each folder holding a
    layout.yaml in one of its `layout_dirs`), sorted."""
    return sorted({folder.name for layouts in layout_dirs(start)
                   for folder in layouts.iterdir() if (folder / "layout.yaml").is_file()})


class NoSuchLayout(ContentError):
    """No layouts folder holds a layout of the name (not: one that may not be read)."""


def find_layout(name: str, start: Path, trusted: bool = False) -> Path:
    """The layout.yaml of the layout `name` (a name, a folder or a layout.yaml) for
    a brief in `start`. A path a brief names must stay inside its project or the
    package; one given on the command line (`trusted`) is the user's own choice."""
    if "/" in name or name.endswith(".yaml"):
        written = name if name.endswith(".yaml") else f"{name.rstrip('/')}/layout.yaml"
        if trusted:
            return Path(written)
        try:
            return confine(written, start, allowed_roots(project_root(start)), "layout")
        except FileNotFoundError:
            raise ContentError([Finding(Place(name), "error", f"layout '{name}' not found "
                                        f"(no {written} in {display_path(start)})",
                                        rule="BR811")]) from None
        except ConfinementError as exc:
            raise ContentError([Finding(Place(name), "error", str(exc),
                                        rule="BR811")]) from None
    roots = allowed_roots(project_root(start))
    for folder in layout_dirs(start):
        try:
            return confine("layout.yaml", folder / name, roots, "layout",
                           label=f"layout '{name}'")
        except FileNotFoundError:
            continue
        except ConfinementError as exc:
            raise ContentError([Finding(Place(name), "error", str(exc),
                                        rule="BR811")]) from None
    raise NoSuchLayout([Finding(Place(name), "error", f"no layout named '{name}' "
                                f"(looked in {', '.join(map(str, layout_dirs(start)))})",
                                rule="BR811")])


def font_problem(loaded: LoadedLayout, file: str) -> str | None:
    """Why the font file `file` of a layout cannot be used, or None."""
    try:
        path = loaded.font_path(file)
    except ConfinementError as exc:
        return str(exc)
    if not path.is_file():
        return (f"font file '{file}' not found (looked in {loaded.folder} and the "
                "package's fonts)")
    if not file.lower().endswith(".ttf"):
        return (f"font file '{file}' is not a TrueType (.ttf) font; ReportLab cannot embed "
                "CFF/OTF/OTC fonts")
    try:
        size = regular_file(path, f"font file '{file}'").st_size
    except (ConfinementError, OSError) as exc:
        return str(exc)
    if size > MAX_FONT_BYTES:
        return too_big(f"font file '{file}'", size, MAX_FONT_BYTES, "MAX_FONT_BYTES")
    if not path.is_relative_to(PACKAGE_FONTS.resolve()):
        return ttf_problem(path, file)
    return None


def ttf_problem(path: Path, file: str) -> str | None:
    """Why ReportLab cannot read the TrueType file at `path`, or None (cached)."""
    info = path.stat()
    return _ttf_problem(path, info.st_size, info.st_mtime_ns, file)


@lru_cache(maxsize=64)
def _ttf_problem(path: Path, _size: int, _mtime: int, file: str) -> str | None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        TTFontFile(str(path), validate=False)
    except Exception as exc:  # noqa: BLE001 - ReportLab raises many kinds for a bad file
        reason = str(exc).split("\n")[0] or type(exc).__name__
        return f"font file '{file}' cannot be read as a TrueType font ({reason[:200]})"
    return None


def load_layout(path: Path) -> LoadedLayout:
    """Load and check a layout.yaml; raise ContentError with located findings."""
    located = load_yaml(path, display_path(path))
    try:
        layout = Layout.model_validate(located.data)
    except ValidationError as exc:
        raise ContentError(validation_findings(exc, located, Layout, rule="BR812")) from None
    loaded = LoadedLayout(layout, path.parent, located)
    findings = list(_check(loaded))
    if findings:
        raise ContentError(findings)
    return loaded


def reference_problem(path: Path) -> str | None:
    """Why `path` cannot be a layout's reference.docx, or None if it can.

    Besides being a Word document, it must stay within the limits: its size on
    disk, its total inflated size and each part's inflation ratio (a zip bomb
    would otherwise take gigabytes), and no XML part may declare a DTD.
    """
    try:
        info = regular_file(path, "it")
    except FileNotFoundError:
        return "not found"
    except ConfinementError as exc:
        return str(exc).removeprefix("it ")
    if info.st_size > MAX_REFERENCE_BYTES:
        return (f"is {info.st_size:,} bytes; the limit is {MAX_REFERENCE_BYTES:,} bytes "
                "(MAX_REFERENCE_BYTES)")
    try:
        with zipfile.ZipFile(path) as package:
            return _package_problem(package)
    except zipfile.BadZipFile:
        return "is not a Word document (not a zip file)"
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"


def _package_problem(package: zipfile.ZipFile) -> str | None:
    entries = package.infolist()
    if len(entries) > MAX_REFERENCE_PARTS:
        return (f"has {len(entries):,} parts; the limit is {MAX_REFERENCE_PARTS:,} "
                "(MAX_REFERENCE_PARTS)")
    inflated = sum(e.file_size for e in entries)
    if inflated > MAX_REFERENCE_INFLATED:
        return (f"inflates to {inflated:,} bytes; the limit is {MAX_REFERENCE_INFLATED:,} "
                "bytes (MAX_REFERENCE_INFLATED; a zip bomb?)")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MIN_RATIO_CHECKED and ratio > MAX_REFERENCE_RATIO:
            return (f"has a part, {entry.filename}, that inflates {ratio:,.0f} times; the "
                    f"limit is {MAX_REFERENCE_RATIO} (MAX_REFERENCE_RATIO; a zip bomb?)")
    names = {e.filename for e in entries}
    for required in ("word/document.xml", "[Content_Types].xml"):
        if required not in names:
            return f"is not a Word document (it has no {required})"
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            problem = dtd_problem(package.read(entry))
            if problem:
                return f"has a part, {entry.filename}, that {problem}"
    return None


def _check(loaded: LoadedLayout):
    layout, located = loaded.layout, loaded.located
    yield from range_findings(layout, located, resolve_style)
    for name, style in layout.styles.items():
        if name not in STYLE_NAMES:
            hint = did_you_mean(name, STYLE_NAMES)
            yield Finding(located.place(("styles", name), key=True), "error",
                          f"unknown style name '{name}'{hint}", rule="BR812")
        if style.font and style.font not in layout.fonts:
            yield Finding(located.place(("styles", name, "font")), "error",
                          f"style '{name}' uses font family '{style.font}', which "
                          f"'fonts' does not define", rule="BR812")
        if style.based_on and style.based_on not in layout.styles:
            yield Finding(located.place(("styles", name, "based_on")), "error",
                          f"style '{name}' is based on unknown style '{style.based_on}'",
                          rule="BR812")
    for key in ("header", "footer"):
        for problem in placeholders.problems(getattr(layout, key)):
            yield Finding(located.place((key,)), "error", f"{key}: {problem}", rule="BR812")
    for name in layout.boxes:
        if name not in BOX_STYLES:
            yield Finding(located.place(("boxes", name), key=True), "error",
                          f"unknown box style '{name}' (known: {', '.join(BOX_STYLES)})",
                          rule="BR812")
    for family, files in layout.fonts.items():
        for weight, file in files.model_dump().items():
            if not file:
                continue
            problem = font_problem(loaded, file)
            if problem:
                yield Finding(located.place(("fonts", family, weight)), "error", problem,
                              rule="BR812")
    for i, family in enumerate(layout.fallback_fonts):
        if family not in layout.fonts:
            yield Finding(located.place(("fallback_fonts", i)), "error",
                          f"fallback font family '{family}' is not defined in 'fonts'",
                          rule="BR812")
    if layout.marking.font not in layout.fonts:
        yield Finding(located.place(("marking", "font")), "error",
                      f"marking font family '{layout.marking.font}' is not defined",
                      rule="BR812")
    if "Body" in layout.styles and not resolve_style(layout, "Body").get("font"):
        yield Finding(located.place(("styles", "Body")), "error",
                      "style 'Body' needs a font", rule="BR812")
    if layout.reference_docx:
        try:
            problem = reference_problem(loaded.reference_path())
        except ConfinementError as exc:
            problem = str(exc).removeprefix(f"reference_docx '{layout.reference_docx}' ")
        if problem:
            yield Finding(located.place(("reference_docx",)), "error",
                          f"reference_docx '{layout.reference_docx}' {problem}", rule="BR812")
