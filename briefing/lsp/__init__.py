"""`briefing lsp`: a language server over stdio that shows the review's findings in the
editor as the brief is typed, and knows its sources, judgments and vocabularies.

`server.py` wires the protocol (pygls); each feature is a small module that works on
plain text and positions (0-based lines, characters counted in code points):
`documents.py` (which brief a file belongs to), `spans.py` (a finding's place → the
range of the word or value there), `scopes.py` (what the cursor stands on, even in
half-typed YAML), `state.py` (what the last check of a brief knew), `diagnostics.py`,
`hover.py`, `completion.py`, `navigation.py` (definition, references) and
`actions.py` (quick fixes). The server never writes a file.
"""
