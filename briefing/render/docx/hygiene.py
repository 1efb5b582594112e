"""What Word expects of a file it opens without complaint, and what makes the file this
document's own rather than the template's.

Core properties from the brief (dated by the brief, never the build); app.xml with
this document's application, title and counts; Word 2013+ compatibility, a zoom, no
stale stylesWithEffects, proofing state or thumbnail; and (unless a reference.docx
brings its own) a theme whose fonts and languages are the layout's and the brief's.
`Hygiene` is the part of the DOCX renderer that does it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from briefing.compose import tree as t
from briefing.core.limits import MAX_PROPERTY_CHARS

from .elements import child_of, element, put_head_setting, put_setting

APPLICATION = "briefing"
# The theme's script code for each East Asian language.
THEME_SCRIPTS = {"ko-KR": "Hang", "ja-JP": "Jpan", "zh-CN": "Hans"}
EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


class Hygiene:
    """The renderer's properties and Word hygiene (needs `layout`, `doc`, `reference`,
    the languages, `east_asia` and `theme_faces`)."""

    def properties(self, meta: t.Metadata) -> None:
        """Core properties; the dates are the brief's date, never the build time."""
        props = self.doc.core_properties
        props.title = property_text(meta.title)
        props.author = property_text(", ".join(meta.authors))
        props.subject = property_text(meta.subject)
        props.keywords = property_text(", ".join(meta.keywords))
        props.language = property_text(meta.language)
        props.last_modified_by = "briefing"
        props.comments = property_text(meta.subtitle)
        props.version = property_text(str(meta.edition))
        props.revision = 1
        props.created = props.modified = stamp(meta.date)

    def word_hygiene(self) -> None:
        """Word 2013+ compatibility, a zoom, no stale stylesWithEffects or proofing
        state, and (unless a reference.docx brings its own) a theme and theme-font
        languages that are the layout's and the brief's: the same whatever the document
        holds, so a renderer begun ahead has done it."""
        settings = self.doc.settings.element
        compatibility_mode(settings, 15)
        zoom(settings, 100)
        drop_proof_state(settings)
        if self.reference:
            return
        theme_font_lang(settings, self.lang, self.east_asia_lang)
        major, minor = self.theme_faces()
        theme_fonts(self.doc.part.part_related_by(RT.THEME), major, minor,
                    self.east_asia, THEME_SCRIPTS.get(self.east_asia_lang or ""))

    def package_properties(self, document: t.Document) -> None:
        """app.xml of this document (its title and counts), and no stale
        stylesWithEffects (dropped once the document's own relationships are made, so
        their ids are the same whether the renderer was begun ahead or not)."""
        drop_styles_with_effects(self.doc.part)
        app_properties(self.doc.part.package, APPLICATION, document.meta.title,
                       body_counts(self.doc.element.body))


def stamp(date: str) -> datetime:
    """The moment a brief dated `date` (ISO) stands for; EPOCH if it has no date."""
    return datetime.fromisoformat(date).replace(tzinfo=UTC) if date else EPOCH


def property_text(text: str) -> str:
    """A document property as Word keeps it: at most MAX_PROPERTY_CHARS characters
    (the text of the document keeps the whole value)."""
    if len(text) <= MAX_PROPERTY_CHARS:
        return text
    return text[:MAX_PROPERTY_CHARS - 1].rstrip() + "…"


