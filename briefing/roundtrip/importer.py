"""`briefing import`: map a returned DOCX back onto the brief's YAML.

Each field the build marked is found again by its hidden bookmark and compared
with what the build showed; a changed field becomes inline Markdown and replaces
its scalar in the YAML. What cannot be taken over safely is refused with the
DOCX paragraph it concerns (a deleted field, text outside any field, a citation
typed over as plain text, a field edited differently where it appears twice), and
a field changed in the YAML since the build as well as in Word is a conflict.
Edits to generated text (labels, headings, the reference list) are ignored and said so.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from briefing.build.inputs import content_digest
from briefing.build.validate import validate
from briefing.compose.fields import FieldInfo, field_infos
from briefing.core.findings import Finding
from briefing.core.terminal import display_path
from briefing.load.brief import LoadedBrief
from briefing.render.docx.field_marks import (
    Occurrence,
    canonical,
    framed_atoms,
    occurrences,
    paragraph_keys,
)
from briefing.render.docx.manifest import FieldRecord, Manifest, find_manifest
from briefing.render.docx.wordml import Atom, Para, WordDocument, plain, read_docx
from briefing.render.redline import AUTHOR as REDLINE_AUTHOR

from .emphasis import keep_unseen
from .markdown import CitationError, CitationSlot, reread_citation, to_markdown
from .yamlpatch import PatchError, patch_text

REVIEWER = "briefing"
EXCERPT = 60


class ImportFailure(Exception):
    """The returned file cannot be imported at all (not a DOCX, no manifest, another brief)."""


@dataclass
class Edit:
    """One field changed in the DOCX: its key, where the YAML holds it, old and new."""

    key: str
    info: FieldInfo
    old: str
    new: str


@dataclass
class ImportResult:
    """What a returned DOCX would change, and why some of it cannot be taken over."""

    edits: list[Edit] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    old_texts: dict[Path, str] = field(default_factory=dict)
    new_texts: dict[Path, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    yaml_changed_since_build: bool = False

    @property
    def blocked(self) -> bool:
        return bool(self.refusals or self.conflicts)

    def diff(self) -> str:
        """A unified diff of the YAML files the import would change."""
        out = []
        for path, new in self.new_texts.items():
            name = display_path(path)
            out.extend(difflib.unified_diff(self.old_texts[path].splitlines(keepends=True),
                                            new.splitlines(keepends=True),
                                            f"a/{name}", f"b/{name}"))
        return "".join(out)


def _excerpt(text: str) -> str:
    text = " ".join(text.replace("\ufdd3", "").split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


def _where(docx: str, para: Para | None) -> str:
    if para is None:
        return docx
    return f'{docx}: paragraph {para.number} ("{_excerpt(para.text)}")'


def _stood(docx: str, before: Para | None, after: Para | None) -> str:
    """Where a paragraph no longer in the DOCX stood: after the paragraph now before
    that place (or before the one now after it)."""
    if before is not None:
        return f'{docx}: after paragraph {before.number} ("{_excerpt(before.text)}")'
    if after is not None:
        return f'{docx}: before paragraph {after.number} ("{_excerpt(after.text)}")'
    return docx


def _kind(key: str) -> str:
    """A field key's kind: 'evidence:ev-x.text' → 'evidence:.text'."""
    prefix, _, rest = key.partition(":")
    return f"{prefix}:.{rest.rpartition('.')[2]}"


def _cased(text: str) -> bool:
    return any(c.lower() != c.upper() for c in text)


def mirror_change(old: str, new: str, twin: str) -> str | None:
    """`twin` (`old` in other capitals) changed as `old` became `new`; None when that
    cannot be done without guessing at the capitals of new letters."""
    if len(old) != len(twin) or old.casefold() != twin.casefold():
        return None
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(twin[a0:a1])
        elif _cased(new[b0:b1]) and twin[a0:a1] != old[a0:a1]:
            return None
        elif _cased(new[b0:b1]) and a0 == a1 and not _agrees_around(old, twin, a0):
            return None
        else:
            out.append(new[b0:b1])
    return "".join(out)


