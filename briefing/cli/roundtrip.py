"""The `briefing import` command: report, and with --write apply, a returned DOCX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from briefing.core.findings import has_errors
from briefing.core.terminal import display_path
from briefing.roundtrip.importer import ImportFailure, ImportResult, import_docx

from .exits import EXIT_FAILED, EXIT_INVALID, EXIT_OK, error


def cmd_import(args: argparse.Namespace) -> int:
    """`briefing import BRIEF RETURNED.docx`: report, and with --write apply, the edits."""
    return run_import(args.brief, args.docx, write=args.write, force=args.force,
                      accept=args.changes == "accept", comments_file=args.comments)


def run_import(brief: Path, docx: Path, write: bool = False, force: bool = False,
               accept: bool = True, comments_file: Path | None = None) -> int:
    """Print what the returned DOCX changes; write it when asked and safe."""
    try:
        result = import_docx(brief, docx, accept)
    except ImportFailure as exc:
        return error(str(exc))
    _report(result)
    if comments_file is not None:
        try:
            _write(comments_file, yaml.safe_dump(result.comments, allow_unicode=True,
                                                       sort_keys=False).encode())
        except OSError as exc:
            return error(f"cannot write {display_path(comments_file)}: {exc.strerror}")
    if result.blocked:
        print(f"{display_path(docx)}: nothing imported: {len(result.refusals)} refusal(s), "
              f"{len(result.conflicts)} conflict(s)", file=sys.stderr)
        return EXIT_FAILED
    if not result.edits:
        print(f"{display_path(docx)}: no changes to import", file=sys.stderr)
        return EXIT_OK
    sys.stdout.write(result.diff())
    invalid = has_errors(result.findings)
    for finding in result.findings:
        print(finding, file=sys.stderr)
    if invalid and not force:
        print(f"{display_path(docx)}: nothing written: the brief would not validate "
              "(--force writes anyway)", file=sys.stderr)
        return EXIT_INVALID
    if not write:
        print(f"{display_path(docx)}: {len(result.edits)} field(s) changed; run again with "
              "--write to apply", file=sys.stderr)
        return EXIT_OK
    _write_brief(brief, {path: text.encode("utf-8") for path, text in result.new_texts.items()})
    print(f"{display_path(docx)}: {len(result.edits)} field(s) written to "
          f"{', '.join(display_path(p) for p in result.new_texts)}", file=sys.stderr)
    return EXIT_INVALID if invalid else EXIT_OK


def _write(path: Path, data: bytes) -> None:
    """Write atomically."""
    from briefing.core.commit import write_atomic

    write_atomic(path, data)


def _write_brief(brief: Path, files: dict[Path, bytes]) -> None:
    """Write the brief's changed files as one group (load.brief.write_brief_files)."""
    from briefing.load.brief import write_brief_files

    write_brief_files(brief if brief.is_dir() else brief.parent, files)


def _report(result: ImportResult) -> None:
    for comment in result.comments:
        text = " ".join(comment["text"].split())
        print(f"{comment['place']}: note: {comment['author']}: {text}", file=sys.stderr)
    for message in [*result.notes, *result.ignored, *result.refusals, *result.conflicts]:
        print(message, file=sys.stderr)
