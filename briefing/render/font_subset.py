"""Cutting TrueType fonts down to the characters a document shows (fontTools).

Importing fontTools' subsetter costs a process 16 MiB that it never gives back,
and a DOCX render needs it only when the disk cache lacks a subset, while it holds
its whole document tree. So `cut_elsewhere` cuts a batch of fonts in a short-lived
child process that runs this file as a script (`python -I font_subset.py`: it
imports nothing but fontTools), and `cut` does the same work in this process.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

# The characters a document may need that its text does not show: page numbers,
# note numbers and the contents list Word may rebuild, list labels.
ALWAYS = frozenset("0123456789 .,:;()[]-–—•…%/'’“”\"")
# OpenType layout tables (kerning, ligatures) and VTT hinting sources, left out: the
# PDF (ReportLab) applies no OpenType layout either, so both outputs set text alike,
# and parsing them takes most of a subset's time.
LAYOUT_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "DSIG",
                 "TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
SIZE_BYTES = 8  # each subset the child writes is preceded by its length


def cut(path: Path, characters: frozenset[str], flavor: str | None = None) -> bytes:
    """The TrueType font at `path` cut down to `characters` (those it has) and
    `ALWAYS`, with its names and hinting kept and its timestamp unchanged; as a WOFF2
    file with `flavor="woff2"` (for the web edition)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.glyph_names = False
    font = TTFont(io.BytesIO(path.read_bytes()), recalcTimestamp=False)
    for tag in LAYOUT_TABLES:  # before the subsetter reads them
        if tag in font:
            del font[tag]
    cmap = font.getBestCmap() or {}
    wanted = sorted({ord(c) for c in characters | ALWAYS} & set(cmap))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def cut_elsewhere(paths: list[Path], characters: frozenset[str],
                  flavor: str | None = None) -> list[bytes] | None:
    """`cut` of each font at `paths`, done by one child process; None when it could
    not run or did not finish (the caller then cuts them itself)."""
    request = json.dumps({"paths": [str(path) for path in paths], "flavor": flavor,
                          "characters": "".join(sorted(characters))}).encode()
    try:
        done = subprocess.run([sys.executable, "-I", __file__], input=request,
                              capture_output=True, check=False)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None
    return _unframe(done.stdout, len(paths)) if done.returncode == 0 else None


def _unframe(data: bytes, count: int) -> list[bytes] | None:
    """The `count` length-prefixed payloads of `data`, or None if it holds other."""
    out: list[bytes] = []
    at = 0
    for _ in range(count):
        size = int.from_bytes(data[at:at + SIZE_BYTES], "big")
        at += SIZE_BYTES
        if at + size > len(data):
            return None
        out.append(data[at:at + size])
        at += size
    return out if at == len(data) else None


def main() -> None:
    """The child: a JSON request on stdin, each subset (length-prefixed) on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    characters = frozenset(request["characters"])
    for path in request["paths"]:
        data = cut(Path(path), characters, request.get("flavor"))
        sys.stdout.buffer.write(len(data).to_bytes(SIZE_BYTES, "big") + data)


if __name__ == "__main__":
    main()