def drop_thumbnail(package) -> None:
    """Remove the template's preview picture, which shows another document."""
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def drop_styles_with_effects(document_part: Part) -> None:
    """Drop the template's Word 2010 stylesWithEffects.xml, stale beside our styles."""
    for rel_id, rel in list(document_part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document_part.rels[rel_id]


def compatibility_mode(settings: BaseOxmlElement, mode: int = 15) -> None:
    """Lay the document out as Word `mode` does (15: Word 2013 and later)."""
    compat = child_of(settings, "w:compat")
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    compat.append(element("w:compatSetting", w_name="compatibilityMode",
                          w_uri="http://schemas.microsoft.com/office/word", w_val=str(mode)))


def zoom(settings: BaseOxmlElement, percent: int = 100) -> None:
    """w:zoom with the w:percent the schema requires."""
    put_head_setting(settings, element("w:zoom", w_percent=str(percent)))


def drop_proof_state(settings: BaseOxmlElement) -> None:
    """Drop the template's claim that spelling and grammar were checked and clean, so
    Word proofs this document's own text."""
    for old in settings.findall(qn("w:proofState")):
        settings.remove(old)


def theme_font_lang(settings: BaseOxmlElement, lang: str, east_asia: str | None) -> None:
    """The languages theme fonts are chosen for: the brief's, not the template's ja-JP."""
    tag = element("w:themeFontLang", w_val=lang)
    if east_asia:
        tag.set(qn("w:eastAsia"), east_asia)
    put_setting(settings, tag)


def theme_fonts(theme: Part, major: str, minor: str, east_asia: str | None,
                script: str | None) -> None:
    """The theme's heading (major) and body (minor) fonts become the layout's; the
    template's per-script defaults (MS Mincho for Japanese …) go, but for the East
    Asian script the layout has a face for (`script`, e.g. Hang)."""
    root = etree.fromstring(theme.blob)
    for tag, latin in (("majorFont", major), ("minorFont", minor)):
        for fonts in root.iter(f"{{{DRAWING_NS}}}{tag}"):
            fonts.find(f"{{{DRAWING_NS}}}latin").set("typeface", latin)
            fonts.find(f"{{{DRAWING_NS}}}ea").set("typeface", east_asia or "")
            for old in fonts.findall(f"{{{DRAWING_NS}}}font"):
                fonts.remove(old)
            if east_asia and script:
                extra = etree.SubElement(fonts, f"{{{DRAWING_NS}}}font")
                extra.set("script", script)
                extra.set("typeface", east_asia)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)


def body_counts(body: BaseOxmlElement) -> dict[str, int]:
    """Word's statistics of the body: words, characters (without and with spaces),
    and paragraphs that hold text."""
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    texts = [text for text in texts if text.strip()]
    joined = "\n".join(texts)
    return {"Words": sum(len(text.split()) for text in texts),
            "Characters": sum(map(len, joined.split())),  # split() drops what isspace()
            "CharactersWithSpaces": sum(len(text) for text in texts),
            "Paragraphs": len(texts)}


def app_properties(package, application: str, title: str, counts: dict[str, int]) -> None:
    """docProps/app.xml of this document: the application that made it, its title
    and its counts (the template's claims Word 2010 for Mac and zero words)."""
    try:
        part = package.part_related_by(RT.EXTENDED_PROPERTIES)
    except KeyError:  # a reference.docx without docProps/app.xml
        part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, b"", package)
        package.relate_to(part, RT.EXTENDED_PROPERTIES)
    root = etree.Element(f"{{{EXTENDED_NS}}}Properties", nsmap={None: EXTENDED_NS,
                                                                "vt": VT_NS})

    def add(tag: str, text: str) -> etree._Element:
        node = etree.SubElement(root, f"{{{EXTENDED_NS}}}{tag}")
        node.text = text
        return node

    add("Application", application)
    add("DocSecurity", "0")
    add("ScaleCrop", "false")
    for name, value in counts.items():
        add(name, str(value))
    pairs = add("HeadingPairs", None)
    vector = etree.SubElement(pairs, f"{{{VT_NS}}}vector", size="2", baseType="variant")
    etree.SubElement(etree.SubElement(vector, f"{{{VT_NS}}}variant"),
                     f"{{{VT_NS}}}lpstr").text = "Title"
    etree.SubElement(etree.SubElement(vector, f"{{{VT_NS}}}variant"),
                     f"{{{VT_NS}}}i4").text = "1"
    parts = add("TitlesOfParts", None)
    titles = etree.SubElement(parts, f"{{{VT_NS}}}vector", size="1", baseType="lpstr")
    etree.SubElement(titles, f"{{{VT_NS}}}lpstr").text = title
    add("LinksUpToDate", "false")
    add("SharedDoc", "false")
    add("HyperlinksChanged", "false")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                standalone=True)
