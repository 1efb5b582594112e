"""BR1xx estimative language (ICD 203 standard 2; TRADECRAFT §2-3)."""

from __future__ import annotations

from . import Rule, edit

ICD = "ICD 203 (2015), standard 2: expresses and explains uncertainty"
FACT = "text: In March 2025, Northland and Southland signed a treaty"
FORECAST = "text: The treaty's joint commission will likely meet before the end of 2025."
ALT = "    text: The commission stalls because the treaty leaves groundwater out.\n"
ALT_UNLIKELY = ("    text: The commission is unlikely to meet because the treaty leaves "
                "groundwater out.\n    likelihood: unlikely\n")

RULES = (
    Rule("BR102", "estimative-term-in-fact", "estimative", "error",
         "A judgment without a likelihood (a statement of fact) uses an estimative term; "
         "declare the likelihood or state the fact.", ICD,
         bad=edit(FACT, "text: In March 2025, Northland and Southland probably signed a treaty"),
         good=edit(FACT, FACT), legacy=("estimative", r"but declares no likelihood")),
    Rule("BR103", "term-contradicts-likelihood", "estimative", "error",
         "The estimative term in the text is not the term of the declared likelihood band.",
         ICD + "; the term must be the one of its band",
         bad=edit(FORECAST, FORECAST.replace("will likely", "will very likely")),
         good=((FORECAST, FORECAST.replace("will likely", "will very likely")),
               ("likelihood: likely", "likelihood: very likely")),
         legacy=("estimative", r"\) but declares likelihood")),
    Rule("BR104", "likelihood-not-stated", "estimative", "warning",
         "A judgment declares a likelihood but its text uses no estimative term.", ICD,
         bad=edit(FORECAST, FORECAST.replace("will likely meet", "will meet")),
         good=edit(FORECAST, FORECAST),
         legacy=("estimative", r"declares likelihood .* but its text uses no")),
    Rule("BR105", "mixed-columns", "estimative", "warning",
         "Terms from both ICD 203 columns (likely / probable) in one product.",
         ICD + "; use terms from one column throughout a product",
         bad=((FORECAST, FORECAST.replace("will likely", "will probably")),
              (ALT, ALT_UNLIKELY)),
         good=edit(ALT, ALT_UNLIKELY), legacy=("estimative", r"alternative ICD 203 term")),
    Rule("BR106", "vague-word", "estimative", "warning",
         "A key judgment uses may, could, possibly, perhaps or might, which hide the "
         "likelihood.", ICD,
         bad=edit("share river water in dry years", "share river water that could ease "
                  "disputes in dry years"),
         good=edit("share river water in dry years", "share river water in dry years"),
         legacy=("estimative", r"uses the vague word")),
    Rule("BR107", "likelihood-with-confidence", "estimative", "warning",
         "A likelihood term and a confidence level in one sentence; confidence has its own "
         "field.", ICD + "; do not combine likelihood and confidence in one sentence",
         bad=edit(FORECAST, "text: We judge with moderate confidence that the treaty's joint "
                  "commission will likely meet before the end of 2025."),
         good=edit(FORECAST, FORECAST),
         legacy=("estimative", r"combines a likelihood term and a confidence")),
)
