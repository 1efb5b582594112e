"""Corrections for citeproc-py's artefacts, kept in one place.

citeproc-py implements CSL well enough to trust its structure, but it leaves
marks a careful reader notices. Each function below mends one of them and
says which; tests/test_citations.py has a test for each. Fixes work on the
HTML that citeproc-py's html formatter produces, before it becomes inlines.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

# citeproc-py's package folder, found without importing it (its locale files are read here)
_CITEPROC = Path(find_spec("citeproc").origin).parent  # type: ignore[union-attr, arg-type]
_CLOSE_TAGS = r"((?:</[a-z]+>)*)"
PERIODICAL_TYPES = {"article-newspaper", "article-magazine", "article-journal"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
# APA 7 title case leaves these lower case unless first (words of three letters or fewer).
MINOR_WORDS = {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at",
               "by", "in", "of", "off", "on", "per", "to", "up", "via"}


@dataclass(frozen=True)
class StyleInfo:
    """What the fixes need to know about a CSL style and its locale."""

    title: str
    is_apa: bool
    title_case: bool
    numeric: bool
    note: bool  # citations go in footnotes
    uses_position: bool  # ibid, subsequent forms: a citation's text depends on its place
    locale: str = "en-US"
    punctuation_in_quote: bool = True  # en-US: “Title,” — en-GB: ‘Title’,
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")  # outer, then inner
    no_date: str = "n.d."

    @classmethod
    def read(cls, path: Path) -> StyleInfo:
        text = path.read_text("utf-8", errors="replace")
        title = re.search(r"<title>(.*?)</title>", text, re.DOTALL)
        name = html.unescape(title.group(1)) if title else path.stem
        note = re.search(r'<style\b[^>]*\bclass="note"', text) is not None
        locale = re.search(r'<style\b[^>]*\bdefault-locale="([^"]+)"', text)
        language = locale.group(1) if locale else "en-US"
        terms = LocaleTerms.read(language, text)
        return cls(
            title=name,
            is_apa=name.startswith("APA") or "American Psychological Association" in name,
            title_case='text-case="title"' in text,
            numeric='variable="citation-number"' in text,
            note=note,
            uses_position=note or "position=" in text,
            locale=language,
            punctuation_in_quote=terms.option("punctuation-in-quote", "false") == "true",
            quotes=(terms.term("open-quote", "“"), terms.term("close-quote", "”"),
                    terms.term("open-inner-quote", "‘"), terms.term("close-inner-quote", "’")),
            no_date=terms.term("no date", "n.d.", form="short"),
        )


@dataclass(frozen=True)
class LocaleTerms:
    """Terms and options of a CSL locale: the style's own `<locale>` overrides first,
    then citeproc-py's locale file for the language (en-US when it has none)."""

    texts: tuple[str, ...]

    @classmethod
    def read(cls, language: str, style_text: str) -> LocaleTerms:
        texts = [body for lang, body in re.findall(
            r'<locale(?:\s+xml:lang="([^"]*)")?\s*>(.*?)</locale>', style_text, re.DOTALL)
            if not lang or language.lower().startswith(lang.lower())]
        folder = _CITEPROC / "data" / "locales"
        for candidate in (language, "en-US"):
            path = folder / f"locales-{candidate}.xml"
            if path.is_file():
                texts.append(path.read_text("utf-8"))
                break
        return cls(tuple(texts))

    def term(self, name: str, default: str, form: str = "") -> str:
        shape = rf'<term\s+name="{re.escape(name)}"\s+form="{form}"\s*>([^<]*)</term>' \
            if form else rf'<term\s+name="{re.escape(name)}"\s*>([^<]*)</term>'
        for text in self.texts:
            match = re.search(shape, text)
            if match:
                return html.unescape(match.group(1))
        return default

    def option(self, name: str, default: str) -> str:
        for text in self.texts:
            match = re.search(rf'<style-options\b[^>]*\b{re.escape(name)}="([^"]*)"', text)
            if match:
                return match.group(1).lower()
        return default


# -- before citeproc ------------------------------------------------------------


