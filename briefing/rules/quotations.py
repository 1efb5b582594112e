"""BR5xx quotations: verbatim, from the archived copy of the source credited."""

from __future__ import annotations

from . import Rule, edit

HOUSE = "house style: a quotation is verbatim from its archived copy (TRADECRAFT §8)"
QUOTE = "quote: the governments of Northland and Southland signed a treaty"
WIRE_ARCHIVE = "    archive: wire.txt\n"

RULES = (
    Rule("BR501", "quote-not-found", "quotations", "error",
         "A quotation is not in the archived copy of its source; the message shows the "
         "closest passage.", HOUSE,
         bad=edit(QUOTE, QUOTE.replace("signed", "agreed")), good=edit(QUOTE, QUOTE),
         legacy=("quotes", r"is not in the archived copy")),
    Rule("BR502", "archive-missing", "quotations", "error",
         "A source names an archived copy that is not on disk.", HOUSE,
         bad=edit(WIRE_ARCHIVE, "    archive: wires.txt\n"),
         good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE), legacy=("quotes", r"archived copy .* not found")),
    Rule("BR503", "quote-unverifiable", "quotations", "warning",
         "A quotation's source has no archived copy, so it cannot be checked.", HOUSE,
         bad=edit(WIRE_ARCHIVE, ""), good=edit(WIRE_ARCHIVE, WIRE_ARCHIVE),
         legacy=("quotes", r"cannot be verified")),
    Rule("BR504", "locator-mismatch", "quotations", "warning",
         "The locator gives another paragraph than the one holding the quotation.", HOUSE,
         bad=edit("locator: para. 2\n        " + QUOTE, "locator: para. 3\n        " + QUOTE),
         good=edit("locator: para. 2\n        " + QUOTE, "locator: para. 2\n        " + QUOTE),
         legacy=("quotes", r"locator says para")),
)
