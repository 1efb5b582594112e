"""`python -m briefing`."""

from briefing.cli.main import run

run()