def _agrees_around(old: str, twin: str, at: int) -> bool:
    """The two agree, capitals and all, on the words around position `at`."""
    low = old.rfind(" ", 0, max(at - 1, 0)) + 1
    high = old.find(" ", at + 1)
    high = len(old) if high < 0 else high
    return old[low:high] == twin[low:high]


class _Importer:
    def __init__(self, loaded: LoadedBrief, document: WordDocument, manifest: Manifest,
                 docx_name: str):
        self.loaded = loaded
        self.document = document
        self.manifest = manifest
        self.docx = docx_name
        self.current = field_infos(loaded.brief, loaded.located)
        self.known = {source.id for source in loaded.brief.sources}
        self.found = occurrences(document.paragraphs)
        self.paras = {p.number: p for p in document.paragraphs}
        self.result = ImportResult()
        self.recovered: dict[str, Para] = {}  # lost bookmark → the paragraph standing for it
        self.returned = paragraph_keys(document, self.touched())
        self.align()

    # -- where each paragraph of the build stands now ---------------------------

    def align(self) -> None:
        """Line the build's paragraphs up with the returned ones. A field whose bookmark
        is gone (Word drops it when a whole paragraph is pasted over) is found again by
        its place: a paragraph of the field's style standing between the same
        neighbours is that field, edited."""
        keys = [k for k, _ in self.returned]
        matcher = difflib.SequenceMatcher(None, self.manifest.paragraphs, keys, autojunk=False)
        self.opcodes = matcher.get_opcodes()
        styles = self.field_styles()
        singles = {o["bookmark"]: (record, index) for record in self.manifest.fields.values()
                   for index, o in enumerate(record.occurrences) if o["single"]}
        for op, a0, a1, b0, b1 in self.opcodes:
            if op != "replace":
                continue
            lost = [k[2:] for k in self.manifest.paragraphs[a0:a1]
                    if k.startswith("f:") and k[2:] not in self.found and k[2:] in singles]
            candidates = [p for k, p in self.returned[b0:b1] if k.startswith("g:")]
            for name in lost:
                record, index = singles[name]
                wanted = styles.get((_kind(record.key), index))
                match = next((p for p in candidates if wanted is None or p.style in wanted),
                             None)
                if match is None:
                    continue
                candidates = candidates[candidates.index(match) + 1:]
                self.recovered[name] = match
        if self.recovered:
            numbers = {p.number: name for name, p in self.recovered.items()}
            self.returned = [(f"f:{numbers[p.number]}" if p.number in numbers else k, p)
                             for k, p in self.returned]
            keys = [k for k, _ in self.returned]
            matcher = difflib.SequenceMatcher(None, self.manifest.paragraphs, keys,
                                              autojunk=False)
            self.opcodes = matcher.get_opcodes()

    def field_styles(self) -> dict[tuple[str, int], set[str]]:
        """The paragraph styles fields of each kind (and occurrence) stand in here."""
        out: dict[tuple[str, int], set[str]] = {}
        for record in self.manifest.fields.values():
            for index, stored in enumerate(record.occurrences):
                occurrence = self.found.get(stored["bookmark"])
                if occurrence is not None and stored["single"]:
                    para = self.paras.get(occurrence.paragraphs[0])
                    if para is not None:
                        out.setdefault((_kind(record.key), index), set()).add(para.style)
        return out

    def stood(self, bookmark: str) -> str:
        """Where the paragraph of a field no longer in the DOCX stood."""
        target = f"f:{bookmark}"
        if target not in self.manifest.paragraphs:
            return self.docx
        index = self.manifest.paragraphs.index(target)
        for _, a0, a1, b0, b1 in self.opcodes:
            if a0 <= index < a1:
                before = self.returned[b0 - 1][1] if b0 > 0 else None
                after = self.returned[b1][1] if b1 < len(self.returned) else None
                return _stood(self.docx, before, after)
        return self.docx

    # -- fields ---------------------------------------------------------------

    def run(self) -> ImportResult:
        self.result.yaml_changed_since_build = (content_digest(self.loaded)
                                                != self.manifest.content)
        for record in self.manifest.fields.values():
            self.field(record)
        self.generated()
        self.review_comments()
        return self.result

    def place(self, key: str, record: FieldRecord) -> str:
        info = self.current.get(key)
        if info is not None:
            located = self.loaded.located.place(info.path)
            if located is not None:
                return f"{located.path}:{located.line}"
        return f"{record.file}:{record.line}"

    def field(self, record: FieldRecord) -> None:
        versions: dict[str, Para | None] = {}
        deleted: str | None = None
        for stored in record.occurrences:
            occurrence = self.found.get(stored["bookmark"])
            para = self.paras.get(occurrence.paragraphs[0]) if occurrence else None
            if occurrence is None and stored["bookmark"] in self.recovered:
                para = self.recovered[stored["bookmark"]]
                atoms = self.restored(record, stored, para)
            else:
                atoms = self.atoms(record, occurrence, stored, para) if occurrence else []
            if not "".join(plain(a) for a in atoms).strip():
                deleted = _where(self.docx, para) if para is not None else self.stood(
                    stored["bookmark"])
                continue
            if canonical(atoms, self.document.footnotes) == stored["shown"]:
                continue
            markdown = self.markdown(record, atoms, para, stored["shown"])
            if markdown is not None and markdown != record.markdown:
                versions.setdefault(markdown, para)
        self.decide(record, versions, deleted)

    def atoms(self, record: FieldRecord, occurrence: Occurrence, stored: dict,
              para: Para | None) -> list[Atom]:
        """A field's atoms: the paragraph less the generated text around it when it is
        alone in its paragraph (robust to a moved bookmark), else the bookmark's span."""
        if stored["single"] and para is not None and len(occurrence.paragraphs) == 1:
            framed = framed_atoms(para, stored["before"], stored["after"])
            if framed is not None:
                return framed
            self.result.ignored.append(
                f"{_where(self.docx, para)}: warning: the generated text around field "
                f"'{record.key}' ({self.place(record.key, record)}) was changed; that change "
                "is ignored")
        return occurrence.atoms

    def markdown(self, record: FieldRecord, atoms: list[Atom], para: Para | None,
                 shown: str = "") -> str | None:
        atoms, ambiguous = keep_unseen(record.markdown, shown, atoms)
        for span in ambiguous:
            self.result.ignored.append(
                f"{_where(self.docx, para)}: warning: field '{record.key}' "
                f"({self.place(record.key, record)}) had {span.markup}, which the DOCX did not "
                "show, and its words were edited; whether the emphasis still applies cannot "
                "be told: check it there")
        slots = [CitationSlot(source, shown) for source, shown in record.citations]

        def citation(atom: Atom | None, target: str, shown: str) -> str:
            if target == "note":
                body = self.document.footnotes.get(atom.ref if atom else "", [])
                shown = "".join(a.text for a in body if a.kind == "text").strip()
                slot = next((s for s in slots if not s.used), None)
            else:
                anchor = self.manifest.anchors.get(target, "")
                key = anchor.removeprefix("ref-")
                slot = next((s for s in slots if not s.used and f"@{key}" in s.markdown), None)
                if slot is None and anchor.startswith("ref-"):
                    return f"[@{key}]"
                if slot is None:
                    return f"[{shown}](#{anchor})"
            if slot is None:
                return ""
            slot.used = True
            return reread_citation(slot, shown)

        link = self.template_link(record, atoms)
        try:
            markdown = to_markdown(atoms, citation, self.known, link)
        except CitationError as exc:
            self.result.refusals.append(f"{_where(self.docx, para)}: error: {exc}; field "
                                        f"'{record.key}' ({self.place(record.key, record)})")
            return None
        text = "".join(a.text for a in atoms if a.kind == "text")
        for slot in slots:
            if not slot.used and slot.shown and slot.shown in text:
                self.result.refusals.append(
                    f"{_where(self.docx, para)}: error: the citation {slot.markdown} in field "
                    f"'{record.key}' was typed over as plain text ({slot.shown!r}); restore "
                    f"the citation, or edit it in {self.place(record.key, record)}")
                return None
        return markdown

    @staticmethod
    def template_link(record: FieldRecord, atoms: list[Atom]) -> tuple[str, str] | None:
        """A link around the whole field that the template drew (the sourcing annex's
        titles), not one the Markdown holds."""
        links = {(a.url, a.anchor) for a in atoms if a.kind == "text"}
        if len(links) == 1 and "](" not in record.markdown and not record.citations:
            return links.pop()
        return None

    def restored(self, record: FieldRecord, stored: dict, para: Para) -> list[Atom]:
        """The atoms of a paragraph that stands where a field lost its bookmark: the
        paragraph less the generated text around the field, if that is still there."""
        before, after = stored["before"], stored["after"]
        framed = next((atoms for atoms in (framed_atoms(para, b, a) for b, a in (
            (before, after), (before, ""), ("", after), ("", ""))) if atoms is not None), [])
        if not "".join(plain(a) for a in framed).strip():
            return []  # only the generated text is left: the field was deleted
        self.result.notes.append(
            f"{_where(self.docx, para)}: note: the hidden bookmark of field '{record.key}' "
            f"({self.place(record.key, record)}) was lost (a paragraph pasted over, say); "
            "this paragraph stands where the field stood, so it is read as that field, "
            "and the next build restores the bookmark")
        return framed

    def touched(self) -> set[int]:
        return {n for o in self.found.values() for n in o.paragraphs}

    def decide(self, record: FieldRecord, versions: dict[str, Para | None],
               deleted: str | None) -> None:
        key = record.key
        where = self.place(key, record)
        if deleted is not None:
            item = key.split(":", 1)[-1].rsplit(".", 1)[0]
            self.result.refusals.append(
                f"{deleted}: error: field '{key}' was deleted in "
                f"the DOCX; to drop it, delete {item} in {where} yourself")
            return
        if not versions:
            return
        if len(versions) > 1:
            paras = " and ".join(f'paragraph {p.number} ("{_excerpt(p.text)}")'
                                 for p in versions.values() if p)
            self.result.refusals.append(
                f"{self.docx}: error: field '{key}' appears in {paras}, edited differently in "
                f"each; make the edits agree (or edit {where})")
            return
        new, para = next(iter(versions.items()))
        info = self.current.get(key)
        if info is None:
            self.result.conflicts.append(
                f"{_where(self.docx, para)}: error: field '{key}' was edited in the DOCX but no "
                "longer exists in the YAML")
            return
        if info.markdown != record.markdown and info.markdown != new:
            self.result.conflicts.append(
                f"{where}: error: conflict in field '{key}': changed in the YAML since the "
                f"build and in the DOCX ({_where(self.docx, para)})\n"
                f"    YAML now: {info.markdown}\n    DOCX now: {new}")
            return
        if info.markdown != new:
            self.result.edits.append(Edit(key, info, info.markdown, new))
            self.mirror(info, new, para)

    def mirror(self, info: FieldInfo, new: str, para: Para | None) -> None:
        """A source's `sentence_case_title` mirrors its title: changed the same way when
        the change leaves no doubt about case (an apostrophe, a quotation mark, a digit,
        a word where the two agreed letter for letter), else a warning at its line."""
        path = info.path
        if len(path) != 3 or path[0] != "sources" or path[2] != "title":
            return
        source = self.loaded.brief.sources[path[1]]
        twin = source.sentence_case_title
        if not twin:
            return
        twin_path = (*path[:2], "sentence_case_title")
        located = self.loaded.located.place(twin_path)
        if located is None:
            return
        where = f"{located.path}:{located.line}"
        mirrored = mirror_change(info.markdown, new, twin)
        if mirrored is None:
            self.result.ignored.append(
                f"{where}: warning: the title of source '{source.id}' was changed in the DOCX "
                f"({_where(self.docx, para)}), but its sentence_case_title here cannot be "
                "changed the same way without guessing at capitals; make it the new title in "
                "sentence case")
        elif mirrored != twin:
            key = f"source:{source.id}.sentence_case_title"
            twin_info = FieldInfo(key, twin_path, located.path, located.line, twin)
            self.result.edits.append(Edit(key, twin_info, twin, mirrored))
            self.result.notes.append(
                f"{where}: note: the sentence_case_title of source '{source.id}' changed with "
                f"its title ({_where(self.docx, para)})")

    # -- generated text and comments -------------------------------------------

    def generated(self) -> None:
        """Paragraphs added outside any field are refused; edits of generated text
        (labels, headings, the reference list) are ignored and reported."""
        returned = self.returned
        for op, a0, a1, b0, b1 in self.opcodes:
            if op == "equal":
                continue
            olds = [k for k in self.manifest.paragraphs[a0:a1] if k.startswith("g:")]
            news = [(k, p) for k, p in returned[b0:b1] if k.startswith("g:")]
            for index, (_, para) in enumerate(news):
                if index < len(olds):
                    self.result.ignored.append(f"{_where(self.docx, para)}: warning: generated "
                                               "text was changed; that change is ignored")
                else:
                    self.result.refusals.append(
                        f"{_where(self.docx, para)}: error: text added outside any field; put it "
                        "into a field (a judgment, its evidence, the BLUF …) or add it to the "
                        "YAML yourself")
            before = returned[b0 - 1][1] if b0 > 0 else None
            after = returned[b1][1] if b1 < len(returned) else None
            for old in olds[len(news):]:
                self.result.ignored.append(
                    f"{_stood(self.docx, before, after)}: warning: the generated paragraph "
                    f'"{_excerpt(old[2:])}" was deleted; ignored (the next build draws it '
                    "again)")

    def review_comments(self) -> None:
        by_comment = {c: (name, o) for name, o in self.found.items() for c in o.comments}
        for comment in self.document.comments.values():
            if comment.author == REVIEWER:
                continue
            name, _ = by_comment.get(comment.id, ("", None))
            key = self.manifest.bookmarks.get(name, "")
            record = self.manifest.fields.get(key)
            where = self.place(key, record) if record else self.docx
            self.result.comments.append({"field": key or None, "place": where,
                                         "author": comment.author, "date": comment.date,
                                         "text": comment.text})


