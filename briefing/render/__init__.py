"""Document tree to bytes: one sub-package per format (pdf, typst, docx), each a visitor
over the node registry; the registry of formats and renderers, the redline DOCX and the
text dump."""
