"""`briefing new`: scaffold a brief (the template is in scaffold.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefing.core.terminal import display_path

from .exits import EXIT_OK, error


def cmd_new(args: argparse.Namespace) -> int:
    """`briefing new ID`: scaffold a brief that passes validate."""
    from briefing.model.schema import SHIPPED

    from .scaffold import ScaffoldError, new_brief

    try:
        schema = Path(SHIPPED).resolve()
        if args.draft is not None:
            from .fromdraft import cmd_new_from

            return cmd_new_from(args, schema.as_uri())
        target = new_brief(args.id, args.dir, schema.as_uri())
    except (ScaffoldError, OSError) as exc:
        return error(str(exc))
    print(f"created {display_path(target)}; check it with: briefing validate "
          f"{display_path(target.parent)}")
    return EXIT_OK
