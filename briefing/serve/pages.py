"""The server's HTML: the index of briefs and a brief's findings page."""

from __future__ import annotations

import time
from html import escape

from briefing.core.findings import Finding
from briefing.core.terminal import display_path

from .library import Entry

STYLE = ("body{font:1rem/1.45 system-ui,sans-serif;margin:0;color:#1A1A1A}"
         "main{margin:1.5rem auto;max-width:60rem;padding:0 1rem;overflow-wrap:break-word}"
         ".table-wrap{overflow-x:auto}table{border-collapse:collapse;width:100%}"
         "th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #C9D1DB;"
         "vertical-align:top}thead th{background:#12355B;color:#FFFFFF}caption{text-align:left;"
         "padding:.3em 0;color:#44546A}a{color:#1F4E8C}.marking{font-weight:700;"
         "white-space:nowrap}.error{color:#A00000}.warning{color:#7A5200}.ok{color:#006400}"
         "code{font-size:90%}")


def _page(title: str, body: str) -> bytes:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>\n").encode()


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(stamp)) if stamp else "never"


def index(entries: list[Entry], formats: tuple[str, ...], previews: bool = False) -> bytes:
    """One row per brief: its title (a link to its web edition), edition, date, marking,
    what the review found, when it was last built, and its files (and its live preview
    when `previews`)."""
    rows = []
    for entry in entries:
        built = entry.built
        header = built.header if built else {}
        errors = sum(f.severity == "error" for f in built.findings) if built else 0
        warnings = len(built.findings) - errors if built else 0
        if built is None:
            state = "not built yet"
        elif built.ok:
            state = f'<span class="ok">valid</span>, {warnings} warning(s)'
        else:
            state = (f'<span class="error">{escape(built.status)}</span>, {errors} error(s), '
                     f"{warnings} warning(s)")
        bid = escape(entry.brief_id)
        title = escape(header.get("title", display_path(entry.path)))
        links = " · ".join(f'<a href="/b/{bid}.{fmt}">{fmt.upper()}</a>' for fmt in formats)
        if previews:
            links += f' · <a href="/preview/{bid}">live preview</a>'
        rows.append(
            f'<tr><th scope="row"><a href="/b/{bid}">{title}</a></th>'
            f"<td>{escape(header.get('edition', ''))}</td>"
            f"<td>{escape(header.get('date', ''))}</td>"
            f'<td class="marking">{escape(header.get("marking", ""))}</td>'
            f'<td>{state} (<a href="/b/{bid}/findings">findings</a>)</td>'
            f"<td>{_when(entry.built_at)}</td><td>{links}</td></tr>")
    columns = ("Brief", "Edition", "Date", "Marking", "Review", "Last build", "Files")
    head = "".join(f'<th scope="col">{name}</th>' for name in columns)
    table = (f'<div class="table-wrap"><table><caption>{len(rows)} brief(s); a title opens '
             f"its web edition</caption><thead><tr>{head}</tr></thead><tbody>"
             + "".join(rows) + "</tbody></table></div>") if rows else "<p>No briefs found.</p>"
    return _page("Briefs", f"<h1>Briefs</h1>{table}")


def findings(entry: Entry) -> bytes:
    """Every finding of the brief's latest build, one `path:line:col: message` a line."""
    built = entry.built
    title = (built.header.get("title") if built else None) or entry.brief_id
    items = [_finding(f) for f in (built.findings if built else [])]
    if built and built.message:
        items.append(f'<li class="error">{escape(built.message.splitlines()[0])}</li>')
    verdict = ("valid" if built and built.ok else
               f"{built.status}" if built else "not built yet")
    body = (f"<h1>{escape(title)}</h1><p>{escape(entry.brief_id)}: {escape(verdict)}, "
            f"{len(built.findings) if built else 0} finding(s).</p>"
            + (f"<ul>{''.join(items)}</ul>" if items else "<p>No findings.</p>")
            + '<p><a href="/">All briefs</a></p>')
    return _page(f"Findings: {title}", body)


def _finding(finding: Finding) -> str:
    return (f'<li class="{escape(finding.severity)}"><code>{escape(str(finding.place))}'
            f"</code>: {escape(finding.severity)}: {escape(finding.message)}</li>")
