"""The manifest a DOCX carries (a custom XML part): where each of its fields came from.

Per field: its key, YAML file and line, the Markdown it was built from (and its
hash), the citations in it with their rendered text, and per occurrence the hidden
bookmark, the paragraph text around it and a canonical form of what it showed.
Plus the brief's id, the digest of the build's inputs and of the brief's files, and
the keys of the generated paragraphs, so that import can tell what changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from briefing.compose.tree import Provenance
from briefing.model.inline import parse_inline

from .field_marks import Occurrence, canonical, occurrences, paragraph_keys
from .wordml import Atom, WordDocument

NAMESPACE = "urn:briefing:manifest:1"  # also the schema its custom XML part names
ITEM_ID = "B81EF1A6-9C2B-4D0E-8C5A-6A1F3E0B2D47"  # the custom XML part's ds:itemID
VERSION = "1"


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


@dataclass
class FieldRecord:
    """A field as the manifest records it."""

    key: str
    file: str
    line: int
    path: tuple
    markdown: str
    citations: list[tuple[str, str]] = field(default_factory=list)  # (markdown, shown)
    occurrences: list[dict] = field(default_factory=list)


@dataclass
class Manifest:
    brief: str
    inputs: str
    content: str
    fields: dict[str, FieldRecord]
    bookmarks: dict[str, str]  # hidden bookmark → field key
    anchors: dict[str, str]  # Word bookmark name → the tree's anchor (citation targets)
    paragraphs: list[str]
    redline: bool = False  # a redline's: its own tracked changes are the edition's text


@lru_cache(maxsize=4096)  # a rebuild's fields are its last build's but the edited one
def citation_sources(markdown: str) -> tuple[str, ...]:
    """The Markdown of each citation in a field, in order (`[@a, p. 4]`, `@b`)."""
    return tuple(token.meta.get("source", "") for token in parse_inline(markdown)
                 if token.type == "citation")


def citation_groups(atoms: list[Atom], anchors: dict[str, str],
                    notes: dict[str, list[Atom]]) -> list[tuple[str, str]]:
    """(target anchor or 'note', text shown) of each citation in a field's atoms."""
    groups: list[tuple[str, str]] = []
    last_anchor = None
    for atom in atoms:
        if atom.kind == "text" and atom.anchor and anchors.get(atom.anchor, "").startswith(
                "ref-"):
            if atom.anchor == last_anchor:
                groups[-1] = (groups[-1][0], groups[-1][1] + atom.text)
            else:
                groups.append((anchors[atom.anchor], atom.text))
            last_anchor = atom.anchor
            continue
        last_anchor = None
        if atom.kind == "note":
            body = "".join(a.text for a in notes.get(atom.ref, []) if a.kind == "text")
            groups.append(("note", body.strip()))
    return groups


def build_manifest(document: WordDocument, provenance: Provenance,
                   bookmarks: dict[str, str], anchors: dict[str, str],
                   redline: bool = False) -> bytes:
    """The manifest XML of a freshly rendered DOCX, from `document`, its reading (what
    it shows, its tracked changes accepted). A redline's records, of a field it shows
    both deleted and inserted, only the place that holds the later edition's text."""
    found = occurrences(document.paragraphs)
    root = etree.Element(_q("manifest"), nsmap={None: NAMESPACE})
    root.set("version", VERSION)
    if redline:
        root.set("redline", "1")
    root.set("brief", provenance.brief)
    root.set("inputs", provenance.digest)
    root.set("content", provenance.content_digest)
    names_by_key: dict[str, list[str]] = {}
    for name, key in bookmarks.items():
        names_by_key.setdefault(key, []).append(name)
    for info in provenance.fields:
        item = etree.SubElement(root, _q("field"), key=info.key, file=info.file,
                                line=str(info.line), path=json.dumps(list(info.path)),
                                sha256=hashlib.sha256(info.markdown.encode()).hexdigest())
        etree.SubElement(item, _q("markdown")).text = info.markdown
        sources = citation_sources(info.markdown)
        shown = []
        for name in names_by_key.get(info.key, []):
            occurrence = found.get(name)
            if occurrence is None or (redline and not occurrence.text.strip()):
                continue
            shown = shown or citation_groups(occurrence.atoms, anchors, document.footnotes)
            _occurrence(item, occurrence, document)
        for source, (_, text) in zip(sources, shown, strict=False):
            etree.SubElement(item, _q("cite"), source=source, shown=text)
    for name, anchor in sorted(anchors.items()):
        etree.SubElement(root, _q("anchor"), bookmark=name, target=anchor)
    touched = {number for o in found.values() for number in o.paragraphs}
    for key, _ in paragraph_keys(document, touched):
        etree.SubElement(root, _q("p")).text = key
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _occurrence(item: etree._Element, occurrence: Occurrence,
                document: WordDocument) -> None:
    node = etree.SubElement(item, _q("occurrence"), bookmark=occurrence.name,
                            single="1" if occurrence.single else "0")
    etree.SubElement(node, _q("before")).text = occurrence.before
    etree.SubElement(node, _q("after")).text = occurrence.after
    etree.SubElement(node, _q("shown")).text = canonical(occurrence.atoms, document.footnotes)


def find_manifest(document: WordDocument) -> Manifest | None:
    """The briefing manifest among a DOCX's custom XML parts, if there is one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for data in document.custom_xml:
        try:
            root = etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            continue
        if root.tag == _q("manifest"):
            return _parse(root)
    return None


def _parse(root: etree._Element) -> Manifest:
    fields: dict[str, FieldRecord] = {}
    bookmarks: dict[str, str] = {}
    for item in root.iter(_q("field")):
        record = FieldRecord(item.get("key", ""), item.get("file", ""),
                             int(item.get("line", "1") or 1),
                             tuple(json.loads(item.get("path", "[]"))),
                             item.findtext(_q("markdown")) or "")
        record.citations = [(c.get("source", ""), c.get("shown", ""))
                            for c in item.iter(_q("cite"))]
        for node in item.iter(_q("occurrence")):
            name = node.get("bookmark", "")
            bookmarks[name] = record.key
            record.occurrences.append({
                "bookmark": name, "single": node.get("single") == "1",
                "before": node.findtext(_q("before")) or "",
                "after": node.findtext(_q("after")) or "",
                "shown": node.findtext(_q("shown")) or ""})
        fields[record.key] = record
    anchors = {a.get("bookmark", ""): a.get("target", "") for a in root.iter(_q("anchor"))}
    paragraphs = [p.text or "" for p in root.iter(_q("p"))]
    return Manifest(root.get("brief", ""), root.get("inputs", ""), root.get("content", ""),
                    fields, bookmarks, anchors, paragraphs, root.get("redline") == "1")
