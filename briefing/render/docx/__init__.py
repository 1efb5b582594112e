"""The DOCX renderer, one module per concern.

renderer (the visitor and the entry points a build calls), styles, runs, links,
fields, notes, numbering, tables, page, hygiene, fonts (with font_subset),
package, revisions (the redline's tracked changes), elements (the raw-XML basics
the others share); and what the round trip reads back: wordml (the DOCX reader),
field_marks (the content fields' hidden bookmarks) and manifest.
"""
