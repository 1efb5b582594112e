"""`briefing new ID --from DRAFT.docx`: a brief's skeleton from a Word draft."""

from __future__ import annotations

import argparse

from briefing.core.terminal import display_path, visible

from .exits import EXIT_OK, error


def cmd_new_from(args: argparse.Namespace, schema: str) -> int:
    """Convert the draft, then say what came of it and what was not placed."""
    from briefing.ingest.extracted import IngestError
    from briefing.ingest.fromdraft import new_from_draft

    try:
        done = new_from_draft(args.id, args.dir, args.draft, schema)
    except IngestError as exc:
        return error(f"{visible(str(exc))}; nothing was written")
    brief = done.skeleton.brief
    judgments = brief["key_judgments"]
    evidence = sum(len(kj.get("evidence", [])) for kj in judgments)
    print(f"created {display_path(done.brief_file)} from {display_path(args.draft)}: "
          f"{len(judgments)} key judgment(s), {evidence} item(s) of evidence from "
          f"footnotes, {len(brief['sources'])} source(s)")
    for kj in judgments:
        print(f"  {kj['id']}: {kj.get('likelihood') or 'statement of fact'}")
    if done.skeleton.unplaced:
        print(f"not placed (kept in {display_path(done.notes_file)}):")
        for number, where, text in done.skeleton.unplaced:
            print(f"  paragraph {number} ({where}): {visible(text[:70])}"
                  f"{'…' if len(text) > 70 else ''}")
    for check in done.skeleton.checks:
        print(f"check: {check}")
    folder = display_path(done.brief_file.parent)
    print(f"next: archive each source with `briefing source add {folder} FILE --id ID`, "
          f"then fix what `briefing validate {folder}` lists")
    return EXIT_OK
