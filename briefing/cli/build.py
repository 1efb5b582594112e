"""The build commands: `build` makes the outputs, `watch` remakes them on every
change, `tree` prints the composed document instead.

`build` is timed from a cold start: this module imports only what the command line
has already loaded, and each command the rest when it runs."""

from __future__ import annotations

import argparse
import sys

from briefing.core.terminal import display_path
from briefing.render.registry import formats_named

from .exits import EXIT_FAILED, EXIT_INVALID, EXIT_OK, error, print_findings


def cmd_build(args: argparse.Namespace) -> int:
    """`briefing build PATH…`: validate, then build the outputs."""
    from briefing.build.helper import settled_imports, side_helper

    formats = formats_named(args.format)
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
        return error(f"no briefs found in {', '.join(map(display_path, args.paths))}")
    if len(outcomes) > 1 or any(len(discover(p)) > 1 for p in args.paths):
        summary(outcomes)
    return worst_exit(outcomes)


def cmd_watch(args: argparse.Namespace) -> int:
    """`briefing watch PATH`: rebuild whenever an input changes."""
    from briefing.watch import watch

    formats = formats_named(args.format)
    return watch(args.path, args.out_dir, formats, args.layout, pdf_engine=args.pdf_engine)


def cmd_tree(args: argparse.Namespace) -> int:
    """`briefing tree PATH`: print the composed document as text."""
    from briefing.build.pipeline import BuildError, resolve_layout
    from briefing.build.validate import validate
    from briefing.compose.citation_styles import StyleError
    from briefing.compose.composer import ComposeError, compose
    from briefing.compose.configcheck import style_finding
    from briefing.core.findings import ContentError
    from briefing.render.text import dump

    result = validate(args.path, layout=args.layout)
    print_findings(result.findings)
    if not result.ok:
        return EXIT_INVALID
    try:
        layout = resolve_layout(result.loaded, args.layout)
        document = compose(result.loaded, layout)
    except BuildError as exc:
        print_findings(exc.findings)
        return EXIT_FAILED
    except ContentError as exc:
        print_findings(exc.findings)
        return EXIT_INVALID
    except StyleError as exc:
        print_findings([style_finding(exc, layout)])
        return EXIT_FAILED
    except ComposeError as exc:
        return error(str(exc))
    sys.stdout.write(dump(document))
    return EXIT_OK
