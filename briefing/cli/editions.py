"""The editions commands: `release` freezes the current edition, `diff` shows what
changed between two (as text, JSON, or a redline DOCX)."""

from __future__ import annotations

import argparse
import os
import sys

from briefing.core.terminal import display_path

from .exits import EXIT_INVALID, EXIT_OK, error, print_findings


def cmd_release(args: argparse.Namespace) -> int:
    """`briefing release BRIEF`: freeze the current edition."""
    from briefing.editions.release import ReleaseRefused, release

    try:
        done = release(args.path, args.out_dir, args.layout)
    except ReleaseRefused as exc:
        print_findings(exc.findings)
        print(f"briefing: release refused: {exc}", file=sys.stderr)
        return exc.exit_code
    print_findings(done.findings)
    snapshot = display_path(done.snapshot)
    if done.already:
        print(f"edition {done.number} of '{done.brief_id}' is already released as "
              f"{snapshot}, with this content; nothing to do")
        return EXIT_OK
    digests = ", ".join(f"{fmt} sha256 {value['sha256'][:12]}…"
                        for fmt, value in done.outputs.items())
    print(f"released edition {done.number} of '{done.brief_id}' as {snapshot} ({digests})")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """`briefing diff BRIEF`: what changed between two editions."""
    from briefing.core.findings import ContentError
    from briefing.editions.report import diff_json, diff_text
    from briefing.editions.select import SelectError, pick

    try:
        pair = pick(args.path, args.since, args.to)
    except ContentError as exc:
        print_findings(exc.findings)
        return EXIT_INVALID
    except SelectError as exc:
        return error(str(exc))
    if args.docx:
        return _write_redline(args, pair)
    if args.format == "json":
        sys.stdout.write(diff_json(pair.diff))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(diff_text(pair.diff, pair.new.brief.id, colour))
    return EXIT_OK


def _write_redline(args: argparse.Namespace, pair) -> int:
    from briefing.build.pipeline import BuildError
    from briefing.core.commit import write_atomic
    from briefing.editions.redline import redline

    try:
        data = redline(pair, args.layout)
        write_atomic(args.docx, data)
    except BuildError as exc:
        print_findings(exc.findings)
        return error(str(exc))
    except OSError as exc:
        return error(f"cannot write {display_path(args.docx)}: {exc.strerror or exc}")
    print(f"wrote {display_path(args.docx)}: edition {pair.diff.edition} with the changes "
          f"since edition {pair.diff.since} as tracked changes")
    return EXIT_OK
