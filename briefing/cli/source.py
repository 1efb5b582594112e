"""`briefing source add`: archive a source's file and add its entry to a brief."""

from __future__ import annotations

import argparse
import sys

from briefing.core.terminal import display_path, visible

from .exits import EXIT_INVALID, EXIT_OK, error, print_findings

NEXT_STEP = ("next: quote from it with `quote:` and `locator: para. N`; "
             "`briefing validate` checks the quote")


def cmd_source(args: argparse.Namespace) -> int:
    """`briefing source add BRIEF FILE [--id ID] [--type TYPE]`."""
    from briefing.core.findings import ContentError
    from briefing.ingest.add import add_source
    from briefing.ingest.extracted import IngestError
    from briefing.roundtrip.yamlpatch import dump_yaml

    try:
        added = add_source(args.brief, args.file, args.id, args.type)
    except ContentError as exc:
        print_findings(exc.findings)
        return EXIT_INVALID
    except IngestError as exc:
        return error(f"{visible(str(exc))}; nothing was written")
    print(f"archived {added.paragraphs} paragraph(s) of {display_path(args.file)} as "
          f"{display_path(added.archive)}")
    print(f"added to {display_path(added.sources_file)}:")
    sys.stdout.write("".join(f"  {line}\n" for line in
                             dump_yaml([added.entry]).splitlines()))
    print(NEXT_STEP)
    return EXIT_OK
