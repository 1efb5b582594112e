"""The web edition's stylesheet, made from the layout's named styles and fonts.

Each style the page uses becomes a class (`Key Judgment` → `.s-key-judgment`). Sizes
are relative to the layout's `Body` size (1rem), so a reader's own text size wins;
spacing is in ems of the style's size, leading is a unitless line height. A screen
gets one column that reads from 320 px up; print gets the layout's page size and
margins, the marking banner at the top and bottom of every page (page margin boxes),
and a page break where the PDF has one.
"""

from __future__ import annotations

import re

from briefing.compose import tree as t
from briefing.load.layout import LoadedLayout

GENERIC = {"serif": "serif", "sans": "sans-serif"}
PAGE_SIZES = {"A4": "A4", "Letter": "letter"}

BASE = """\
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;background:#FFFFFF}
main{max-width:44rem;margin:0 auto;padding:0 1rem}
main{padding-bottom:2rem;overflow-wrap:break-word}
.marking{margin:0;padding:.25rem 1rem;text-align:center;font-weight:700;
letter-spacing:.05em;font-family:sans-serif;font-size:.8rem}
p.editions{max-width:44rem;margin:.5rem auto 0;padding:0 1rem;font-family:sans-serif;
font-size:.85rem;text-align:right}
nav.contents{margin:1.5rem 0;font-family:sans-serif;font-size:.85rem}
nav.contents h2{font-size:1rem;margin:.5rem 0}
nav.contents ol{margin:0;padding-left:1.5rem}
ol.judgments{padding-left:1.8rem;margin:.5rem 0}
ol.judgments>li::marker{font-weight:700}
ol.judgments p{text-indent:0;margin-left:0;padding-left:0}
.box{padding:.75rem 1rem;margin:1rem 0}
.table-wrap{overflow-x:auto;margin:.75rem 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.3rem .4rem}
caption{text-align:left;font-weight:700;padding:.3rem 0}
svg{vertical-align:middle;margin-right:.4em}
a.note-ref{vertical-align:super;font-size:.7em;line-height:0;text-decoration:none}
section.notes{margin-top:2rem;font-size:.85rem}
section.notes h2{font-size:1.1rem}
.page-break{height:0}
code{font-family:monospace}
@media print{
.page-header,.page-footer{display:none}
main{max-width:none;padding:0}
nav.contents{display:none}
.page-break{break-after:page}
h1,h2,h3,h4{break-after:avoid}
ol.judgments>li,tr{break-inside:avoid}
a{color:inherit}
}
"""


def class_of(style: str) -> str:
    """The CSS class of a layout style name."""
    return "s-" + (re.sub(r"[^a-z0-9]+", "-", style.lower()).strip("-") or "style")


def css_string(text: str) -> str:
    """`text` inside a double-quoted CSS string: quotes, backslashes and line ends
    escaped, so a label can never close the string."""
    return "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):x} "
                   for c in text)


def _number(value: float) -> str:
    return f"{value:.4g}"


def _rule(layout: LoadedLayout, name: str, families: dict[str, str], body: float) -> str:
    values = layout.style(name)
    size = float(values.get("size", body))
    parts = [f"font-size:{_number(size / body)}rem"]
    family = values.get("font")
    if family in families:
        parts.append(f"font-family:{families[family]}")
    if "leading" in values:
        parts.append(f"line-height:{_number(float(values['leading']) / size)}")
    if "colour" in values:
        parts.append(f"color:{values['colour']}")
    if "background" in values:
        parts.append(f"background:{values['background']}")
    parts.append(f"font-weight:{700 if values.get('bold') else 400}")
    parts.append(f"font-style:{'italic' if values.get('italic') else 'normal'}")
    if values.get("align") in ("left", "right", "center", "justify"):
        parts.append(f"text-align:{values['align']}")
    parts.append(f"margin:{_number(float(values.get('space_before', 0)) / size)}em "
                 f"{_number(float(values.get('indent_right', 0)) / size)}em "
                 f"{_number(float(values.get('space_after', 0)) / size)}em "
                 f"{_number(float(values.get('indent_left', 0)) / size)}em")
    if values.get("first_line_indent"):
        parts.append(f"text-indent:{_number(float(values['first_line_indent']) / size)}em")
    rule = f".{class_of(name)}{{{';'.join(parts)}}}"
    # Emphasis inside an emphasised style turns it off, as in the PDF and the DOCX.
    if values.get("bold"):
        rule += f".{class_of(name)} strong{{font-weight:400}}"
    if values.get("italic"):
        rule += f".{class_of(name)} em{{font-style:normal}}"
    return rule


def font_stacks(layout: LoadedLayout) -> dict[str, str]:
    """Layout family key → a CSS font stack: the family's own name, then its generic
    family (and the layout's fallback families, for scripts the first lacks)."""
    from briefing.render.fonts import summary_of

    names = {key: summary_of(layout.font_path(family.regular)).family_name
             for key, family in layout.layout.fonts.items()}
    stacks = {}
    for key in names:
        chain = [key, *(f for f in layout.layout.fallback_fonts if f != key)]
        fonts = [f'"{names[f]}"' for f in chain if f in names]
        stacks[key] = ",".join([*fonts, GENERIC.get(key, "sans-serif")])
    return stacks


def stylesheet(layout: LoadedLayout, styles: list[str], marking: t.Marking,
               characters: frozenset[str]) -> str:
    """The page's whole stylesheet: the layout's fonts cut down to `characters`, the
    base, one rule per style it uses, print."""
    from .fonts import font_faces

    families = font_stacks(layout)
    body = float(layout.style("Body").get("size", 10))
    colours = layout.layout.colours
    page = layout.layout.page
    rules = [_rule(layout, name, families, body)
             for name in ["Body", *(style for style in styles if style != "Body")]]
    rules.append(f"body{{font-family:{families.get(layout.style('Body').get('font'), 'serif')};"
                 f"color:{layout.style('Body').get('colour', '#1A1A1A')}}}")
    rules.append(f"a{{color:{colours.link}}}")
    rules.append(f"th,td{{border-bottom:1px solid {colours.table_rule}}}")
    rules.append(f"th{{background:{colours.table_header}}}")
    for name, spec in sorted(layout.layout.boxes.items()):
        rules.append(f".{class_of(name)}{{background:{spec.background};"
                     f"border:{_number(spec.border_width)}pt solid {spec.border}}}")
    spec = layout.layout.marking
    banner = (f'content:"{css_string(marking.label)}";color:{marking.foreground};'
              f"background:{marking.background};font:700 {_number(spec.size)}pt sans-serif;"
              f"height:{_number(spec.height)}mm;padding:0 4mm")
    rules.append(f"@page{{size:{PAGE_SIZES.get(page.size, 'A4')};"
                 f"margin:{_number(page.margin_top)}mm {_number(page.margin_right)}mm "
                 f"{_number(page.margin_bottom)}mm {_number(page.margin_left)}mm;"
                 f"@top-center{{{banner}}}@bottom-center{{{banner}}}}}")
    return "\n".join([font_faces(layout, characters, css_string), BASE + "\n".join(rules)]) + "\n"
