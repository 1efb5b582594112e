"""The `briefing` command line's parser: every command, option and help text.

Exit codes: 0 ok, 1 the command failed (usage errors too), 2 the content is invalid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing import __version__
from briefing.core.limits import LOCK_WAIT_SECONDS
from briefing.render.registry import FORMATS

from .exits import EXIT_FAILED

PDF_ENGINES = ("reportlab", "typst")  # as layout.yaml's pdf_engine names them


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 1: exit 2 is kept for invalid content."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_FAILED, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 <= value < 10**7:
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, not {text}")
    return value


def make_parser() -> argparse.ArgumentParser:
    """`briefing` and its commands; main.COMMANDS names each one's handler."""
    parser = _Parser(
        prog="briefing",
        description="Validate policy briefs kept as YAML and build them into PDF and DOCX.")
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=_Parser)

    validate = commands.add_parser("validate", help="check briefs; exit 2 if any is invalid")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                          help="a brief's YAML file or folder")
    validate.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                          help="text (path:line:col: …), json for machines, or SARIF 2.1.0 "
                          "for code-review tools")
    validate.add_argument("--strict", action="store_true",
                          help="treat warnings as errors")

    rules = commands.add_parser("rules", help="list the review rules, or explain one "
                                "(with its address in the documentation site)")
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code, e.g. BR101")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                       help="text, json, or markdown (a table)")

    schema = commands.add_parser("schema", help="print the JSON Schema of the content model")
    schema.add_argument("-o", "--output", type=Path, help="write to a file instead")

    build = commands.add_parser("build", help="validate, then build PDF and DOCX into out/")
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a brief's YAML file or folder")
    build.add_argument("--out-dir", type=Path, default=Path("out"),
                       help="where outputs go (default: out)")
    build.add_argument("--format", choices=(*FORMATS, "all"),
                       help="which outputs to build (default: pdf and docx; all: pdf, docx "
                       "and html)")
    build.add_argument("--layout", help="layout name or path, overriding the brief's")
    build.add_argument("--force", action="store_true",
                       help="rebuild even if nothing changed")
    build.add_argument("-j", "--jobs", type=_positive_int, default=1,
                       help="build this many briefs in parallel (default: 1; never more "
                       "than there are briefs)")
    build.add_argument("--wait", type=_seconds, default=None, metavar="SECONDS",
                       help="when another build of a brief holds its lock, wait this long "
                       f"before giving up (default: {LOCK_WAIT_SECONDS})")
    build.add_argument("--pdf-engine", choices=PDF_ENGINES,
                       help="what draws the PDF, overriding the layout's pdf_engine: "
                       "typst (default: tagged PDF/UA-1, page footnotes) or reportlab "
                       "(untagged, endnotes; less memory on very long briefs)")
    build.add_argument("--comments", action="store_true",
                       help="put every finding in the DOCX as a Word comment on its field")
    _cache_option(build)

    watch = commands.add_parser("watch", help="rebuild whenever the brief, layout or seeds change")
    watch.add_argument("path", type=Path, metavar="PATH")
    watch.add_argument("--out-dir", type=Path, default=Path("out"))
    watch.add_argument("--format", choices=(*FORMATS, "all"),
                       help="which outputs to rebuild (default: pdf and docx)")
    watch.add_argument("--layout", help="layout name or path, overriding the brief's")
    watch.add_argument("--pdf-engine", choices=PDF_ENGINES,
                       help="what draws the PDF, overriding the layout's pdf_engine")
    _cache_option(watch)

    imports = commands.add_parser(
        "import", help="bring an analyst's edits in a returned DOCX back into the YAML")
    imports.add_argument("brief", type=Path, metavar="BRIEF", help="the brief's folder or file")
    imports.add_argument("docx", type=Path, metavar="RETURNED.docx",
                         help="a DOCX built by briefing, edited and returned")
    imports.add_argument("--write", action="store_true",
                         help="apply the changes to the YAML (default: print the diff only)")
    imports.add_argument("--force", action="store_true",
                         help="with --write, write even if the result does not validate")
    imports.add_argument("--changes", choices=("accept", "reject"), default="accept",
                         help="accept (default) or reject the DOCX's tracked changes")
    imports.add_argument("--comments", type=Path, metavar="FILE",
                         help="also save the analysts' comments to FILE as YAML")

    serve = commands.add_parser("serve", help="serve every brief as PDF and DOCX over HTTP, "
                                "rebuilt when its content changed")
    serve.add_argument("path", type=Path, nargs="?", default=Path("content"), metavar="PATH",
                       help="a folder of briefs, or one brief (default: content)")
    _server_options(serve)
    serve.add_argument("--max-marking", metavar="LABEL",
                       help="refuse (403) briefs marked above LABEL, e.g. TLP:GREEN")
    serve.add_argument("--preview", action="store_true",
                       help="also serve live previews at /preview/<id>: the web edition "
                       "with its findings, redrawn on every save")
    _editor_option(serve)

    preview = commands.add_parser(
        "preview", help="a live preview of a brief in the browser: the web edition with its "
        "findings beside it, redrawn on every save")
    preview.add_argument("path", type=Path, metavar="BRIEF", help="a brief's YAML file or folder")
    _server_options(preview)
    preview.add_argument("--open", action="store_true",
                         help="open the preview in the default browser")
    _editor_option(preview)

    lsp = commands.add_parser("lsp", help="run the language server on stdin/stdout: "
                              "findings, hover, completion and fixes in an editor")
    lsp.add_argument("--stdio", action="store_true",
                     help="talk over stdin/stdout (the only transport; accepted because "
                     "editors' clients pass it)")

    tree = commands.add_parser("tree", help="print the document tree as readable text")
    tree.add_argument("path", type=Path, metavar="PATH")
    tree.add_argument("--layout", help="layout name or path, overriding the brief's")
    _cache_option(tree)

    release = commands.add_parser("release", help="record the current edition as "
                                  "published: a frozen snapshot in editions/<N>.yaml")
    release.add_argument("path", type=Path, metavar="BRIEF")
    release.add_argument("--out-dir", type=Path, default=Path("out"),
                         help="where the outputs are built (default: out)")
    release.add_argument("--layout", help="layout name or path, overriding the brief's")

    diff = commands.add_parser("diff", help="what changed between two editions "
                               "(text, JSON, or a redline DOCX)")
    diff.add_argument("path", type=Path, metavar="BRIEF")
    diff.add_argument("--from", dest="since", type=int, metavar="N",
                      help="released edition to compare from (default: the latest before "
                      "--to)")
    diff.add_argument("--to", default="working", metavar="N|working",
                      help="released edition, or 'working' for the brief as it stands "
                      "(default)")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--docx", type=Path, metavar="FILE",
                      help="write a DOCX of the --to edition with the text changes as Word "
                      "tracked changes")
    diff.add_argument("--layout", help="layout name or path for --docx, overriding the "
                      "brief's")

    new = commands.add_parser("new", help="scaffold a brief that passes validate")
    new.add_argument("id", help="the new brief's id, e.g. china-taiwan")
    new.add_argument("--dir", type=Path, default=Path("content"),
                     help="parent folder (default: content)")
    new.add_argument("--from", dest="draft", type=Path, metavar="DRAFT.docx",
                     help="start from a Word draft: its title, BLUF, key judgments, "
                     "footnotes and references become the brief's, with placeholders "
                     "where the editor must judge")
    new.add_argument("--layout", metavar="NAME",
                     help="the layout the brief names (default: policy-brief); one of "
                     "the layouts/ folders the brief can reach")

    _source_commands(commands)
    return parser


