"""`briefing lsp`: the language server, over stdin and stdout."""

from __future__ import annotations

import argparse
import sys

from .exits import EXIT_OK


def cmd_lsp(args: argparse.Namespace) -> int:
    """`briefing lsp`: serve the editor until it ends the session. Standard output
    carries the protocol alone: anything printed goes to standard error instead."""
    from briefing.lsp.server import make_server

    protocol = sys.stdout.buffer
    sys.stdout = sys.stderr
    make_server().start_io(sys.stdin.buffer, protocol)
    return EXIT_OK
