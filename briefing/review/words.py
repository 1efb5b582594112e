"""Words as a reviewer compares them: lemmas, content words and inflected phrases.

A small rule-based English lemmatiser (suffixes and a table of irregular forms), not a
dictionary: rules compare the content words of two texts ("does this quotation share
key terms with the evidence it supports?") and match hedges in every inflected form
("appear", "appears", "appeared", "appearing"). A dictionary lemmatiser (simplemma)
was measured: loading its English data costs about 0.2 s, some 30 % of `validate`'s
cold time, for no finding that these rules miss.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOP = frozenset("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can cannot could did do does doing down during
each either few for from further had has have having he her here hers herself him
himself his how i if in into is it its itself just least less let like made make many
may me might more most much must my myself neither no nor not now of off often on once
one only or other our ours ourselves out over own per rather same say says said shall
she should since so some such than that the their theirs them themselves then there
these they this those though through thus to too under until up upon us very via was
we were what when where whether which while who whom whose why will with within
without would yet you your yours yourself yourselves its also whilst among amid
according last first new year years month months week weeks day days time report
reports reported reporting seed seeds source sources para paras p pp
""".split())

IRREGULAR = {
    "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "being": "be",
    "am": "be", "has": "have", "had": "have", "did": "do", "does": "do", "done": "do",
    "went": "go", "gone": "go", "gave": "give", "given": "give", "took": "take",
    "taken": "take", "made": "make", "said": "say", "says": "say", "sent": "send",
    "sought": "seek", "brought": "bring", "bought": "buy", "held": "hold", "kept": "keep",
    "left": "leave", "met": "meet", "paid": "pay", "sold": "sell", "told": "tell",
    "thought": "think", "found": "find", "won": "win", "lost": "lose", "led": "lead",
    "fought": "fight", "saw": "see", "seen": "see", "began": "begin", "begun": "begin",
    "grew": "grow", "grown": "grow", "knew": "know", "known": "know", "wrote": "write",
    "written": "write", "ran": "run", "came": "come", "became": "become", "rose": "rise",
    "risen": "rise", "fell": "fall", "fallen": "fall", "spoke": "speak",
    "spoken": "speak", "men": "man", "women": "woman", "children": "child",
    "people": "people", "countries": "country", "allies": "ally", "signed": "sign",
    "troops": "troop", "arms": "arms", "news": "news", "ties": "tie", "dies": "die",
    "lies": "lie", "uses": "use", "used": "use", "using": "use",
}
_VOWEL = re.compile(r"[aeiouy]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The normal form a word shares with its inflections (lower case): plural, third
    person, past and -ing forms lose their suffix and a final 'e' goes, so 'rule',
    'ruled' and 'rules' all give 'rul'. Comparable, if not always a dictionary word."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = IRREGULAR.get(w, w)
    if len(w) <= 3:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and _VOWEL.search(w[:-3]) and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and _VOWEL.search(w[:-2]) and len(w) > 4:
        w = w[:-2]
    elif w.endswith("es") and w[:-2].endswith(("ss", "sh", "ch", "x", "z")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # stopped, planning
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def tokens(text: str) -> list[str]:
    """The words of `text`, as written."""
    return _WORD.findall(text)


def content_words(text: str) -> frozenset[str]:
    """The lemmas of `text`'s content words (no stop words, no numbers, no one-letter
    words)."""
    found = set()
    for word in tokens(text):
        low = word.lower().replace("’", "'")
        if low in STOP or len(low) < 3:
            continue
        found.add(lemma(low))
    return frozenset(found - STOP)


def verb_forms(verb: str) -> tuple[str, ...]:
    """Every inflected form of a regular English verb: appear → appear, appears,
    appeared, appearing."""
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return (verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


def any_form(*verbs: str) -> str:
    """A regular-expression group matching any inflected form of the verbs."""
    forms = sorted({f for v in verbs for f in verb_forms(v)}, key=len, reverse=True)
    return "(?:" + "|".join(forms) + ")"
