"""Bringing your own material: a source's file archived as text (`briefing source
add`), and a brief's skeleton from a Word draft (`briefing new --from`).

One module per input format (`pdf`, `html`, `docx`, `plain`) turns a file into an
`Extracted` text with what the file states about itself; `archive` writes the text
where the review reads it, `entry` makes the source entry and `add` appends it to the
brief. The draft converter is `draft` (structure), `references` (reference lists)
and `skeleton` (the YAML it writes). This package sits on top, beside the command
line: it reads with the round trip's DOCX reader and writes with its YAML patcher.
"""
