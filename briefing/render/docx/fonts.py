"""Fonts: the faces a document names, and the layout's embedded as Word embeds them
(ECMA-376 Part 1, §17.8.1).

`Fonts` is the part of the DOCX renderer that knows the layout's font families and
fills the font table: every font a run, style or list label names is listed, and
the layout's are embedded.

Each face is subset to the characters the document uses (fontTools, in a child
process when it must be cut afresh: see font_subset), then
obfuscated: the first 32 bytes are XORed with the 16 bytes of a GUID, the font
key, read from its last hex pair to its first. The key is derived from the font's
bytes, so the same inputs give the same DOCX. Word and LibreOffice undo the
obfuscation on open; the fonts' licences (SIL OFL) permit embedding.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement

from briefing.core import cache as disk
from briefing.render.subsets import font_cache_key, subset_fonts

from .elements import element, put_head_setting
from .package import part_root, store

# Word's w:embed… for each face of a layout's font family.
FACE_ELEMENTS = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
                 "bold_italic": "embedBoldItalic"}
# OS/2 code page bits Word records as a font's charset (w:charset), in order.
CHARSETS = ((19, "81"), (17, "80"), (18, "86"), (20, "88"), (0, "00"), (2, "CC"))


@dataclass(frozen=True)
class FontFacts:
    """What the font table says of a family: PANOSE, charset, kind, Unicode signature."""

    panose: str
    charset: str
    family: str
    usb: tuple[str, str, str, str]
    csb: tuple[str, str]


@dataclass(frozen=True)
class EmbeddedFace:
    """One obfuscated face: its w:embed… element name, font key and part bytes."""

    element: str
    key: str
    data: bytes


def font_key(data: bytes) -> str:
    """A GUID in Word's form ('{XXXXXXXX-…}'), derived from the font's bytes."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def _key_bytes(key: str) -> bytes:
    digits = key.strip("{}").replace("-", "")
    return bytes(int(digits[i:i + 2], 16) for i in range(30, -1, -2))


def obfuscate(data: bytes, key: str) -> bytes:
    """XOR the first 32 bytes with the key (§17.8.1); applying it twice restores."""
    mask = _key_bytes(key)
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]



@lru_cache(maxsize=64)  # a rebuild embeds the subsets its last build did (the same bytes)
def embedded_face(face: str, data: bytes) -> EmbeddedFace:
    """The obfuscated subset `data` of one face, ready for word/fonts/fontN.odttf."""
    key = font_key(data)
    return EmbeddedFace(FACE_ELEMENTS[face], key, obfuscate(data, key))


@cache
def font_facts(path: Path) -> FontFacts:
    """PANOSE, charset, family kind and Unicode/code-page signature from OS/2 (kept in
    the disk cache)."""
    name = font_cache_key("font-facts", path)
    data = disk.get("font-facts", name)
    if data is not None:
        try:
            fields = json.loads(data)
            return FontFacts(**{k: tuple(v) if isinstance(v, list) else v
                                for k, v in fields.items()})
        except (ValueError, TypeError):
            pass
    facts = _font_facts(path)
    disk.put("font-facts", name, json.dumps(asdict(facts)).encode())
    return facts


def _font_facts(path: Path) -> FontFacts:
    from fontTools.ttLib import TTFont

    with path.open("rb") as stream:  # lazy: only the tables read below are loaded
        os2 = TTFont(stream, lazy=True)["OS/2"]
    panose = os2.panose
    digits = "".join(f"{getattr(panose, name):02X}" for name in (
        "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast",
        "bStrokeVariation", "bArmStyle", "bLetterForm", "bMidline", "bXHeight"))
    codepages = os2.ulCodePageRange1
    charset = next((value for bit, value in CHARSETS if codepages & (1 << bit)), "00")
    serif = panose.bFamilyType == 2 and panose.bSerifStyle not in (11, 12, 13)
    family = "roman" if serif else "swiss"
    usb = tuple(f"{getattr(os2, f'ulUnicodeRange{i}'):08X}" for i in (1, 2, 3, 4))
    csb = (f"{os2.ulCodePageRange1:08X}", f"{os2.ulCodePageRange2:08X}")
    return FontFacts(digits, charset, family, usb, csb)  # type: ignore[arg-type]


# ---- the renderer's fonts and the font table -------------------------------------

# A code point of each East Asian script, and the language tag Word expects for it.
EAST_ASIAN = ((0xAC00, "ko-KR"), (0x3042, "ja-JP"), (0x4E00, "zh-CN"))

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_ATTRIBUTES = tuple(qn(f"w:{name}") for name in ("ascii", "hAnsi", "cs", "eastAsia"))
THEME_ATTRIBUTES = tuple(qn(f"w:{name}") for name in ("asciiTheme", "hAnsiTheme", "cstheme",
                                                        "eastAsiaTheme"))
# Parts whose runs name fonts and show text.
STORY_TYPES = (CT.WML_DOCUMENT_MAIN, CT.WML_STYLES, CT.WML_NUMBERING, CT.WML_HEADER,
               CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES, CT.WML_COMMENTS)


