"""Read outputs back as a reader sees them: the PDF's and the DOCX's text in order.

Both return the text of the body followed by the notes ("Notes" and numbered
notes in the PDF; real footnotes in the DOCX, numbered as Word shows them),
so that the two can be compared.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_blocks(path: Path, furniture: set[str]) -> list[str]:
    """Lines of the PDF's text, page furniture (banners, header, page numbers) removed."""
    lines: list[str] = []
    for page in PdfReader(path).pages:
        page_lines = page.extract_text().splitlines()
        skip_next_number = False
        for line in page_lines:
            text = line.strip()
            if skip_next_number and text.isdigit():
                skip_next_number = False
                continue
            if text in furniture:
                continue
            if re.fullmatch(r"Page \d+ of ?\d*", text):
                skip_next_number = text.endswith("of")
                continue
            if text and text != "•":
                lines.append(text)
    return lines


def list_labels(document) -> dict:
    """The number Word shows before each numbered paragraph ("3."), by w:p element.

    Counts per w:num, as Word does for one-level lists; bullets get no label (the
    PDF's bullets are dropped from its text likewise)."""
    numbering = document.part.numbering_part.element
    formats = {}
    for abstract in numbering.iter(qn("w:abstractNum")):
        level = abstract.find(f"{W}lvl")
        fmt = level.find(f"{W}numFmt").get(qn("w:val"))
        text = level.find(f"{W}lvlText").get(qn("w:val"))
        formats[abstract.get(qn("w:abstractNumId"))] = (fmt, text)
    instances = {num.get(qn("w:numId")): formats.get(
        num.find(f"{W}abstractNumId").get(qn("w:val"))) for num in numbering.iter(qn("w:num"))}
    counts: dict[str, int] = {}
    labels = {}
    for p in document.element.body.iter(qn("w:p")):
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is None:
            continue
        num_id = num.get(qn("w:val"))
        fmt, text = instances.get(num_id) or ("none", "")
        if fmt == "decimal":
            counts[num_id] = counts.get(num_id, 0) + 1
            labels[p] = text.replace("%1", str(counts[num_id]))
    return labels


def _paragraph_text(p, number_of: dict[str, str]) -> str:
    """A w:p's visible text, with footnote marks as the numbers a reader sees."""
    out = []
    for node in p.iter():
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        elif node.tag == qn("w:tab"):
            out.append("\t")
        elif node.tag == qn("w:br"):
            out.append("\n")
        elif node.tag == qn("w:footnoteReference"):
            out.append(number_of[node.get(qn("w:id"))])
    return "".join(out)


def _is_toc(p) -> bool:
    style = p.find(f"{W}pPr/{W}pStyle")
    name = style.get(qn("w:val")) if style is not None else ""
    return name.lower().startswith("toc")


def docx_blocks(path: Path) -> list[str]:
    """Body paragraphs and table cells in order (TOC left out), then the footnotes."""
    document = Document(str(path))
    body = document.element.body
    references = [r.get(qn("w:id")) for r in body.iter(qn("w:footnoteReference"))]
    number_of = {ref: str(n) for n, ref in enumerate(references, start=1)}
    labels = list_labels(document)
    blocks = []
    for p in body.iter(qn("w:p")):
        if _is_toc(p):
            continue
        text = _paragraph_text(p, number_of)
        if p in labels:
            text = f"{labels[p]} {text}"
        if text.strip():
            blocks.append(text)
    notes = footnotes(path)
    if notes:
        blocks.append("Notes")
        blocks += [f"{number_of[i]}. {text}" for i, text in notes]
    return blocks


def footnotes(path: Path) -> list[tuple[str, str]]:
    """(id, text) of each real footnote, separators left out, in id order."""
    with zipfile.ZipFile(path) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return []
        from lxml import etree

        root = etree.fromstring(archive.read("word/footnotes.xml"))
    notes = []
    for note in root.iter(qn("w:footnote")):
        if note.get(qn("w:type")) in ("separator", "continuationSeparator"):
            continue
        text = "".join(t.text or "" for t in note.iter(qn("w:t")))
        notes.append((note.get(qn("w:id")), text.strip()))
    return notes


def squash(blocks: list[str]) -> str:
    """The blocks' characters with all white space and soft hyphens removed (neither
    shows unless a line breaks there, where each format may differ): what parity
    compares."""
    return re.sub(r"[\s\u00ad]+", "", "".join(blocks))


def table_headers(path: Path) -> list[str]:
    """The squashed text of each DOCX table's header row (it repeats on PDF pages)."""
    document = Document(str(path))
    return [squash([c.text for c in table.rows[0].cells]) for table in document.tables
            if table.rows and len(table.columns) > 1]


def drop_repeated(text: str, headers: list[str]) -> str:
    """Remove second and later occurrences of each header row from squashed PDF text."""
    for header in set(headers):
        first = text.find(header)
        if first < 0:
            continue
        head, tail = text[:first + len(header)], text[first + len(header):]
        text = head + tail.replace(header, "")
    return text


