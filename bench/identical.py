"""Are the outputs of this tree byte-identical to those of another commit?

Builds the NK brief (both layouts) and every fixture under `tests/fixtures/` with the
code of another commit (checked out into a temporary git worktree) and with this
tree's, each as a PDF from both engines (ReportLab and Typst) and as a DOCX, from the
same content, layouts and seeds (this tree's), with the disk cache off. Then compares
them file by file, and a DOCX part by part.

One field may differ by design: the DOCX manifest's `inputs` digest covers briefing's
own code (so that a build after an upgrade is never taken as up to date); it is blanked
in both before the comparison, and the table says so. Everything else, every byte of
every PDF and every other DOCX part, must be the same.

Usage: python bench/identical.py REV   (exit 0 when all are identical, 1 otherwise)
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from measure import ROOT, other_commit

MANIFEST_INPUTS = re.compile(rb'inputs="[0-9a-f]+"')


def briefs() -> list[tuple[str, Path, list[str]]]:
    """(name, path, extra build arguments) of each brief compared."""
    rows = [("nk-russia", ROOT / "content" / "nk-russia", []),
            ("nk-russia.one-pager", ROOT / "content" / "nk-russia",
             ["--layout", "one-pager"])]
    fixtures = ROOT / "tests" / "fixtures"
    for path in sorted(fixtures.rglob("*.yaml")):
        if path.name == "brief.yaml" or path.parent.name == "editions":
            name = path.parent.name if path.name == "brief.yaml" else path.stem
            rows.append((name, path.parent if path.name == "brief.yaml" else path, []))
    return rows


def build_all(package: Path, out: Path) -> None:
    """Every brief, both engines and the DOCX, with `package` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(package), "BRIEFING_CACHE": "off"}
    out.mkdir(parents=True)
    for name, path, extra in briefs():
        for engine in ("reportlab", "typst"):
            target = out / name / engine
            arguments = ["build", str(path), "--out-dir", str(target), "--force",
                         "--pdf-engine", engine, *extra]
            if engine == "typst":
                arguments += ["--format", "pdf"]
            done = subprocess.run([sys.executable, "-m", "briefing", *arguments],
                                  cwd=out, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"{package}: briefing {' '.join(arguments)} failed:\n"
                                 f"{done.stdout}{done.stderr}")


def docx_parts(data: bytes) -> dict[str, bytes]:
    """Each part of a DOCX, the manifest's `inputs` digest blanked."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: MANIFEST_INPUTS.sub(b'inputs=""', package.read(info))
                for info in package.infolist()}


def differences(before: Path, after: Path) -> list[str]:
    """What differs between the two output folders (empty when nothing does)."""
    found = []
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    for name in sorted(names):
        if ".briefing" in name.parts:
            continue
        one, two = before / name, after / name
        if not one.exists() or not two.exists():
            found.append(f"{name}: only {'after' if two.exists() else 'before'}")
        elif name.suffix == ".docx":
            parts_one, parts_two = docx_parts(one.read_bytes()), docx_parts(two.read_bytes())
            if list(parts_one) != list(parts_two):
                found.append(f"{name}: different parts or order")
            found += [f"{name}: part {part} differs" for part in parts_one
                      if parts_one[part] != parts_two.get(part)]
        elif one.read_bytes() != two.read_bytes():
            found.append(f"{name}: differs")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rev", help="the commit to compare with (e.g. 1438986)")
    args = parser.parse_args()
    with other_commit(args.rev, "briefing-identical-") as (folder, other):
        build_all(other, folder / "before")
        build_all(ROOT, folder / "after")
        outputs = sorted(p.relative_to(folder / "after")
                         for p in (folder / "after").rglob("*")
                         if p.is_file() and ".briefing" not in p.parts)
        found = differences(folder / "before", folder / "after")
    print(f"| output | {args.rev} against this tree |")
    print("|---|---|")
    for name in outputs:
        mine = [line for line in found if line.startswith(f"{name}:")]
        verdict = "; ".join(mine) if mine else (
            "identical (manifest's inputs digest blanked)" if name.suffix == ".docx"
            else "identical")
        print(f"| {name} | {verdict} |")
    print(f"\n{len(outputs) - len({f.split(':')[0] for f in found})} of {len(outputs)} "
          "outputs identical")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