def import_docx(brief: Path, docx: Path, accept_changes: bool = True) -> ImportResult:
    """What importing `docx` into the brief at `brief` changes (nothing is written)."""
    validation = validate(brief)
    if validation.loaded is None:
        raise ImportFailure(f"{display_path(brief)}: the brief does not load; fix it first")
    loaded = validation.loaded
    try:
        document = read_docx(docx.read_bytes(), accept_changes)
    except OSError as exc:
        raise ImportFailure(f"{display_path(docx)}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise ImportFailure(f"{display_path(docx)}: {exc}") from None
    manifest = find_manifest(document)
    if manifest is None:
        raise ImportFailure(f"{display_path(docx)}: no briefing manifest in this DOCX (it was "
                           "not built by briefing, or built before import existed); rebuild "
                           "it with `briefing build` and hand that file out")
    if manifest.redline:  # the redline's own changes are the edition's text
        document = read_docx(docx.read_bytes(), accept_changes, accepted_author=REDLINE_AUTHOR)
        manifest = find_manifest(document) or manifest
    if manifest.brief != loaded.brief.id:
        raise ImportFailure(f"{display_path(docx)}: built from brief '{manifest.brief}', not "
                           f"'{loaded.brief.id}'")
    result = _Importer(loaded, document, manifest, display_path(docx)).run()
    if result.blocked or not result.edits:
        return result
    _apply(result, loaded, brief)
    return result


def _apply(result: ImportResult, loaded: LoadedBrief, brief: Path) -> None:
    """The new text of each YAML file, and the findings of the brief as it would be."""
    files = {display_path(path): path for path in loaded.files}
    by_file: dict[Path, dict] = {}
    for edit in result.edits:
        place = loaded.located.place(edit.info.path)
        path = files.get(place.path) if place else None
        if path is None:
            result.refusals.append(f"{edit.key}: error: cannot find this field in the YAML")
            continue
        by_file.setdefault(path, {})[edit.info.path] = edit.new
    for path, changes in by_file.items():
        old = path.read_text("utf-8-sig")
        try:
            result.new_texts[path] = patch_text(old, changes)
        except (PatchError, ValueError) as exc:
            result.refusals.append(f"{display_path(path)}: error: cannot rewrite: {exc}")
            return
        result.old_texts[path] = old
    result.findings = validate(brief, result.new_texts).findings