def _marked_text(page) -> dict[int, str]:
    """The text of each marked-content sequence (by MCID) of a page."""
    texts: dict[int, str] = {}
    stack: list[int | None] = []

    def before(operator, args, cm, tm):
        if operator == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(value, cm, tm, font, size):
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and value:
            texts[mcid] = texts.get(mcid, "") + value

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def tagged_blocks(path: Path) -> list[str]:
    """The PDF's text in the order of its structure tree (what a screen reader reads),
    as `docx_blocks` gives the DOCX's: the body, then "Notes" and each note's text,
    numbered by its label. Artifacts (banners, running header, page numbers) are not
    in the structure tree, so they are not read."""
    import pikepdf

    reader = PdfReader(path)
    pdf = pikepdf.open(path)
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    marked: dict[int, dict[int, str]] = {}

    def content(page_ref, mcid: int) -> str:
        index = page_index[page_ref.objgen]
        if index not in marked:
            marked[index] = _marked_text(reader.pages[index])
        return marked[index].get(mcid, "")

    def text_of(element, page=None) -> str:
        if isinstance(element, pikepdf.Array):
            return "".join(text_of(item, page) for item in element)
        if isinstance(element, int):
            return content(page, element)
        if not isinstance(element, pikepdf.Dictionary):
            return ""
        page = element.get("/Pg", page)
        if element.get("/Type") == "/MCR":
            return content(page, int(element.MCID))
        if element.get("/Type") == "/OBJR" or "/K" not in element:
            return ""
        return text_of(element.K, page)

    blocks: list[str] = []
    notes: list[str] = []

    def walk(element, page=None) -> None:
        if isinstance(element, pikepdf.Array):
            for item in element:
                walk(item, page)
            return
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        page = element.get("/Pg", page)
        role = str(element.S)
        if role == "/Note":
            kids = list(element.K) if isinstance(element.K, pikepdf.Array) else [element.K]
            is_label = [isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Lbl"
                        for k in kids]
            label = "".join(text_of(k, page) for k, lbl in zip(kids, is_label, strict=True) if lbl)
            rest = "".join(text_of(k, page) for k, lbl in zip(kids, is_label, strict=True)
                           if not lbl)
            notes.append(f"{label.strip()}. {rest.strip()}")
            return
        if role in LEAVES:
            parts: list[str] = []
            collect(element.K, page, parts)
            blocks.append("".join(parts))
            return
        if "/K" in element:
            walk(element.K, page)

    def collect(element, page, parts: list[str]) -> None:
        """A leaf's text in order, its notes set aside (they follow the body)."""
        if isinstance(element, pikepdf.Array):
            for item in element:
                collect(item, page, parts)
        elif isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Note":
            walk(element, page)
        elif isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Lbl" \
                and text_of(element, page).strip() in BULLETS:
            return  # a bullet is not text (the DOCX's bullets are not either)
        elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
            collect(element.get("/K", pikepdf.Array()), element.get("/Pg", page), parts)
        else:
            parts.append(text_of(element, page))

    walk(pdf.Root.StructTreeRoot.K)
    if notes:
        blocks.append("Notes")
        blocks += notes
    return [block for block in blocks if block.strip()]


BULLETS = {"•", "‣", "–", "-", "◦"}
LEAVES = {"/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/TH", "/TD", "/LI", "/Caption"}


def html_blocks(path: Path) -> list[str]:
    """The web edition's main text as blocks, as `docx_blocks` gives the DOCX's: each
    paragraph, heading, list item and table cell in order (a numbered item with its
    number, as Word shows it), then the endnotes, numbered; the marking banners, the
    contents list and the notes' back links left out."""
    from lxml import html

    main = html.parse(str(path)).getroot().find(".//main")
    blocks: list[str] = []
    notes = main.find(".//section[@role='doc-endnotes']")
    for element in main.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "th", "td"):
        if any(a.tag == "nav" or a is notes for a in element.iterancestors()):
            continue
        if element.tag == "li" and element.find("p") is not None:
            continue  # a key judgment: its paragraphs are blocks of their own
        text = "".join(element.itertext())
        parent = element.getparent()
        if element.tag == "li" and parent.tag == "ol":
            text = f"{list(parent).index(element) + 1}. {text}"
        elif parent.tag == "li" and parent.find("p") is element:
            text = f"{parent.get('value')}. {text}"
        if text.strip():
            blocks.append(text)
    if notes is not None:
        blocks.append(notes.find("h2").text_content())
        for number, note in enumerate(notes.iter("li"), start=1):
            body = "".join(t for t in note.xpath(".//text()[not(ancestor::a["
                                                 "@role='doc-backlink'])]"))
            blocks.append(f"{number}. {body.strip()}")
    return blocks
