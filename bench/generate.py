"""Generate a synthetic, valid policy brief of any size, for benchmarks.

`generate_brief(k, folder)` writes `folder/brief.yaml`: a brief with `k` key
judgments that `briefing validate` accepts with zero findings (no errors, no
warnings). Output depends only on `k` and `seed`.

The brief names the layout `policy-brief`, which is found in a `layouts/`
folder from the brief's folder upwards; a brief written under a temporary
folder therefore needs `--layout PATH` (e.g. `--layout layouts/policy-brief`
of this repository), or `layout_name=` for `briefing.build.pipeline.build`.

Run as a script:  python bench/generate.py K OUTDIR [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = ROOT / "layouts" / "policy-brief"

BRIEF_DATE = dt.date(2025, 6, 30)

# The pool of sources. None is archived and no evidence quotes, so the quotes
# rule has nothing to verify; only 'src-9' is rated D, so a judgment on two
# distinct sources never rests only on sources rated D-F.
SOURCES: list[dict[str, Any]] = [
    {"id": "src-1", "type": "report", "title": "Freight Corridors and Sanctions Exposure",
     "authors": [{"family": "Okafor", "given": "Adaeze"}, {"family": "Lindqvist",
                                                           "given": "Per"}],
     "publisher": "Institute for Maritime Studies", "date": "2025-02-14",
     "url": "https://example.org/reports/freight-corridors", "reliability": "B"},
    {"id": "src-2", "type": "news-article", "title": "Port authority widens inspections",
     "authors": [{"family": "Moreau", "given": "Claire"}], "container": "The Harbour Times",
     "date": "2025-04-03", "url": "https://example.org/news/port-inspections",
     "accessed": dt.date(2025, 4, 5), "reliability": "B"},
    {"id": "src-3", "type": "journal-article",
     "title": "Energy Transit Tariffs in Landlocked Economies",
     "authors": [{"family": "Haddad", "given": "Samir"}, {"family": "Ito", "given": "Keiko"}],
     "container": "Journal of Regional Economics", "date": "2024-11",
     "doi": "10.5555/jre.2024.0113", "reliability": "A"},
    {"id": "src-4", "type": "government-statement",
     "title": "Statement on cross-border payment rules",
     "authors": [{"literal": "Ministry of Finance"}], "date": "2025-01-20",
     "url": "https://example.org/gov/payments", "reliability": "C"},
    {"id": "src-5", "type": "web-page", "title": "Grain export tracker",
     "container": "Commodity Watch", "date": "2025-05", "url": "https://example.org/grain",
     "accessed": dt.date(2025, 6, 1), "reliability": "B"},
    {"id": "src-6", "type": "book", "title": "Rivers, Rails and Rents",
     "authors": [{"family": "Novak", "given": "Tereza"}], "publisher": "Northfield Press",
     "date": "2023", "reliability": "A"},
    {"id": "src-7", "type": "press-release", "title": "Consortium announces new mine",
     "authors": [{"literal": "Andes Mining Consortium"}], "date": "2025-03-11",
     "url": "https://example.org/press/new-mine", "reliability": "C"},
    {"id": "src-8", "type": "magazine-article", "title": "The quiet rearmament of the north",
     "authors": [{"family": "Sandoval", "given": "Marta"}], "container": "Strategy Monthly",
     "date": "2024-09", "reliability": "B"},
    {"id": "src-9", "type": "speech", "title": "Address to the regional assembly",
     "authors": [{"family": "Brandt", "given": "Jonas"}], "date": "2025-06-02",
     "reliability": "D", "note": "Transcript published by the speaker's office."},
    {"id": "src-10", "type": "preprint", "title": "Drone Supply Chains after the Embargo",
     "authors": [{"family": "Chen", "given": "Wei"}], "publisher": "OpenArchive",
     "genre": "Preprint", "date": "2025-04", "url": "https://example.org/preprints/drones",
     "reliability": "C"},
]
SOURCE_IDS = [s["id"] for s in SOURCES]

# Word lists. None holds an ICD 203 term, a vague word (may, could, might,
# possibly, perhaps) or the month of May.
ACTORS = [
    "the coastal ministry", "the northern alliance", "the port authority", "the central bank",
    "the border guard", "the river commission", "the energy regulator", "the defence council",
    "the trade bloc", "the shipping cartel", "the grain exporters' union",
    "the regional assembly", "the mining consortium", "the customs service",
    "the island government", "the rail operator", "the fisheries board", "the steel lobby",
]
VERBS = [  # (past, base)
    ("expanded", "expand"), ("suspended", "suspend"), ("renegotiated", "renegotiate"),
    ("financed", "finance"), ("inspected", "inspect"), ("restricted", "restrict"),
    ("modernised", "modernise"), ("audited", "audit"), ("relocated", "relocate"),
    ("doubled", "double"), ("subsidised", "subsidise"), ("tendered", "tender"),
]
OBJECTS = [
    "fuel shipments", "its rail corridor", "satellite launches", "the fishing quota",
    "grain exports", "naval patrols", "the pipeline tariff", "cross-border payments",
    "drone production", "port inspections", "copper output", "visa rules",
    "the power interconnector", "container traffic", "its sovereign bonds",
]
PLACES = [
    "the Baltic ports", "the Red Sea", "the Arctic shelf", "Central Asia", "the Sahel",
    "the Andean highlands", "the Pacific islands", "the Danube basin", "the Caspian littoral",
    "the Horn of Africa", "the Gulf of Guinea", "the Korean peninsula",
]
PAST = [
    "in the first quarter of 2025", "between January and March 2025", "during 2024",
    "in late 2024", "since the spring of 2024", "over the winter of 2024",
]
FUTURE = [
    "by the end of 2026", "within the next twelve months", "before the 2026 elections",
    "over the coming year", "by mid-2027", "before the next budget",
]
LIKELIHOODS = [
    "likely", "very likely", "unlikely", "almost certain", "roughly even chance",
    "very unlikely", "almost no chance",
]
CONFIDENCES = ["high", "moderate", "moderate", "low"]
KINDS = ["reporting", "reporting", "judgment", "assumption"]
STATUSES = ["not observed", "emerging", "observed", "reversed"]


def _cap(text: str) -> str:
    """The text with its first letter upper-cased."""
    return text[:1].upper() + text[1:]


def _locator(rng: random.Random) -> str:
    """A locator such as 'para. 4', 'paras. 4-5', 'p. 12' or 'sec. 3'."""
    n = rng.randint(1, 24)
    return rng.choice([f"para. {n}", f"paras. {n}-{n + 1}", f"p. {n}", f"sec. {n}"])


def _cite(rng: random.Random, source: str, locator: str | None = None) -> str:
    """A pandoc citation of `source`: with `locator`, or a random one most of the time."""
    if locator is None and rng.random() < 0.8:
        locator = _locator(rng)
    return f"[@{source}, {locator}]" if locator else f"[@{source}]"


def _judgment_text(rng: random.Random, likelihood: str | None) -> str:
    """One declarative sentence; a forecast uses exactly its likelihood's ICD 203 term."""
    actor, (past, base) = rng.choice(ACTORS), rng.choice(VERBS)
    obj, place = rng.choice(OBJECTS), rng.choice(PLACES)
    if rng.random() < 0.35:
        obj = f"*{obj}*"
    if likelihood is None:
        return _cap(f"{actor} {past} {obj} in {place} {rng.choice(PAST)}.")
    when = rng.choice(FUTURE)
    if likelihood in ("roughly even chance", "almost no chance"):
        return f"There is {'a ' if likelihood[0] == 'r' else ''}{likelihood} that {actor} " \
               f"will {base} {obj} in {place} {when}."
    return _cap(f"{actor} is {likelihood} to {base} {obj} in {place} {when}.")


