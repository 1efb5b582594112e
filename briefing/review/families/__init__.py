"""One module per rule family (or per part of one: editions.py of structure,
characters.py of markings): its rules, and the check that yields their findings, each
with its code. The input's and configuration's rules are checked below the review."""
