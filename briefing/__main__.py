"""`python -m briefing`."""

from .cli import run

run()
