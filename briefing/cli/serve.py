"""`briefing serve`: every brief as PDF, DOCX and HTML over HTTP; `briefing preview`:
one brief's live preview."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from briefing.core.terminal import display_path

from .exits import error


def cmd_serve(args: argparse.Namespace) -> int:
    """`briefing serve [PATH]`: serve the briefs until interrupted."""
    return _serve(args.path, args, args.max_marking, args.preview)


def cmd_preview(args: argparse.Namespace) -> int:
    """`briefing preview BRIEF`: serve the brief's live preview until interrupted."""
    return _serve(args.path, args, None, True, open_browser=args.open)


def _serve(path: Path, args: argparse.Namespace, max_marking: str | None, preview: bool,
           open_browser: bool = False) -> int:
    from briefing.serve import serve
    from briefing.serve.ceiling import Ceiling, CeilingError
    from briefing.serve.preview import EDITOR_URL, EditorUrlError, editor_url

    try:
        if max_marking:
            Ceiling.parse(max_marking)
        editor = None
        if preview:
            editor = editor_url(args.editor_url or os.environ.get("BRIEFING_EDITOR_URL")
                                or EDITOR_URL)
        if not path.exists():
            raise FileNotFoundError(f"{display_path(path)} does not exist")
        return serve(path, args.host, args.port, args.out_dir, max_marking, editor=editor,
                     open_browser=open_browser)
    except (CeilingError, EditorUrlError, FileNotFoundError) as exc:
        return error(str(exc))
    except OSError as exc:  # e.g. the port is taken
        return error(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