def _evidence(rng: random.Random, i: int, j: int, source: str) -> dict[str, Any]:
    """Evidence item `ev-i-j` from `source`, citing it in its text (no quote)."""
    actor, (past, _) = rng.choice(ACTORS), rng.choice(VERBS)
    locator = f"para. {rng.randint(1, 30)}" if rng.random() < 0.8 else None
    text = rng.choice([
        "The source reports that {actor} {past} {obj}, citing **official** figures {cite}.",
        "According to *{title}*, {actor} {past} {obj} in {place} {cite}.",
        "Shipping data show that {actor} {past} {obj}; the [dataset](https://example.org/"
        "data/{i}) lists the dates {cite}.",
        "An analyst quoted in the source says {actor} {past} {obj} {cite}.",
    ]).format(actor=actor, past=past, obj=rng.choice(OBJECTS), place=rng.choice(PLACES),
              title=SOURCES[SOURCE_IDS.index(source)]["title"], i=i,
              cite=_cite(rng, source, locator or ""))
    evidence: dict[str, Any] = {
        "id": f"ev-{i}-{j}", "kind": rng.choice(KINDS), "text": _cap(text), "source": source,
        "credibility": rng.randint(1, 4),
    }
    if locator:
        evidence["locator"] = locator
    return evidence


