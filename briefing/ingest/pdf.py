"""A PDF's text by pdfminer.six's layout analysis: its text boxes are paragraphs.

Running headers and footers are dropped (a box at the top or bottom of the page whose
text, digits aside, comes back on other pages), and so are bare page numbers; a
paragraph that a page break cut in two is joined again. A PDF with no text layer (a
scan) is refused: it needs OCR first.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from .extracted import Extracted, IngestError, clean, find_doi, language_tag

BAND = 0.1  # the top and bottom tenth of a page, where headers and footers stand
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?(?:#|[ivxlc]+)(?:\s*(?:of|/)\s*#)?$", re.I)
_ENDS_SENTENCE = re.compile(r"[.!?:;…\"”’)\]]$")
_FILE_NAME = re.compile(r"\.(?:docx?|odt|rtf|txt|pdf|indd|tex)$|^untitled\b", re.I)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    band: bool  # in the top or bottom band of its page


@dataclass
class _Box:
    lines: list[_Line]
    page: int

    @property
    def text(self) -> str:
        return clean(" ".join(line.text for line in self.lines))


def extract(data: bytes, name: str) -> Extracted:
    """The text and metadata of the PDF `data` (from the file `name`)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pages = list(extract_pages(io.BytesIO(data), laparams=LAParams()))
        info, lang, xmp = _metadata(data)
    except (PDFSyntaxError, ValueError, TypeError, KeyError) as exc:
        raise IngestError(f"{name} cannot be read as a PDF ({exc or type(exc).__name__})") \
            from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for a bad file
        if type(exc).__module__.startswith("pdfminer"):
            raise IngestError(f"{name} cannot be read as a PDF ({exc})") from None
        raise
    boxes = [box for number, page in enumerate(pages) for box in _boxes(page, number)]
    if not any(box.text for box in boxes):
        raise IngestError(f"{name} has no text layer (a scanned PDF holds only pictures "
                          "of its pages); run OCR on it first, e.g. `ocrmypdf "
                          f"{name} ocr.pdf`, and add the OCR'd file")
    first_page = " ".join(box.text for box in boxes if box.page == 0)
    kept = _without_running_lines(boxes, len(pages))
    paragraphs = [p for p in _paragraphs(kept) if p]
    title = info.get("Title", "").strip()
    made = re.fullmatch(r"D?:?(\d{4})(\d{2})(\d{2}).*", info.get("CreationDate", ""))
    remarks = [f"the PDF's metadata says it was made on {'-'.join(made.groups())}, which "
               "need not be its date of publication"] if made else []
    return Extracted(
        "PDF", paragraphs,
        title=title if title and not _FILE_NAME.search(title) else None,
        authors=[info["Author"].strip()] if info.get("Author", "").strip() else [],
        doi=find_doi(info.get("doi", ""), info.get("DOI", ""), info.get("Subject", ""),
                     info.get("Keywords", ""), xmp, first_page),
        language=language_tag(lang), remarks=remarks)


def _metadata(data: bytes) -> tuple[dict[str, str], str, str]:
    """The document information dictionary (as text), the catalog's /Lang and the XMP
    packet (as text)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    document = PDFDocument(PDFParser(io.BytesIO(data)))

    def text(value: object) -> str:
        value = resolve1(value)
        if isinstance(value, bytes):
            return decode_text(value)
        return str(getattr(value, "name", value)) if value is not None else ""

    info = {str(k): text(v) for entry in document.info for k, v in entry.items()}
    lang = text(document.catalog.get("Lang"))
    xmp = ""
    stream = resolve1(document.catalog.get("Metadata"))
    if stream is not None and hasattr(stream, "get_data"):
        xmp = stream.get_data().decode("utf-8", errors="replace")
    return info, lang, xmp


def _boxes(page, number: int) -> list[_Box]:
    from pdfminer.layout import LTTextBox, LTTextLine

    out = []
    height = page.height or 1
    for item in page:
        if not isinstance(item, LTTextBox):
            continue
        lines = [_Line(clean(line.get_text()), line.x0, line.x1,
                       line.y0 > height * (1 - BAND) or line.y1 < height * BAND)
                 for line in item if isinstance(line, LTTextLine)]
        lines = [line for line in lines if line.text]
        if lines:
            out.append(_Box(lines, number))
    return out


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip(" -–—|·•").lower())


def _without_running_lines(boxes: list[_Box], pages: int) -> list[_Box]:
    """The boxes less their running header and footer lines (at the top or bottom of
    the page, coming back on at least half the pages, digits aside) and bare page
    numbers."""
    pages_of = Counter(key for key, _ in {(_key(line.text), box.page) for box in boxes
                                          for line in box.lines if line.band})
    repeated = {key for key, count in pages_of.items() if count >= 2 and count * 2 >= pages}
    kept = []
    for box in boxes:
        lines = [line for line in box.lines if not (line.band and (
            _key(line.text) in repeated or _PAGE_NUMBER.match(_key(line.text))))]
        if lines:
            kept.append(_Box(lines, box.page))
    return kept


def _paragraphs(boxes: list[_Box]) -> list[str]:
    """Each box's lines joined (split where a short line ends a sentence), and a
    paragraph cut by a page break joined with its rest."""
    out: list[str] = []
    last_full = False
    previous_page = -1
    for box in boxes:
        pieces = _split(box)
        if out and box.page != previous_page and last_full \
                and not _ENDS_SENTENCE.search(out[-1]):
            out[-1] = _join(out[-1], pieces.pop(0))
        out.extend(pieces)
        right = max(line.x1 for line in box.lines)
        left = min(line.x0 for line in box.lines)
        last_full = len(box.lines) > 1 and box.lines[-1].x1 >= right - 0.15 * (right - left)
        previous_page = box.page
    return [clean(p) for p in out]


def _split(box: _Box) -> list[str]:
    """A box's lines as paragraphs: a line that ends a sentence well short of the
    box's right edge ends a paragraph."""
    right = max(line.x1 for line in box.lines)
    left = min(line.x0 for line in box.lines)
    pieces, current = [], ""
    for index, line in enumerate(box.lines):
        current = _join(current, line.text) if current else line.text
        short = line.x1 < right - 0.15 * (right - left)
        if short and index < len(box.lines) - 1 and _ENDS_SENTENCE.search(current):
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def _join(head: str, tail: str) -> str:
    """Two lines of one paragraph; a line broken after a hyphen or a dash that
    follows a word, or before a dash that a word follows, goes on without a space
    ("Asia-Pacific", "tests—possibly")."""
    if re.search(r"\S[-‐‑–—]$", head) or re.match(r"[–—]\w", tail):
        return head + tail
    return f"{head} {tail}"