class Fonts:
    """The renderer's fonts (needs `layout`, `fonts` (the layout's, loaded), `doc`
    and `east_asia`)."""

    def family_name(self, family: str) -> str:
        """The TrueType family name ("Noto Serif") of a layout font family ("serif")."""
        return self.fonts.families[family].family_name

    def _east_asian_face(self) -> tuple[str | None, str | None]:
        """The first fallback family that covers an East Asian script, and its language."""
        for family in self.layout.layout.fallback_fonts:
            coverage = self.fonts.families[family].coverage
            for point, lang in EAST_ASIAN:
                if point in coverage:
                    return self.family_name(family), lang
        return None, None

    def theme_faces(self) -> tuple[str, str]:
        """The faces of the theme's heading (major) and body (minor) fonts."""
        body = self.layout.style("Body")["font"]
        heading = self.layout.style("Heading 1").get("font") if \
            "Heading 1" in self.layout.layout.styles else None
        return self.family_name(heading or body), self.family_name(body)

    def shows(self, family: str, name: str, characters: frozenset[str]) -> bool:
        """Whether a font draws any of `characters`: a text face always; the East Asian
        face only if the document has a character it has that the body face lacks."""
        if name != self.east_asia:
            return True
        body = self.fonts.families[self.layout.style("Body")["font"]].coverage
        coverage = self.fonts.families[family].coverage
        return any(ord(c) in coverage and ord(c) not in body for c in characters)

    def embed_fonts(self) -> None:
        """List every font the document uses in the font table; embed the layout's,
        subset to the characters the document shows (see `subset_fonts`)."""
        package = self.doc.part.package
        ours = {self.family_name(family): family for family in self.layout.layout.fonts}
        characters = used_characters(package)
        used = []  # (name, family or None, its faces to embed)
        for name in used_fonts(package, self.theme_faces()):
            family = ours.get(name)
            shown = family is not None and self.shows(family, name, characters)
            used.append((name, family, list(self.fonts.families[family].files.items())
                         if shown else []))
        subsets = iter(subset_fonts([path for _, _, faces in used for _, path in faces],
                                    characters))  # cut together: see font_subset
        table = []
        for name, family, faces in used:
            facts = font_facts(self.fonts.families[family].files["regular"]) if family else None
            table.append((name, facts, [embedded_face(face, next(subsets)) for face, _ in faces]))
        font_table(self.doc.part, table)
        embedding_on(self.doc.settings.element)


def story_parts(package) -> list[Part]:
    """The document's parts that hold runs (body, styles, notes, headers …), in order."""
    return sorted((p for p in package.iter_parts() if p.content_type in STORY_TYPES),
                  key=lambda p: str(p.partname))


def used_fonts(package, theme_faces: tuple[str, ...]) -> list[str]:
    """Every font a run, style or list label names, and the theme's faces if any run
    takes its font from the theme; in order of first use."""
    names: dict[str, None] = {}
    themed = False
    for part in story_parts(package):
        for fonts in part_root(part).iter(qn("w:rFonts")):
            names.update((fonts.get(a), None) for a in FONT_ATTRIBUTES if fonts.get(a))
            themed = themed or any(fonts.get(a) for a in THEME_ATTRIBUTES)
    if themed:
        names.update((face, None) for face in theme_faces if face)
    return list(names)


def used_characters(package) -> frozenset[str]:
    """Every character the document shows: text, field results, list labels."""
    chars: set[str] = set()
    for part in story_parts(package):
        root = part_root(part)
        for text in root.iter(qn("w:t")):
            chars.update(text.text or "")
        for label in root.iter(qn("w:lvlText")):
            chars.update(label.get(qn("w:val"), ""))
    return frozenset(chars)


def font_table(document_part: Part, fonts: list[tuple[str, object, list]]) -> None:
    """List each (name, facts, faces) in word/fontTable.xml, replacing the template's
    entries for fonts the document does not use; each embedded face becomes an
    obfuscated font part (word/fonts/fontN.odttf) named by r:id and w:fontKey."""
    try:
        part = document_part.part_related_by(RT.FONT_TABLE)
    except KeyError:  # a reference.docx from a tool that writes none
        part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE,
                    f"<w:fonts {nsdecls('w', 'r')}/>".encode(), document_part.package)
        document_part.relate_to(part, RT.FONT_TABLE)
    root = part_root(part)
    existing = {f.get(qn("w:name")): f for f in root.findall(qn("w:font"))}
    for node in list(root):
        root.remove(node)
    number = 0
    for name, facts, faces in fonts:
        entry = existing.get(name) if facts is None else None
        if entry is None:
            entry = element("w:font", w_name=name)
            if facts is not None:
                _facts_entry(entry, facts)
        for face in faces:
            number += 1
            font_part = Part(PackURI(f"/word/fonts/font{number}.odttf"), OBFUSCATED_FONT,
                             face.data, document_part.package)
            rel_id = part.relate_to(font_part, RT.FONT)
            entry.append(element(f"w:{face.element}", r_id=rel_id, w_fontKey=face.key,
                                 w_subsetted="1"))
        root.append(entry)
    store(part, root)


def _facts_entry(entry: BaseOxmlElement, facts) -> None:
    entry.append(element("w:panose1", w_val=facts.panose))
    entry.append(element("w:charset", w_val=facts.charset))
    entry.append(element("w:family", w_val=facts.family))
    entry.append(element("w:pitch", w_val="variable"))
    usb0, usb1, usb2, usb3 = facts.usb
    csb0, csb1 = facts.csb
    entry.append(element("w:sig", w_usb0=usb0, w_usb1=usb1, w_usb2=usb2, w_usb3=usb3,
                         w_csb0=csb0, w_csb1=csb1))


def embedding_on(settings: BaseOxmlElement) -> None:
    """Tell Word the file carries its TrueType fonts, as subsets."""
    put_head_setting(settings, element("w:embedTrueTypeFonts"))
    put_head_setting(settings, element("w:saveSubsetFonts"))
