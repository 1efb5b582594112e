"""Footnotes and review comments.

Footnotes are real Word footnotes in word/footnotes.xml (a new part with its
separators, or a reference.docx's own with its notes dropped), named in settings
as Word names them. Review comments are Word comments by "briefing" (which import
skips) on the first place each commented field stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .elements import XML_SPACE, element, put_setting
from .links import runs_between

REVIEWER = "briefing"  # the author of review comments; import skips them
# Where a field first stands: its bookmark's start and end, and their paragraph.
FieldMark = tuple[BaseOxmlElement, BaseOxmlElement, Paragraph]


@dataclass(frozen=True)
class Story:
    """The parent python-docx expects of a paragraph: something with a `part`."""

    part: StoryPart


def _separator_note(kind: str, number: int, mark: str) -> BaseOxmlElement:
    note = element("w:footnote", w_type=kind, w_id=str(number))
    para = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:spacing", w_after="0", w_line="240", w_lineRule="auto"))
    para.append(ppr)
    run = element("w:r")
    run.append(element(mark))
    para.append(run)
    note.append(para)
    return note


def footnotes_part(document_part: Part) -> StoryPart:
    """A new word/footnotes.xml with separators, related from the document part.

    A story part, so its paragraphs find the document's styles by name.
    """
    root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')}/>")
    root.append(_separator_note("separator", -1, "w:separator"))
    root.append(_separator_note("continuationSeparator", 0, "w:continuationSeparator"))
    part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root,
                     document_part.package)
    document_part.relate_to(part, RT.FOOTNOTES)
    return part


def reuse_footnotes(document_part: Part) -> StoryPart | None:
    """The document's own word/footnotes.xml (a reference.docx's), remade as a story
    part that keeps only the separator notes; None when the document has none."""
    for rel_id, rel in list(document_part.rels.items()):
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        old = rel.target_part
        root = old.element if isinstance(old, XmlPart) else parse_xml(old.blob)
        for note in root.findall(qn("w:footnote")):
            if note.get(qn("w:type"), "normal") == "normal":
                root.remove(note)
        del document_part.rels[rel_id]
        part = StoryPart(old.partname, old.content_type, root, document_part.package)
        document_part.relate_to(part, RT.FOOTNOTES)
        return part
    return None


def last_footnote_id(part: XmlPart) -> int:
    """The highest w:id among the notes already in a footnotes part (at least 0)."""
    ids = [int(n.get(qn("w:id"), "0")) for n in part.element.findall(qn("w:footnote"))]
    return max([0, *ids])


def new_footnote(part: XmlPart, number: int, style_id: str,
                 mark_style_id: str) -> BaseOxmlElement:
    """Append footnote `number`; return its w:p, which starts with the note's mark."""
    note = element("w:footnote", w_id=str(number))
    para = element("w:p")
    ppr = element("w:pPr")
    ppr.append(element("w:pStyle", w_val=style_id))
    para.append(ppr)
    run = element("w:r")
    rpr = element("w:rPr")
    rpr.append(element("w:rStyle", w_val=mark_style_id))
    run.append(rpr)
    run.append(element("w:footnoteRef"))
    para.append(run)
    space = element("w:r")
    text = element("w:t")
    text.set(XML_SPACE, "preserve")
    text.text = " "
    space.append(text)
    para.append(space)
    note.append(para)
    part.element.append(note)
    return para


def footnote_reference(run: BaseOxmlElement, number: int) -> None:
    """Make a w:r the in-text mark of footnote `number`."""
    run.append(element("w:footnoteReference", w_id=str(number)))


def footnote_separators(settings: BaseOxmlElement, notes: XmlPart) -> None:
    """Name the separator footnotes in settings, as Word itself does (a reference's
    own w:footnotePr, with its numbering format, is left as it is)."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    properties = element("w:footnotePr")
    for note in notes.element.findall(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            properties.append(element("w:footnote", w_id=note.get(qn("w:id"))))
    put_setting(settings, properties)


def add_comments(doc: WordDocument, marks: dict[str, FieldMark],
                 comments: tuple[tuple[str, str], ...], stamp: datetime) -> None:
    """Each (field key, text) of `comments` as a Word comment by REVIEWER dated `stamp`,
    on the runs of the first place that field stands (`marks`, by field key)."""
    for key, text in comments:
        if key not in marks:
            continue
        start, end, paragraph = marks[key]
        runs = [Run(r, paragraph) for r in runs_between(start, end)]
        if not runs:
            continue
        comment = doc.add_comment(runs, text, author=REVIEWER, initials="BR")
        comment._comment_elm.date = stamp
