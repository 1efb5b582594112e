"""BR3xx numbers and dates: what a judgment states, its evidence states, by the cut-off."""

from __future__ import annotations

from . import Rule, edit

CUTOFF = "house style: the information cut-off (TRADECRAFT §1); ICD 203 standard 8"
WIRE_DATE = "date: 2025-03-04"
ACCESSED = "accessed: 2025-06-01\n    reliability: B\n    archive: ministry.txt"

RULES = (
    Rule("BR301", "cutoff-after-date", "numbers", "error",
         "The information cut-off is after the brief's own date.", CUTOFF,
         bad=edit("cutoff: 2025-06-30", "cutoff: 2025-07-02"),
         good=edit("cutoff: 2025-06-30", "cutoff: 2025-07-01"),
         legacy=("dates", r"cut-off .* is after the brief's date")),
    Rule("BR302", "source-after-cutoff", "numbers", "error",
         "A source is dated after the information cut-off.", CUTOFF,
         bad=edit(WIRE_DATE, "date: 2025-07-04"), good=edit(WIRE_DATE, WIRE_DATE),
         legacy=("dates", r"after the information cut-off")),
    Rule("BR303", "accessed-before-date", "numbers", "error",
         "A source was accessed before the date it bears.", CUTOFF,
         bad=edit(ACCESSED, ACCESSED.replace("2025-06-01", "2025-03-01")),
         good=edit(ACCESSED, ACCESSED), legacy=("dates", r"was accessed on .* before its date")),
)
