"""`briefing serve`: every brief as PDF and DOCX over HTTP."""

from __future__ import annotations

import argparse

from briefing.core.terminal import display_path

from .exits import error


def cmd_serve(args: argparse.Namespace) -> int:
    """`briefing serve [PATH]`: serve the briefs until interrupted."""
    from briefing.serve import serve
    from briefing.serve.ceiling import Ceiling, CeilingError

    try:
        if args.max_marking:
            Ceiling.parse(args.max_marking)
        if not args.path.exists():
            raise FileNotFoundError(f"{display_path(args.path)} does not exist")
        return serve(args.path, args.host, args.port, args.out_dir, args.max_marking)
    except (CeilingError, FileNotFoundError) as exc:
        return error(str(exc))
    except OSError as exc:  # e.g. the port is taken
        return error(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
