"""The formats a build writes, in the order `--format all` renders them.

Kept apart from `build` so that the command line can name them before it imports
anything heavy (it forks the build's helper first)."""

FORMATS = ("pdf", "docx")