def prepare_item(item: dict, style: StyleInfo | None = None) -> dict:
    """Adjust a CSL-JSON item so styles place everything where they should."""
    item = dict(item)
    # An unknown date stays unknown: the style prints its locale's "no date" term
    # where it wants one (`<if variable="issued">`), and nothing where it does not.
    authors = item.get("author", [])
    # A site named like its only (organisational) author is not repeated (APA 7 §9.?:
    # "when the author and site name are the same, omit the site name").
    if (len(authors) == 1 and authors[0].get("literal")
            and authors[0]["literal"] == item.get("container-title")
            and item["type"] == "webpage"):
        del item["container-title"]
    # With no author the title moves to the author position; a genre such as
    # "Opinion" must travel with it instead of trailing a repeated title.
    if not authors and item.get("genre") and item.get("title") and \
            item.get("type") in PERIODICAL_TYPES:
        item["title"] = f"{item['title']} [{item.pop('genre')}]"
    return item


# -- after citeproc: reference entries -------------------------------------------


def fix_entry(text: str, item: dict, source_title: str, style: StyleInfo) -> str:
    """Mend one formatted reference entry (HTML from citeproc-py)."""
    title = item.get("title", "")
    if not item.get("author") and title:
        text = drop_repeated_title(text, title)
    text = restore_descriptions(text, title)
    if style.is_apa and not item.get("author") and item["type"] in PERIODICAL_TYPES:
        text = unitalicise_leading_title(text)
    if style.is_apa and item["type"] == "report":
        text = restore_report_date(text, item)
    if "edition" not in item:
        text = drop_stray_edition(text)
    text = hyphenated_initials(text)
    if style.is_apa:
        text = re.sub(r"\b(ed|eds)\.\)", lambda m: m.group(1).capitalize() + ".)", text)
    text = capitalise_after_quote(text, title)
    return _finish(text, [item], style)


def _finish(text: str, items: list[dict], style: StyleInfo) -> str:
    """The fixes every entry and citation gets last: dates, quotes, punctuation."""
    text = nest_quotes(text, style.quotes)
    if style.punctuation_in_quote:
        text = punctuation_inside_quotes(text, style.quotes)
    for item in items:
        text = title_end_punctuation(text, item.get("title", ""), style.punctuation_in_quote)
    return tidy_punctuation(text)


def title_end_punctuation(text: str, title: str, inside: bool = True) -> str:
    """A title that ends in its own "?", "!" or "." takes no comma or full stop after
    it inside the closing quotation mark ("Matters?,”" → "Matters?”"), nor outside it
    where the locale moves punctuation inside (`inside`, en-US)."""
    title = html.unescape(title).rstrip()
    if not title or title[-1] not in "?!.":
        return text
    word = re.search(r"\w+[^\w\s]*$", title)  # "matter?": quotes before it may be re-marked
    tail = re.escape(html.escape(word.group(0) if word else title[-1], quote=False))
    return re.sub(rf"({tail})((?:</[a-z]+>|[”’“‘»\"'.,])*)",
                  lambda m: m.group(1) + (re.sub(r"[.,]", "", m.group(2)) if inside
                                          else _inside_dropped(m.group(2))), text,
                  flags=re.IGNORECASE)


def _inside_dropped(tail: str) -> str:
    """The "." and "," of `tail` (what follows a title's own "?") that stand before its
    last closing quotation mark, or all of them when no quotation mark closes there:
    where punctuation stays outside quotation marks (en-GB), a comma after them is the
    style's delimiter and stays, as CSL processors keep it ("‘Matters?’, Journal")."""
    closing = max(tail.rfind(q) for q in "”’»\"'")
    if closing < 0:
        return re.sub(r"[.,]", "", tail)
    return re.sub(r"[.,]", "", tail[:closing]) + tail[closing:]


def drop_repeated_title(text: str, title: str) -> str:
    """Artefact: with no author and no container, APA and Chicago print the title twice."""
    pattern = re.compile(r"(?:<i>)?" + re.escape(html.escape(title, quote=False)) +
                         r"(?:</i>)?", re.IGNORECASE)
    matches = list(pattern.finditer(text))
    if len(matches) < 2:
        return text
    second = matches[1]
    before, after = text[:second.start()], text[second.end():]
    if re.search(r"[.?!](?:</[a-z]+>)*\s*$", before) and after.startswith("."):
        before, after = before.rstrip(), after[1:]  # ". <i>Title</i>." leaves one full stop
    return before + after


