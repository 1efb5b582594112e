"""`briefing new`: scaffold a brief (the template is in scaffold.py)."""

from __future__ import annotations

import argparse

from briefing.core.terminal import display_path

from .exits import EXIT_OK, error


def cmd_new(args: argparse.Namespace) -> int:
    """`briefing new ID`: scaffold a brief that passes validate. Its `$schema` line
    points at the project's schema by a relative path; the schema is written if the
    project has none."""
    from briefing.core.confine import project_file

    from .scaffold import (
        ScaffoldError,
        mark_project,
        new_brief,
        schema_home,
        schema_reference,
        write_schema,
    )

    if args.draft is not None and args.layout is not None:
        return error("--layout picks the layout of a new scaffold; a brief made --from a "
                     "draft names policy-brief (change its `layout:` afterwards)")
    try:
        marked = project_file(args.dir)
        home = schema_home(args.dir)
        schema = schema_reference(home, args.dir / args.id)
        if args.draft is not None:
            from .fromdraft import cmd_new_from

            code = cmd_new_from(args, schema)
            if code != EXIT_OK:
                return code
            mark_project(args.dir)
        else:
            target = new_brief(args.id, args.dir, schema, layout=args.layout)
        if write_schema(home):
            print(f"wrote {display_path(home)}, the content model's JSON Schema, for "
                  "editors' completion")
    except (ScaffoldError, OSError) as exc:
        return error(str(exc))
    if args.draft is None:
        print(f"created {display_path(target)}; check it with: briefing validate "
              f"{display_path(target.parent)}")
    marker = project_file(args.dir)
    if marked is None and marker is not None:
        print(f"created {display_path(marker)}: the project is {display_path(marker.parent)}; "
              "a brief may name files only inside it")
    return EXIT_OK