def _judgment(rng: random.Random, i: int) -> dict[str, Any]:
    """Key judgment `kj-i`: about half are forecasts with a likelihood."""
    likelihood = rng.choice(LIKELIHOODS) if rng.random() < 0.5 else None
    first = SOURCE_IDS[i % len(SOURCE_IDS)]
    second = rng.choice([s for s in SOURCE_IDS if s != first])
    kj: dict[str, Any] = {"id": f"kj-{i}", "text": _judgment_text(rng, likelihood)}
    if likelihood:
        kj["likelihood"] = likelihood
    kj["confidence"] = rng.choice(CONFIDENCES)
    kj["basis"] = rng.choice([
        "Two sources agree {c1}{c2}; the **timing** matches the [port log]"
        "(https://example.org/x/{i}).",
        "*{n}* independent reports {c1} and {c2} describe the same events.",
        "Official figures {c1} fit the trend that {c2} describes; see the "
        "[method note](https://example.org/x).",
    ]).format(c1=_cite(rng, first), c2=_cite(rng, second), i=i,
              n=rng.choice(["Two", "Both"]))
    kj["evidence"] = [_evidence(rng, i, 1, first), _evidence(rng, i, 2, second)]
    return kj


def brief_data(k: int, *, seed: int = 0) -> dict[str, Any]:
    """The synthetic brief with `k` key judgments, as plain data."""
    if k < 1:
        raise ValueError("a brief needs at least one key judgment (k >= 1)")
    rng = random.Random(seed)
    judgments = [_judgment(rng, i) for i in range(1, k + 1)]
    half = len(SOURCE_IDS) // 2
    everyone = ["; ".join(f"@{s}" for s in ids) for ids in (SOURCE_IDS[:half],
                                                            SOURCE_IDS[half:])]
    indicators = [
        {"id": f"ind-{n}", "text": _cap(f"{rng.choice(ACTORS)} {rng.choice(VERBS)[0]} "
                                        f"{rng.choice(OBJECTS)} in {rng.choice(PLACES)}, "
                                        f"as *tracked* by {_cite(rng, rng.choice(SOURCE_IDS))}."),
         "supports": [f"kj-{(n - 1) % k + 1}"] + (["alt-1"] if n % 3 == 0 else []),
         "status": STATUSES[n % len(STATUSES)]}
        for n in range(1, min(k, 20) + 1)
    ]
    return {
        "id": f"synthetic-{k}",
        "title": f"Synthetic Brief with {k} Key Judgment{'s' if k != 1 else ''}",
        "subtitle": "Generated for benchmarks by bench/generate.py",
        "edition": 1,
        "date": BRIEF_DATE,
        "cutoff": BRIEF_DATE,
        "authors": ["Benchmark Generator"],
        "audience": "Benchmark readers",
        "language": "en",
        "keywords": ["benchmark", "synthetic"],
        "layout": "policy-brief",
        "marking": "TLP:GREEN",
        "bluf": [f"**{k} findings** on trade, transit and security follow, each with its "
                 f"basis and evidence [@{SOURCE_IDS[0]}; @{SOURCE_IDS[1]}, p. 3]; the "
                 f"[method](https://example.org/method) is *synthetic*."],
        "key_judgments": judgments,
        "alternative_views": [
            {"id": "alt-1",
             "text": "The reported activity reflects seasonal trade, not a change of policy "
                     f"[@{SOURCE_IDS[2]}, para. 4].",
             "would_be_right_if": "Volumes fall back to their **pre-2024** level once the "
                                  "season ends."},
            {"id": "alt-2",
             "text": "It is unlikely that the sanctions regime caused the shift; rising "
                     f"*freight costs* explain it [@{SOURCE_IDS[5]}, p. 41].",
             "would_be_right_if": "Freight rates and volumes move together in the next "
                                  "quarter, as the [index](https://example.org/index) shows.",
             "likelihood": "unlikely"},
        ],
        "outlook": [
            "The pattern holds across regions and sectors, so **policy staff** should plan "
            f"for it [{everyone[0]}].",
            "Collection should test the weakest links first, above all the *single-source* "
            f"claims; see the [tasking note](https://example.org/tasking) [{everyone[1]}].",
        ],
        "indicators": indicators,
        "sources": [dict(s) for s in SOURCES],
    }


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors and aliases (the two dates are one object)."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never emit an alias."""
        return True


def generate_brief(k: int, folder: Path, *, seed: int = 0) -> Path:
    """Write a valid synthetic brief with `k` key judgments to `folder/brief.yaml`.

    Returns the path of the file written. The same `k` and `seed` give the same bytes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "brief.yaml"
    text = yaml.dump(brief_data(k, seed=seed), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100)
    header = (f"# Synthetic brief generated by bench/generate.py (k={k}, seed={seed}).\n"
              f"# Build it with: briefing build FOLDER --layout {LAYOUT}\n")
    target.write_text(header + text, "utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    """Command line: generate_brief(K, OUTDIR, seed=SEED)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("k", type=int, help="number of key judgments (>= 1)")
    parser.add_argument("outdir", type=Path, help="folder to write brief.yaml into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.k < 1:
        parser.error("K must be at least 1")
    print(generate_brief(args.k, args.outdir, seed=args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
