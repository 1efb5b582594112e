"""The `briefing` command line: validate, schema, new (and build, tree, watch …).

Exit codes: 0 ok, 1 the command failed, 2 the content is invalid.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from briefing import __version__
from briefing.core.findings import findings_json
from briefing.core.limits import LOCK_WAIT_SECONDS
from briefing.core.terminal import display_path, visible
from briefing.render.formats import FORMATS

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
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


def _parser() -> argparse.ArgumentParser:
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
    validate.set_defaults(run=_cmd_validate)

    rules = commands.add_parser("rules", help="list the review rules, or explain one")
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code, e.g. BR101")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                       help="text, json, or markdown (the README's table)")
    rules.set_defaults(run=_cmd_rules)

    schema = commands.add_parser("schema", help="print the JSON Schema of the content model")
    schema.add_argument("-o", "--output", type=Path, help="write to a file instead")
    schema.set_defaults(run=_cmd_schema)

    build = commands.add_parser("build", help="validate, then build PDF and DOCX into out/")
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="a brief's YAML file or folder")
    build.add_argument("--out-dir", type=Path, default=Path("out"),
                       help="where outputs go (default: out)")
    build.add_argument("--format", choices=(*FORMATS, "all"), default="all",
                       help="which outputs to build (default: all)")
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
                       "reportlab (default) or typst (tagged PDF/UA-1, page footnotes)")
    build.add_argument("--comments", action="store_true",
                       help="put every finding in the DOCX as a Word comment on its field")
    _cache_option(build)
    build.set_defaults(run=_cmd_build)

    watch = commands.add_parser("watch", help="rebuild whenever the brief, layout or seeds change")
    watch.add_argument("path", type=Path, metavar="PATH")
    watch.add_argument("--out-dir", type=Path, default=Path("out"))
    watch.add_argument("--format", choices=(*FORMATS, "all"), default="all")
    watch.add_argument("--layout", help="layout name or path, overriding the brief's")
    watch.add_argument("--pdf-engine", choices=PDF_ENGINES,
                       help="what draws the PDF, overriding the layout's pdf_engine")
    _cache_option(watch)
    watch.set_defaults(run=_cmd_watch)

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
    imports.set_defaults(run=_cmd_import)

    serve = commands.add_parser("serve", help="serve every brief as PDF and DOCX over HTTP, "
                                "rebuilt when its content changed")
    serve.add_argument("path", type=Path, nargs="?", default=Path("content"), metavar="PATH",
                       help="a folder of briefs, or one brief (default: content)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=int, default=8000,
                       help="port to listen on; 0 picks a free one (default: 8000)")
    serve.add_argument("--out-dir", type=Path, default=Path("out"),
                       help="where builds go (default: out)")
    serve.add_argument("--max-marking", metavar="LABEL",
                       help="refuse (403) briefs marked above LABEL, e.g. TLP:GREEN")
    serve.set_defaults(run=_cmd_serve)

    tree = commands.add_parser("tree", help="print the document tree as readable text")
    tree.add_argument("path", type=Path, metavar="PATH")
    tree.add_argument("--layout", help="layout name or path, overriding the brief's")
    _cache_option(tree)
    tree.set_defaults(run=_cmd_tree)

    release = commands.add_parser("release", help="record the current edition as "
                                  "published: a frozen snapshot in editions/<N>.yaml")
    release.add_argument("path", type=Path, metavar="BRIEF")
    release.add_argument("--out-dir", type=Path, default=Path("out"),
                         help="where the outputs are built (default: out)")
    release.add_argument("--layout", help="layout name or path, overriding the brief's")
    release.set_defaults(run=_cmd_release)

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
    diff.set_defaults(run=_cmd_diff)

    new = commands.add_parser("new", help="scaffold a brief that passes validate")
    new.add_argument("id", help="the new brief's id, e.g. china-taiwan")
    new.add_argument("--dir", type=Path, default=Path("content"),
                     help="parent folder (default: content)")
    new.set_defaults(run=_cmd_new)
    return parser


def _cache_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true",
                         help="neither read nor write the cache of parsed fonts, font "
                         "subsets, citation runs, compiled templates and the like "
                         "(outputs are the same either way)")


def _cmd_validate(args: argparse.Namespace) -> int:
    from briefing.build.helper import settled_imports

    with settled_imports():
        from briefing.build.batch import discover
        from briefing.build.validate import validate

    results = [validate(brief) for path in args.paths for brief in discover(path)]
    results = _with_duplicate_ids(results)
    if args.format == "json":
        print(json.dumps([{"path": display_path(r.path), "valid": r.ok,
                           "findings": json.loads(findings_json(r.findings)),
                           "suppressed": [s.to_dict() for s in r.suppressed]}
                          for r in results], ensure_ascii=False, indent=2))
    elif args.format == "sarif":
        from briefing.review.registry import all_rules
        from briefing.review.sarif import sarif_log

        print(json.dumps(sarif_log(results, all_rules()), ensure_ascii=False, indent=2))
    else:
        for result in results:
            for finding in result.findings:
                print(finding, file=sys.stderr)
            errors = sum(f.severity == "error" for f in result.findings)
            warnings = len(result.findings) - errors
            verdict = "valid" if result.ok else "invalid"
            silenced = f", {len(result.suppressed)} suppressed" if result.suppressed else ""
            print(f"{display_path(result.path)}: {verdict} ({errors} error(s), "
                  f"{warnings} warning(s){silenced})", file=sys.stderr)
    invalid = any(not r.ok for r in results)
    if args.strict:
        invalid = invalid or any(f.severity != "info" for r in results for f in r.findings)
    return EXIT_INVALID if invalid else EXIT_OK


def _with_duplicate_ids(results: list) -> list:
    """Each result, with an error if another brief of the run has the same id."""
    from dataclasses import replace

    from briefing.build.batch import duplicate_ids
    from briefing.core.findings import sort_findings

    ids = {r.path: (r.loaded.brief.id, r.loaded.place("id")) for r in results if r.loaded}
    clashes = duplicate_ids(ids) if len(ids) > 1 else {}
    return [replace(r, findings=sort_findings([*r.findings, clashes[r.path]]))
            if r.path in clashes else r for r in results]


def _cmd_rules(args: argparse.Namespace) -> int:
    from briefing.core.findings import did_you_mean
    from briefing.review.explain import explain, rules_markdown, rules_table
    from briefing.review.registry import all_rules

    rules = all_rules()
    if args.code and args.code.upper() not in rules:
        print(f"briefing: error: no rule '{args.code}'{did_you_mean(args.code.upper(), rules)}"
              "; `briefing rules` lists them", file=sys.stderr)
        return EXIT_FAILED
    chosen = [rules[args.code.upper()]] if args.code else list(rules.values())
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "family": r.family,
                           "severity": r.severity, "summary": r.summary,
                           "standard": r.standard,
                           "bad": [list(e) for e in r.bad], "good": [list(e) for e in r.good]}
                          for r in chosen], ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        sys.stdout.write(rules_markdown({r.code: r for r in chosen}))
    else:
        sys.stdout.write(explain(chosen[0]) if args.code else rules_table(rules))
    return EXIT_OK


def _print_findings(findings) -> None:
    for finding in findings:
        print(finding, file=sys.stderr)


def _cmd_build(args: argparse.Namespace) -> int:
    from briefing.build.helper import settled_imports, side_helper

    formats = FORMATS if args.format == "all" else (args.format,)
    # Fork the helper that renders the second format before loading anything: it
    # imports its renderer while this process loads and checks the brief.
    with side_helper(None, list(formats) if args.jobs == 1 else []) as helper:
        with settled_imports():
            from briefing.build.batch import build_many, discover, summary, worst_exit
            from briefing.build.pipeline import build  # noqa: F401 - imported here: see settled_imports

        outcomes = build_many(args.paths, args.out_dir, formats, args.layout, args.force,
                              args.jobs, comments=args.comments, wait=args.wait,
                              pdf_engine=args.pdf_engine, helper=helper)
    if not outcomes:
        print("briefing: error: no briefs found in "
              f"{', '.join(map(display_path, args.paths))}", file=sys.stderr)
        return EXIT_FAILED
    if len(outcomes) > 1 or any(len(discover(p)) > 1 for p in args.paths):
        summary(outcomes)
    return worst_exit(outcomes)


def _cmd_watch(args: argparse.Namespace) -> int:
    from briefing.watch import watch

    formats = FORMATS if args.format == "all" else (args.format,)
    return watch(args.path, args.out_dir, formats, args.layout, pdf_engine=args.pdf_engine)


def _cmd_serve(args: argparse.Namespace) -> int:
    from briefing.serve import serve
    from briefing.serve.ceiling import Ceiling, CeilingError

    try:
        if args.max_marking:
            Ceiling.parse(args.max_marking)
        if not args.path.exists():
            raise FileNotFoundError(f"{display_path(args.path)} does not exist")
        return serve(args.path, args.host, args.port, args.out_dir, args.max_marking)
    except (CeilingError, FileNotFoundError) as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # e.g. the port is taken
        print(f"briefing: error: cannot listen on {args.host}:{args.port}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


def _cmd_tree(args: argparse.Namespace) -> int:
    from briefing.build.pipeline import BuildError, resolve_layout
    from briefing.build.validate import validate
    from briefing.compose.composer import ComposeError, compose
    from briefing.core.findings import ContentError
    from briefing.render.text import dump

    result = validate(args.path, layout=args.layout)
    _print_findings(result.findings)
    if not result.ok:
        return EXIT_INVALID
    try:
        layout = resolve_layout(result.loaded, args.layout)
        document = compose(result.loaded, layout)
    except BuildError as exc:
        _print_findings(exc.findings)
        return EXIT_FAILED
    except ContentError as exc:
        _print_findings(exc.findings)
        return EXIT_INVALID
    except ComposeError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(dump(document))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from .roundtrip import cmd_import

    return cmd_import(args)


def _cmd_schema(args: argparse.Namespace) -> int:
    from briefing.model.schema import schema_text

    text = schema_text()
    if args.output:
        try:
            args.output.write_text(text, "utf-8")
        except OSError as exc:
            hint = "; create the folder first" if not args.output.parent.is_dir() else ""
            print(f"briefing: error: cannot write {display_path(args.output)}: "
                  f"{exc.strerror or exc}{hint}", file=sys.stderr)
            return EXIT_FAILED
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from briefing.model.schema import SHIPPED

    from .scaffold import ScaffoldError, new_brief

    try:
        schema = Path(SHIPPED).resolve()
        target = new_brief(args.id, args.dir, schema.as_uri())
    except (ScaffoldError, OSError) as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"created {display_path(target)}; check it with: briefing validate "
          f"{display_path(target.parent)}")
    return EXIT_OK


def _cmd_release(args: argparse.Namespace) -> int:
    from briefing.editions.release import ReleaseRefused, release

    try:
        done = release(args.path, args.out_dir, args.layout)
    except ReleaseRefused as exc:
        _print_findings(exc.findings)
        print(f"briefing: release refused: {exc}", file=sys.stderr)
        return exc.exit_code
    _print_findings(done.findings)
    snapshot = display_path(done.snapshot)
    if done.already:
        print(f"edition {done.number} of '{done.brief_id}' is already released as "
              f"{snapshot}, with this content; nothing to do")
        return EXIT_OK
    digests = ", ".join(f"{fmt} sha256 {value['sha256'][:12]}…"
                        for fmt, value in done.outputs.items())
    print(f"released edition {done.number} of '{done.brief_id}' as {snapshot} ({digests})")
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from briefing.core.findings import ContentError
    from briefing.editions.report import diff_json, diff_text
    from briefing.editions.select import SelectError, pick

    try:
        pair = pick(args.path, args.since, args.to)
    except ContentError as exc:
        _print_findings(exc.findings)
        return EXIT_INVALID
    except SelectError as exc:
        print(f"briefing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.docx:
        return _write_redline(args, pair)
    if args.format == "json":
        sys.stdout.write(diff_json(pair.diff))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(diff_text(pair.diff, pair.new.brief.id, colour))
    return EXIT_OK


def _write_redline(args: argparse.Namespace, pair) -> int:
    from briefing.build.pipeline import BuildError, write_atomic
    from briefing.editions.redline import redline

    try:
        data = redline(pair, args.layout)
        write_atomic(args.docx, data)
    except BuildError as exc:
        _print_findings(exc.findings)
        print(f"briefing: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"briefing: error: cannot write {display_path(args.docx)}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {display_path(args.docx)}: edition {pair.diff.edition} with the changes "
          f"since edition {pair.diff.since} as tracked changes")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; never lets a traceback reach the user."""
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "no_cache", False):
            from briefing.core.cache import disabled

            with disabled():
                code = args.run(args)
        else:
            code = args.run(args)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at exit
        return code
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_OK
    except OSError as exc:  # a file-system fault: say what and where
        _drop_stdout()
        where = f" {display_path(Path(exc.filename))}" if exc.filename else " the output"
        print(f"briefing: error: cannot read or write{where}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        print(f"briefing: internal error: {type(exc).__name__}: {visible(str(exc))}",
              file=sys.stderr)
        return EXIT_FAILED


def run() -> None:
    """The console script and `python -m briefing`: `main()`, then end the process
    without tearing the interpreter down.

    Freeing every object of a finished command one by one took 30–50 ms of each cold
    run. By now every output is written and closed; the streams are flushed and the
    exit handlers run (helper processes, thread pools), so nothing is lost."""
    # pydantic looks for plugins in every installed distribution's entry points the
    # first time it builds a model (6 ms of `validate` here; more beside more packages);
    # the command line has none. Set the variable (even empty) to let pydantic look.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # let the usual exit deal with a broken stream
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit cannot fail again."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
    except OSError:
        pass


if __name__ == "__main__":
    run()
