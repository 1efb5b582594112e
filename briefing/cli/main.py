"""`briefing`: parse the command line, run the command's handler, and answer any
failure with a line on standard error and exit 1, never a traceback.

Exit codes: 0 ok, 1 the command failed, 2 the content is invalid.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from briefing.core.terminal import display_path, visible

from .exits import EXIT_FAILED, EXIT_OK
from .parser import make_parser

# Each command's handler, as "module:function": a command's module is imported only
# when that command runs, so none of them slows the start-up of another.
COMMANDS = {
    "validate": "briefing.cli.review:cmd_validate",
    "rules": "briefing.cli.review:cmd_rules",
    "schema": "briefing.cli.review:cmd_schema",
    "build": "briefing.cli.build:cmd_build",
    "watch": "briefing.cli.build:cmd_watch",
    "tree": "briefing.cli.build:cmd_tree",
    "serve": "briefing.cli.serve:cmd_serve",
    "preview": "briefing.cli.serve:cmd_preview",
    "lsp": "briefing.cli.lsp:cmd_lsp",
    "import": "briefing.cli.roundtrip:cmd_import",
    "release": "briefing.cli.editions:cmd_release",
    "diff": "briefing.cli.editions:cmd_diff",
    "new": "briefing.cli.new:cmd_new",
    "source": "briefing.cli.source:cmd_source",
}


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The function that runs COMMAND, its module imported now (by `__import__`, which
    `-X importtime` reports, unlike `importlib.import_module`)."""
    module, function = COMMANDS[command].split(":")
    __import__(module)
    return getattr(sys.modules[module], function)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; never lets a traceback reach the user."""
    args = make_parser().parse_args(argv)
    try:
        command = _handler(args.command)
        if getattr(args, "no_cache", False):
            from briefing.core.cache import disabled

            with disabled():
                code = command(args)
        else:
            code = command(args)
        sys.stdout.flush()  # a full disk or closed pipe shows here, not at exit
        return code
    except KeyboardInterrupt:
        print("briefing: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _drop_stdout()
        return EXIT_OK
    except OSError as exc:  # a file-system fault: say what and where
        _drop_stdout()
        where = f" {display_path(Path(exc.filename))}" if exc.filename else " the output"
        print(f"briefing: error: cannot read or write{where}: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        print(f"briefing: internal error: {type(exc).__name__}: {visible(str(exc))}",
              file=sys.stderr)
        return EXIT_FAILED


def run() -> None:
    """The console script and `python -m briefing`: `main()`, then end the process
    without tearing the interpreter down.

    Freeing every object of a finished command one by one took 30–50 ms of each cold
    run. By now every output is written and closed; the streams are flushed and the
    exit handlers run (helper processes, thread pools), so nothing is lost."""
    # pydantic looks for plugins in every installed distribution's entry points the
    # first time it builds a model (6 ms of `validate` here; more beside more packages);
    # the command line has none. Set the variable (even empty) to let pydantic look.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # let the usual exit deal with a broken stream
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)


def _drop_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit cannot fail again."""
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until exit
    except OSError:
        pass


if __name__ == "__main__":
    run()