def restore_descriptions(text: str, title: str) -> str:
    """Artefact: a bracketed description of an untitled work is italicised and
    title-cased as if it were a title; APA prints it plain, as written."""
    match = re.search(r"\[[^\]]*\]", title)
    if not match:
        return text
    description = html.escape(match.group(0), quote=False)
    text = re.sub(re.escape(description), lambda _: description, text, flags=re.IGNORECASE)
    return re.sub(r"<i>(\[[^\]<]*\])</i>", r"\1", text)


def unitalicise_leading_title(text: str) -> str:
    """APA 7: an article's title in the author position is not italic."""
    return re.sub(r"^<i>(.*?)</i>", r"\1", text, count=1)


def restore_report_date(text: str, item: dict) -> str:
    """Artefact: under APA, citeproc-py prints only the year of a dated report."""
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if len(parts) < 2:
        return text
    year = parts[0]
    full = f"{year}, {MONTHS[parts[1] - 1]}" + (f" {parts[2]}" if len(parts) > 2 else "")
    return text.replace(f"({year}).", f"({full}).", 1)


def hyphenated_initials(text: str) -> str:
    """Artefact: citeproc-py initialises "Ji-woo" as "J.-. woo." instead of "J.-W."."""
    return re.sub(r"\b(\w)\.-\.?\s?(\w)\w*\s?\.",
                  lambda m: f"{m.group(1)}.-{m.group(2).upper()}.", text)


def drop_stray_edition(text: str) -> str:
    """Artefact: Chicago prints the bare term "Edition" for items that have none; the
    comma that led to it goes with it ("n.d., Edition" → "n.d."), a quotation mark or
    full stop before it stays."""
    return re.sub(r",?([”’]?)\s*\bedition(?=[.,;]|$)", r"\1", text, flags=re.IGNORECASE)


def capitalise_after_quote(text: str, title: str) -> str:
    """Artefact: title-casing skips a word that follows an opening quotation mark
    (and, on its way, capitalises one in a sentence-case title)."""
    escaped = html.escape(title, quote=False)
    match = re.search(re.escape(escaped), text, re.IGNORECASE)
    if not match:
        return text
    region = match.group(0)
    if region == escaped:  # printed as stored (sentence case): nothing to mend
        return text
    fixed = re.sub(r"([“‘\"])(\w)", lambda m: m.group(1) + m.group(2).upper(), region)
    return text[:match.start()] + fixed + text[match.end():]


