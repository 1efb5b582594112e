"""Banners and portion marks, each in its classification scheme's own syntax.

- US (CAPCO style): `SECRET//SI//ORCON/NOFORN`, portion `(S//SI//OC/NF)`: `//`
  between categories (SCI, then dissemination), `/` within one; `REL TO` lists
  USA first, then the other countries in alphabetical order.
- UK (Government Security Classifications): `OFFICIAL-SENSITIVE COMMERCIAL`,
  `SECRET UK EYES ONLY`: descriptors, then national caveats, after the level;
  portion `(OS COMMERCIAL)`.
- A custom scheme (a list of levels): `LEVEL//CONTROL/CONTROL`, portion
  `(LEVEL//CONTROL)`; any control is accepted.

The scheme is data (vocab.py); this module only spells it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .vocab import CLASSIFICATION_SCHEMES, SCHEME_CONTROLS

Scheme = str | list[str]


def scheme_levels(scheme: Scheme) -> list[str] | None:
    """The levels of a scheme (its name, or its levels listed), lowest first; None for a
    name no scheme has. TLP labels are ordered in `vocab.TLP_LABELS`."""
    if isinstance(scheme, list):
        return scheme
    levels = CLASSIFICATION_SCHEMES.get(scheme)
    return [name for name, _ in levels] if levels else None

_REL_TO = re.compile(r"REL(?:EASABLE)? TO (.+)")
_DISPLAY_ONLY = re.compile(r"DISPLAY ONLY (.+)")
_EYES_ONLY = re.compile(r"(.+?) EYES ONLY")


@dataclass(frozen=True)
class Control:
    """One caveat or dissemination control: how a banner spells it, the kind the
    scheme knows it as ('REL TO' for every release list), its countries if any."""

    name: str
    kind: str
    countries: tuple[str, ...] = ()


def _countries(text: str, separator: str, first: str = "USA") -> tuple[str, ...]:
    """Country codes, `first` (the originator) first, then the others alphabetically
    (CAPCO's order for REL TO)."""
    names = {c for c in re.split(separator, text) if c}
    return tuple(sorted(names, key=lambda c: (c != first, c)))


def _known(scheme: Scheme) -> dict[str, tuple[str, str]]:
    return SCHEME_CONTROLS.get(scheme, {}) if isinstance(scheme, str) else {}


def parse_control(scheme: Scheme, text: str) -> Control | None:
    """The control `text` names in `scheme` (banner or portion form, any case);
    None when a US or UK marking does not know it. A custom scheme knows all."""
    spelled = " ".join(text.upper().split())
    known = _known(scheme)
    if scheme == "us":
        for pattern, kind in ((_REL_TO, "REL TO"), (_DISPLAY_ONLY, "DISPLAY ONLY")):
            match = pattern.fullmatch(spelled)
            if match:
                countries = _countries(match[1], r"[,\s]+")
                return Control(f"{kind} {', '.join(countries)}", kind, countries)
    if scheme == "uk":
        match = _EYES_ONLY.fullmatch(spelled)
        if match:
            countries = _countries(match[1], r"[/,\s]+", first="UK")
            return Control(f"{'/'.join(countries)} EYES ONLY", "EYES ONLY", countries)
    for name, (short, _) in known.items():
        if spelled in (name, short) and name not in ("REL TO", "DISPLAY ONLY", "EYES ONLY"):
            return Control(name, name)
    if not isinstance(scheme, str):
        return Control(spelled, spelled)
    return None


def control_names(scheme: Scheme) -> list[str]:
    """The controls a scheme knows, as a message lists them."""
    return [f"{name} …" if name in ("REL TO", "DISPLAY ONLY") else
            f"… {name}" if name == "EYES ONLY" else name for name in _known(scheme)]


def _ordered(scheme: Scheme, controls: Iterable[str]) -> list[tuple[Control, str]]:
    """(control, category) in the scheme's order; unknown controls last, as given."""
    known = _known(scheme)
    order = list(known)
    found: dict[str, tuple[Control, str]] = {}
    for text in controls:
        control = parse_control(scheme, text) or Control(" ".join(text.upper().split()), "")
        category = known.get(control.kind, ("", "other"))[1]
        found.setdefault(control.name, (control, category))
    return sorted(found.values(),
                  key=lambda pair: order.index(pair[0].kind) if pair[0].kind in order
                  else len(order))


def _short(scheme: Scheme, control: Control) -> str:
    if control.countries:
        return control.name
    return _known(scheme).get(control.kind, (control.name, ""))[0]


def level_short(scheme: Scheme, level: str) -> str:
    """The portion form of a level ('S' for SECRET); the level itself if none."""
    if isinstance(scheme, str):
        for name, short in CLASSIFICATION_SCHEMES.get(scheme, []):
            if name == level:
                return short
    return level


def _spell(scheme: Scheme, level: str, controls: Iterable[str], portion: bool) -> str:
    ordered = _ordered(scheme, controls)
    names = [(_short(scheme, c) if portion else c.name, category) for c, category in ordered]
    if scheme == "uk":
        return " ".join([level, *(name for name, _ in names)])
    groups: dict[str, list[str]] = {}
    for name, category in names:
        groups.setdefault(category, []).append(name)
    return "//".join([level, *("/".join(group) for group in groups.values())])


def banner(scheme: Scheme, level: str, controls: Iterable[str] = ()) -> str:
    """The banner line: `SECRET//NOFORN`, `OFFICIAL-SENSITIVE COMMERCIAL`."""
    return _spell(scheme, level, controls, portion=False)


def portion(scheme: Scheme, level: str, controls: Iterable[str] = ()) -> str:
    """The portion mark: `(S//NF)`, `(OS COMMERCIAL)`."""
    return f"({_spell(scheme, level_short(scheme, level), controls, portion=True)})"


def covers(scheme: Scheme, banner_controls: Iterable[str], control: str) -> bool:
    """Whether a banner with `banner_controls` carries a portion's `control`: the
    same control, or for a release list one that is no wider (or NOFORN)."""
    wanted = parse_control(scheme, control) or Control(control.upper(), "")
    held = [parse_control(scheme, c) or Control(c.upper(), "") for c in banner_controls]
    if wanted.kind in ("REL TO", "EYES ONLY"):
        return any(h.kind == "NOFORN" or (h.kind == wanted.kind and
                                          set(h.countries) <= set(wanted.countries))
                   for h in held)
    return any(h.name == wanted.name for h in held)


def with_control(scheme: Scheme, banner_controls: Iterable[str], control: str) -> list[str]:
    """The banner's controls with `control` added; a release list narrows the
    banner's own list to the countries both name."""
    wanted = parse_control(scheme, control) or Control(control.upper(), "")
    out: list[str] = []
    merged = False
    for text in banner_controls:
        held = parse_control(scheme, text)
        if held and wanted.countries and held.kind == wanted.kind:
            common = [c for c in held.countries if c in wanted.countries]
            separator = ", " if held.kind != "EYES ONLY" else "/"
            out.append(f"{held.kind} {separator.join(common)}" if held.kind != "EYES ONLY"
                       else f"{separator.join(common)} EYES ONLY")
            merged = True
        else:
            out.append(text)
    return out if merged else [*out, wanted.name]


def conflicts(scheme: Scheme, controls: Iterable[str]) -> str | None:
    """A message when controls exclude each other (NOFORN with a release list)."""
    kinds = {c.kind for c in (parse_control(scheme, text) for text in controls) if c}
    if "NOFORN" in kinds and "REL TO" in kinds:
        return "NOFORN and REL TO exclude each other"
    return None


def split_banner(text: str) -> tuple[str, list[str]]:
    """'SECRET//NOFORN/ORCON' → ('SECRET', ['NOFORN', 'ORCON']); a REL TO list keeps
    its commas."""
    level, *groups = text.split("//")
    controls = [c.strip() for group in groups for c in group.split("/") if c.strip()]
    return level.strip(), controls
