"""Every resource limit in one place: what a brief, a layout or a build may use.

Each is a named constant the "Limits" table of docs/security.md lists; hitting one is a
located error (or `briefing: error: …`) that says which limit and its value.
"""

from __future__ import annotations

KIB, MIB = 1024, 1024 * 1024

#: A brief's or layout's YAML file (also yamlpos.MAX_FILE_BYTES).
MAX_YAML_BYTES = 2 * MIB
#: An archived source text that quotes are checked against.
MAX_ARCHIVE_BYTES = 8 * MIB
#: One jinja2 template of a layout (each include counts on its own).
MAX_TEMPLATE_BYTES = 1 * MIB
#: A CSL style file named by path.
MAX_CSL_BYTES = 2 * MIB
#: A TrueType font file named by a layout.
MAX_FONT_BYTES = 32 * MIB
#: A layout's reference_docx on disk.
MAX_REFERENCE_BYTES = 32 * MIB
#: Everything in a reference_docx once inflated (zip-bomb guard).
MAX_REFERENCE_INFLATED = 128 * MIB
#: How much one part of a reference_docx may inflate (inflated ÷ compressed size),
#: checked for parts over MIN_RATIO_CHECKED bytes; ordinary Word XML stays under 30.
MAX_REFERENCE_RATIO = 200
MIN_RATIO_CHECKED = 1 * MIB
#: Parts (zip entries) in a reference_docx.
MAX_REFERENCE_PARTS = 2000
#: One prose field (a judgment, a basis, the BLUF …), in characters. A longer one
#: is refused by validate: as one paragraph it would run over some 15 pages.
MAX_PROSE_CHARS = 100_000
#: Nesting of inline markup (emphasis in a link in strong …) in one prose field.
MAX_INLINE_DEPTH = 20
#: Word keeps at most this many characters in a document property (title, subject
#: …); a longer title is kept whole in the text and shortened in the property only.
MAX_PROPERTY_CHARS = 255
#: Seconds one brief's build may take before it is stopped (`--wait` is not counted).
BUILD_TIME_BUDGET = 600
#: Seconds of processor time a layout's template may run over one brief (a brief of
#: 1,000 key judgments takes 0.2 s).
TEMPLATE_TIME_BUDGET = 5
#: Characters a layout's template may write for one brief (a brief of 1,000 key
#: judgments writes 0.6 million).
MAX_TEMPLATE_OUTPUT = 16 * MIB
#: Memory a template may take on top of what the process holds when it starts.
MAX_TEMPLATE_MEMORY = 512 * MIB
#: Seconds a build waits by default for another build of the same brief to finish.
LOCK_WAIT_SECONDS = 60
#: The closest-passage search of a quote not found compares the quote with at most
#: this many candidate passages (chosen by shared words, in linear time).
MAX_PASSAGE_CANDIDATES = 64
#: A file `briefing source add` archives, or a draft `briefing new --from` converts,
#: as it is on disk (a PDF or DOCX with pictures is much larger than its text; the
#: text it yields is held to MAX_ARCHIVE_BYTES).
MAX_SOURCE_FILE_BYTES = 64 * MIB