def nest_quotes(text: str, quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")) -> str:
    """A quotation inside a quotation takes the locale's inner marks (en-US “… ‘…’ …”,
    en-GB ‘… “…” …’, de „… ‚…‘ …“), one inside that the outer marks again; an outermost
    quotation keeps its marks as written, and a ’ between letters stays an apostrophe.
    A mark that closes the open quotation closes it (German “ ends „…“), unless it
    stands before a word after a space, where it opens one (“zebra” in „… “zebra” …“)."""
    opening = {"“": "”", "‘": "’", "„": "“", "‚": "‘", "«": "»",
               quotes[0]: quotes[1], quotes[2]: quotes[3]}
    out: list[str] = []
    stack: list[str] = []  # the closing mark each open quotation expects, as written
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        word_start = (not before or before.isspace()) and after.isalnum()
        closes = (stack and char == stack[-1] and not word_start
                  and not (before.isalnum() and after.isalnum()))
        if closes:
            stack.pop()
            depth = len(stack)
            out.append(char if depth == 0 else quotes[3] if depth % 2 else quotes[1])
        elif char in opening and not (char in "‘’" and before.isalnum()):
            depth = len(stack)
            out.append(char if depth == 0 else quotes[2] if depth % 2 else quotes[0])
            stack.append(opening[char])
        else:
            out.append(char)
    return "".join(out)


def punctuation_inside_quotes(text: str,
                              quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")) -> str:
    """American usage (punctuation-in-quote): a full stop or comma after a closing
    quotation mark goes inside it; after "?" or "!" it is dropped."""
    close = re.escape(quotes[1] + quotes[3])
    text = re.sub(rf"([?!])([{close}]+)[.,]", r"\1\2", text)
    return re.sub(rf"([{close}]+)([.,])", r"\2\1", text)


def tidy_punctuation(text: str) -> str:
    """Punctuation that meets punctuation with nothing between is merged, as CSL
    processors merge affixes and delimiters (citeproc-py does not): ",," ",;" ",." "..",
    "?." and "!.", also across a closing quotation mark ("Title.”." → "Title.”",
    “Title,”. → “Title.”, “Title,”; → “Title”;). Punctuation the style spaces out
    (", ,", " ;", "()", a trailing ", ") is left as the style writes it."""
    quote = r"((?:</[a-z]+>)*[”’]*)"
    text = re.sub(r",((?:</[a-z]+>)*),", r"\1,", text)  # "n.d.,, para" → "n.d., para"
    text = re.sub(r",((?:</[a-z]+>)*[”’]*)(?=[;:])", r"\1", text)  # "n.d.,; " → "n.d.; "
    text = re.sub(r"([.?!](?:</[a-z]+>)*[”’]+)\.", r"\1", text)  # "Title.”." → "Title.”"
    text = re.sub(r",((?:</[a-z]+>)*[”’]+)\.", r".\1", text)  # “Title,”. → “Title.”
    text = re.sub(r",((?:</[a-z]+>)*[”’]+),", r",\1", text)  # ",”," → ",”"
    text = re.sub(r"," + quote + r"\.", r".\1", text)  # ",." → "."
    text = re.sub(r"([?!])" + _CLOSE_TAGS + r"\.", r"\1\2", text)
    return re.sub(r"\." + _CLOSE_TAGS + r"\.+", r".\1", text)


# -- after citeproc: in-text citations -------------------------------------------


def fix_citation(text: str, items: list[dict], originals: dict[str, str],
                 style: StyleInfo) -> str:
    """Mend one formatted in-text citation (HTML from citeproc-py)."""
    for item in items:
        title = item.get("title", "")
        text = restore_descriptions(text, title)
        if not style.numeric and not item.get("author") and title and \
                item["type"] in PERIODICAL_TYPES:
            text = quote_article_title(text, item, originals.get(item["id"]) or title, style)
        if "edition" not in item:
            text = drop_stray_edition(text)
        text = capitalise_after_quote(text, title)
    return _finish(text, items, style)


def quote_article_title(text: str, item: dict, original: str,
                        style: StyleInfo | None = None) -> str:
    """APA 7 (and Chicago): a no-author article is cited by its title in title case,
    in quotation marks; citeproc-py italicises it, with any genre attached."""
    open_quote, close_quote = style.quotes[:2] if style else ("“", "”")
    inside = style is None or style.punctuation_in_quote
    title = apa_title_case(original)
    quoted = (f"{open_quote}{title},{close_quote}" if inside
              else f"{open_quote}{title}{close_quote},")
    for match in re.finditer(r"<i>([^<]*)</i>,?", text):
        inner = html.unescape(match.group(1)).casefold()
        if inner.startswith(original.casefold()[:20]):
            return text[:match.start()] + html.escape(quoted, quote=False) + \
                text[match.end():]
    return text


def apa_title_case(title: str) -> str:
    """APA 7 title case: capitalise every word except minor words of three letters or fewer."""
    words = title.split(" ")
    out = []
    for index, word in enumerate(words):
        bare = word.strip("“‘\"'([").lower()
        after_colon = index > 0 and words[index - 1].endswith(":")
        if index and not after_colon and bare in MINOR_WORDS:
            out.append(word.lower() if word.isalpha() else word)
        else:
            out.append(re.sub(r"^([“‘\"'(\[]*)(\w)", lambda m: m.group(1) + m.group(2).upper(),
                              word, count=1))
    return " ".join(out)

