"""Template to document tree: the layout's jinja2 template over a brief, the tree's
node kinds, citations through a CSL processor, note marks, the configuration check."""
