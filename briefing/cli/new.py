"""`briefing new`: scaffold a brief (the template is in scaffold.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from briefing.core.terminal import display_path

from .exits import EXIT_OK, error


def cmd_new(args: argparse.Namespace) -> int:
    """`briefing new ID`: scaffold a brief that passes validate."""
    from briefing.core.confine import project_file
    from briefing.model.schema import SHIPPED

    from .scaffold import ScaffoldError, new_brief

    try:
        schema = Path(SHIPPED).resolve()
        marked = project_file(args.dir)
        target = new_brief(args.id, args.dir, schema.as_uri())
    except (ScaffoldError, OSError) as exc:
        return error(str(exc))
    print(f"created {display_path(target)}; check it with: briefing validate "
          f"{display_path(target.parent)}")
    marker = project_file(target)
    if marked is None and marker is not None:
        print(f"created {display_path(marker)}: the project is {display_path(marker.parent)}; "
              "a brief may name files only inside it")
    return EXIT_OK
