"""Editions: `briefing release` records the current edition as published (a frozen
snapshot and the digests of its outputs), `briefing diff` reports what changed between
two editions, as text, JSON or a redline DOCX.

The snapshots themselves are read by the loader (`load/snapshots.py`), and two editions
are compared as pure data in `model/changes.py`, since compose and the review use both.
"""
