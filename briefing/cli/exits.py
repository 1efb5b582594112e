"""How a command ends: its exit code, and the findings or error it prints."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def print_findings(findings) -> None:
    """Each finding on its own line of standard error."""
    for finding in findings:
        print(finding, file=sys.stderr)


def error(message: str) -> int:
    """Print `briefing: error: MESSAGE` to standard error; return EXIT_FAILED."""
    print(f"briefing: error: {message}", file=sys.stderr)
    return EXIT_FAILED
