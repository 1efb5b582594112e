"""The live preview's page: the web edition, with the brief's findings beside the
paragraphs they concern and all of them on top, and a small script that swaps in the
new page when the server says that the preview changed (`live.py`).

A finding is placed by its content field: the review's place (file, line, column) →
the innermost YAML item holding it → the first of its fields that the page shows
(`compose.fields.field_for`, as the DOCX's review comments are placed), found in the
page by its `data-field`. Content that does not load is not placed: the last good
edition is shown under the findings. Each finding links to its file and line through
an editor's URL scheme (`vscode://file…` unless told otherwise).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from html import escape
from pathlib import Path

from lxml import html as lhtml

from briefing.compose.fields import field_for, field_infos
from briefing.core.findings import ContentError, Finding, Place
from briefing.load.brief import load_brief

from .builder import Built, Output

EDITOR_URL = "vscode://file{path}:{line}:{col}"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
#: Where a note stands first inside its block (a list item, a table cell), not before it.
_HOLDERS = {"li", "td", "th"}
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "caption"}

STYLE = """\
.preview-panel{max-width:44rem;margin:1rem auto;padding:.6rem 1rem;border:2px solid #7A5200;
background:#FFF8E6;font:.9rem/1.4 system-ui,sans-serif;color:#1A1A1A}
.preview-panel.invalid{border-color:#A00000;background:#FDECEC}
.preview-panel h2{font-size:1rem;margin:.2rem 0}
.preview-panel ol{margin:.3rem 0;padding-left:1.8rem;max-height:40vh;overflow-y:auto}
.preview-panel p{margin:.3rem 0}
.preview-note{display:block;margin:.3rem 0;padding:.25rem .5rem;border-left:4px solid #7A5200;
background:#FFF8E6;font:.8rem/1.35 system-ui,sans-serif;color:#1A1A1A;text-indent:0;
text-align:left;font-weight:400;font-style:normal}
.preview-note ul{margin:0;padding-left:1rem}
.preview-note.error,.preview-panel li.error{border-color:#A00000;background:#FDECEC}
.preview-panel a,.preview-note a{color:#1F4E8C}
@media (min-width:78rem){main>.preview-note,.box>.preview-note,li>.preview-note{
float:right;clear:right;width:15rem;margin:0 -17rem .4rem 0}
.box>.preview-note{margin-right:-18rem}}
@media print{.preview-panel,.preview-note{display:none}}
"""

#: Waits for the server to say the preview changed, then swaps the new page in (one
#: swap at a time, in order); the scroll position stays where it was.
SCRIPT = """\
(() => {
  const here = location.pathname;
  const tag = () => document.querySelector('meta[name="briefing-preview"]').content;
  let queue = Promise.resolve();
  const swap = async () => {
    const response = await fetch(here, {cache: "no-cache"});
    if (!response.ok) {
      document.body.textContent = await response.text();
      return;
    }
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    document.documentElement.replaceChildren(next.head, next.body);
  };
  const events = new EventSource(here + "/events");
  events.addEventListener("preview", (event) => {
    queue = queue.then(() => event.data === tag() ? null : swap()).catch(() => null);
  });
})();
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
#: The page may run its own script and talk to its own server; nothing else.
POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
          f"script-src '{SCRIPT_HASH}'; connect-src 'self'; base-uri 'none'; "
          "form-action 'none'")


class EditorUrlError(ValueError):
    """An editor URL template that cannot make a link."""


def editor_url(template: str) -> str:
    """`template` if it can make an editor link: a URL with a scheme naming `{path}`
    and optionally `{line}` and `{col}`; raises EditorUrlError saying what is wrong."""
    unknown = [name for name in _PLACEHOLDER.findall(template)
               if name not in ("path", "line", "col")]
    if unknown:
        raise EditorUrlError(f"editor URL '{template}' names {{{unknown[0]}}}; it may name "
                             "{path}, {line} and {col}")
    if "{path}" not in template:
        raise EditorUrlError(f"editor URL '{template}' does not name {{path}}")
    if not _SCHEME.match(template) or template.lower().startswith(("javascript:", "data:")):
        raise EditorUrlError(f"editor URL '{template}' does not start with an editor's "
                             "scheme, e.g. vscode://file{path}:{line}:{col}")
    return template


def editor_link(template: str, place: Place) -> str:
    """The URL that opens `place` in the editor: `{path}` is the file's absolute path
    with a leading slash (/home/… or /C:/…), percent-encoded where a URL needs it."""
    from urllib.parse import quote

    path = Path(os.path.abspath(place.path)).as_posix()
    values = {"path": quote(path if path.startswith("/") else "/" + path, safe="/:"),
              "line": str(place.line), "col": str(place.col)}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def preview_tag(built: Built | None, output: Output | None, template: str) -> str:
    """What the page shows, as a short digest: its ETag, and what the live events say."""
    digest = hashlib.sha256(template.encode())
    if built is not None:
        state = "ok" if built.ok else built.status  # built or up to date: the same page
        digest.update(f"{state}\0{built.message}\0".encode())
        digest.update("\0".join(str(f) for f in built.findings).encode())
    digest.update(b"\0" + (output.data if output else b""))  # not its inputs: a comment
    return digest.hexdigest()[:32]  # added to the YAML changes nothing a page shows


def page(built: Built, output: Output | None, template: str, title: str) -> bytes:
    """The preview page of a build: its web edition (the last good one when the content
    does not build, `output` None if there is none), its findings on top and beside
    their paragraphs, and the live script."""
    findings = list(built.findings)
    if output is not None:
        root = lhtml.document_fromstring(output.data)
    else:
        root = lhtml.document_fromstring(f"<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                         f"<title>{escape(title)}</title></head>"
                                         "<body><main></main></body></html>")
    shown: dict[str, object] = {}  # each field's key → its first element in the page
    for element in root.iter():
        if element.get("data-field"):
            shown.setdefault(element.get("data-field"), element)
    placed = _place(built, findings, list(shown))
    _annotate(shown, placed, findings, template)
    body = root.find("body")
    panel = lhtml.fragment_fromstring(_panel(built, output, findings, placed, template))
    body.insert(0, panel)
    head = root.find("head")
    head.find("title").text = f"Preview: {head.findtext('title') or title}"
    tag = preview_tag(built, output, template)
    for element in (f'<meta name="briefing-preview" content="{tag}">',
                    f"<style>{STYLE}</style>", f"<script>{SCRIPT}</script>"):
        head.append(lhtml.fragment_fromstring(element))
    return lhtml.tostring(root, doctype="<!DOCTYPE html>", encoding="utf-8")


def _place(built: Built, findings: list[Finding], shown: list[str]) -> dict[int, str]:
    """finding index → the key of the field (of those `shown`, in page order) it
    stands beside; a finding outside the brief's files is not placed."""
    if not shown:
        return {}
    try:
        loaded = load_brief(built.path)
    except (ContentError, OSError):  # content that does not load: findings on top only
        return {}
    infos = field_infos(loaded.brief, loaded.located)
    fields = tuple(infos[key] for key in shown if key in infos)
    files = {loaded.place().path, *(p.path for p in loaded.located.values.values())}
    if not fields:
        return {}
    return {number: field_for(finding, loaded.located, fields)
            for number, finding in enumerate(findings) if finding.place.path in files}


def _annotate(shown: dict, placed: dict[int, str], findings: list[Finding],
              template: str) -> None:
    """A note beside the block of each placed field, with the findings it concerns."""
    by_key: dict[str, list[int]] = {}
    for number, key in placed.items():
        by_key.setdefault(key, []).append(number)
    for key, numbers in by_key.items():
        field = shown[key]
        block = next((e for e in field.iterancestors() if e.tag in _BLOCKS), field)
        worst = " error" if any(findings[n].severity == "error" for n in numbers) else ""
        items = "".join(f'<li id="preview-note-{n + 1}">'
                        f"{_text(findings[n], template, short=True)}</li>" for n in numbers)
        note = lhtml.fragment_fromstring(
            f'<div class="preview-note{worst}" role="note"><ul>{items}</ul></div>')
        if block.tag in _HOLDERS:
            block.insert(0, note)
        else:
            block.addprevious(note)


def _panel(built: Built, output: Output | None, findings: list[Finding],
           placed: dict[int, str], template: str) -> str:
    """The findings on top: the verdict, then every finding with its editor link."""
    errors = sum(f.severity == "error" for f in findings)
    counts = f"{errors} error(s), {len(findings) - errors} warning(s)"
    if built.ok:
        verdict, kind = f"Valid: {counts}.", ""
    elif output is not None:
        verdict, kind = (f"The brief does not build ({escape(built.status)}: {counts}); "
                         "showing the last good preview."), " invalid"
    else:
        verdict, kind = (f"The brief does not build ({escape(built.status)}: {counts}); "
                         "there is no good preview yet."), " invalid"
    items = [_item(n, f, n in placed, template) for n, f in enumerate(findings)]
    if built.message and not built.ok:
        items.append(f'<li class="error">{escape(built.message.splitlines()[0])}</li>')
    listing = f"<ol>{''.join(items)}</ol>" if items else ""
    return (f'<aside class="preview-panel{kind}" aria-labelledby="preview-title">'
            f'<h2 id="preview-title">Findings</h2><p role="status">{verdict}</p>'
            f"{listing}</aside>")


def _item(number: int, finding: Finding, placed: bool, template: str) -> str:
    beside = f' (<a href="#preview-note-{number + 1}">beside the text</a>)' if placed else ""
    return (f'<li id="preview-finding-{number + 1}" class="{escape(finding.severity)}">'
            f"{_text(finding, template)}{beside}</li>")


def _text(finding: Finding, template: str, short: bool = False) -> str:
    """`path:line:col: severity: message [code]`, the place a link into the editor
    (`file:line` only when `short`)."""
    place = finding.place
    shown = f"{Path(place.path).name}:{place.line}" if short else str(place)
    code = f" [{escape(finding.rule)}]" if finding.coded else ""
    return (f'<a href="{escape(editor_link(template, place))}">{escape(shown)}</a>: '
            f"{escape(finding.severity)}: {escape(finding.message)}{code}")
