"""The DOCX renderer: Word styles, runs, footnotes, fonts, hygiene, the package and
the field manifest that the round trip reads back."""
