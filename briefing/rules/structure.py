"""BR6xx structure: ids, references, and the parts ICD 203 asks every brief to have."""

from __future__ import annotations

from . import Rule, edit

SUPPORTS = "supports: [kj-commission, alt-stalls]"
ICD6 = "ICD 203 (2015), standard 6: clear and logical argumentation"
EVIDENCE = """    evidence:
      - id: ev-meeting-planned
        kind: reporting
        text: Officials plan the first meeting of the commission for June 2025.
        source: ministry
        locator: para. 4
        quote: the first meeting is planned for June 2025
        credibility: 2
"""

RULES = (
    Rule("BR601", "judgment-without-evidence", "structure", "error",
         "A key judgment lists no evidence.", ICD6,
         bad=edit(EVIDENCE, ""), good=edit(EVIDENCE, EVIDENCE),
         legacy=("coverage", r"has no evidence")),
    Rule("BR602", "duplicate-id", "structure", "error",
         "Two items share an id.", "house style: every id is unique in a brief",
         bad=edit("id: ev-wire", "id: ev-signing"), good=edit("id: ev-wire", "id: ev-wire"),
         legacy=("unique-ids", r"duplicate id")),
    Rule("BR603", "dangling-reference", "structure", "error",
         "An id that should name a source, judgment or alternative names none.", ICD6,
         bad=edit(SUPPORTS, SUPPORTS.replace("alt-stalls", "alt-stall")),
         good=edit(SUPPORTS, SUPPORTS),
         legacy=("references", r"^'.*' names no ")),
    Rule("BR604", "unknown-citation", "structure", "error",
         "A citation [@key] names no source.", "house style: every citation resolves "
         "(TRADECRAFT §7)",
         bad=edit("[@ministry]", "[@ministri]"), good=edit("[@ministry]", "[@ministry]"),
         legacy=("references", r"citation '@.*' names no source")),
    Rule("BR605", "unlabelled-locator", "structure", "warning",
         "A locator has no label a citation style can express (p., para., sec. ...).",
         "house style: locators are kept in citations (TRADECRAFT §7)",
         bad=edit("locator: para. 4", "locator: fourth paragraph"),
         good=edit("locator: para. 4", "locator: para. 4"),
         legacy=("references", r"has no label a citation style")),
)
