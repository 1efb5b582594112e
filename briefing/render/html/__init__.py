"""The web edition: semantic, self-contained HTML5 from the document tree."""