def _source_commands(commands) -> None:
    """`briefing source add`: the sources of a brief."""
    from briefing.model.vocab import SOURCE_TYPES

    source = commands.add_parser("source", help="add a source to a brief from its file")
    actions = source.add_subparsers(dest="source_command", metavar="ACTION", required=True,
                                    parser_class=_Parser)
    add = actions.add_parser(
        "add", help="archive a PDF, HTML, DOCX, Markdown or text file as the text the "
        "review checks quotes against, and add its source entry to the brief")
    add.add_argument("brief", type=Path, metavar="BRIEF", help="the brief's folder or file")
    add.add_argument("file", type=Path, metavar="FILE",
                     help="the source: .pdf, .html (saved from a browser), .docx, .md or "
                     ".txt")
    add.add_argument("--id", help="the new source's id (default: made from its title)")
    add.add_argument("--type", choices=tuple(SOURCE_TYPES), metavar="TYPE",
                     help="the source's type: " + ", ".join(SOURCE_TYPES) + " (default: "
                     "web-page for HTML, report for the rest, noted as a guess)")


def _server_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default: 127.0.0.1, this machine only)")
    command.add_argument("--port", type=int, default=8000,
                         help="port to listen on; 0 picks a free one (default: 8000)")
    command.add_argument("--out-dir", type=Path, default=Path("out"),
                         help="where builds go (default: out)")


def _editor_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--editor-url", metavar="TEMPLATE",
                         help="how a finding links to its file and line: a URL naming "
                         "{path}, {line} and {col} (default: $BRIEFING_EDITOR_URL, else "
                         "vscode://file{path}:{line}:{col})")


def _cache_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true",
                         help="neither read nor write the cache of parsed fonts, font "
                         "subsets, citation runs, compiled templates and the like "
                         "(outputs are the same either way)")
