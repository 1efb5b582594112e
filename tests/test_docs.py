"""The documentation site (mkdocs.yml, docs/) says what the code does: it builds with
`--strict` and fetches nothing, every rule has a section whose anchor is its code,
`briefing rules CODE` prints an address that lands on it, and the pages' example
messages and tables are what the code prints and holds."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import lxml.html
import pytest

from briefing.cli.main import COMMANDS, main
from briefing.review import ruledocs
from briefing.review.explain import example_lines
from briefing.review.registry import FAMILY_TITLES, all_rules
from briefing.review.ruledocs import anchor, family_address, rule_doc_url

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
RULES = all_rules()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site as `mkdocs build --strict` writes it (a broken link or anchor fails it)."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(ROOT / "mkdocs.yml"), "--site-dir", str(target)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    return target


def _page(site: Path, address: str):
    return lxml.html.parse(str(site / address)).getroot()


def _words(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _section(heading) -> str:
    """The text of a rule's section: from its heading to the next one."""
    parts = []
    for element in heading.itersiblings():
        if element.tag == "h2":
            break
        parts.append(element.text_content())
    return _words(" ".join(parts))


# --- the rule pages -------------------------------------------------------------------

def test_every_rule_has_a_section_anchored_by_its_code(site):
    for code, rule in RULES.items():
        page = _page(site, family_address(rule.family))
        [heading] = page.xpath(f'//*[@id="{anchor(code)}"]')
        assert heading.tag == "h2" and _words(heading.text_content()).startswith(
            f"{code} {rule.name}"), code
        section = _section(heading)
        assert section.startswith(f"{rule.severity} · found by "), code
        assert _words(rule.summary) in section and f"Standard: {_words(rule.standard)}" in section
        for line in example_lines(rule.bad) + example_lines(rule.good):
            assert _words(line[2:]) in section, (code, line)


def test_no_rule_page_has_a_section_for_a_code_no_rule_has(site):
    anchors = {element.get("id") for page in (site / "rules").glob("*.html")
               for element in _page(site, f"rules/{page.name}").xpath("//h2[@id]")}
    assert {a for a in anchors if re.fullmatch(r"br\d{3}", a)} == {anchor(c) for c in RULES}


def test_the_rules_index_lists_every_rule_with_a_link_to_its_section(site):
    """A table per family, under the family's title, a row per rule: the code linking to
    its section, the name, the severity and what the rule flags."""
    page = _page(site, "rules/index.html")
    listed = {}
    for heading in page.xpath("//h3"):
        [table] = heading.xpath("following-sibling::table[1]")
        for row in table.xpath(".//tr[td]"):
            cells = [_words(cell.text_content()) for cell in row.xpath("td")]
            listed[cells[0]] = (_words(heading.text_content()), cells, row.xpath("td[1]/a/@href"))
    assert list(listed) == list(RULES)
    for code, rule in RULES.items():
        family, cells, links = listed[code]
        assert family.lower().startswith(FAMILY_TITLES[rule.family].lower()), code
        assert cells == [code, rule.name, rule.severity, _words(rule.summary.replace("|", "/"))]
        assert links == [f"{rule.family}.html#{anchor(code)}"]


def test_the_nav_lists_every_family_page(site):
    nav = _page(site, "rules/index.html").xpath("//nav//a/@href")
    for family in {rule.family for rule in RULES.values()}:
        assert f"{family}.html" in nav, family


# --- `briefing rules CODE` and its address --------------------------------------------

def test_briefing_rules_code_prints_an_address_that_lands_on_its_section(site, monkeypatch,
                                                                         capsys):
    monkeypatch.setenv(ruledocs.DOCS_URL_VARIABLE, site.as_uri())
    for code in RULES:
        assert main(["rules", code]) == 0
        last = capsys.readouterr().out.splitlines()[-1]
        assert last == f"Docs: {rule_doc_url(code)}", last
        url = urlsplit(last.removeprefix("Docs: "))
        page = Path(url2pathname(url.path))
        assert page.parent.parent == site and page.is_file(), last
        assert len(_page(site, str(page.relative_to(site))).xpath(
            f'//*[@id="{url.fragment}"]')) == 1, last


def test_the_address_defaults_to_the_checkouts_site_folder(monkeypatch):
    monkeypatch.delenv(ruledocs.DOCS_URL_VARIABLE, raising=False)
    assert rule_doc_url("BR301") == (ROOT / "site").as_uri() + "/rules/numbers.html#br301"
    assert rule_doc_url("BR802") == (ROOT / "site").as_uri() + "/rules/input.html#br802"


def test_an_address_into_a_site_not_built_says_how_to_build_it(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(ruledocs.DOCS_URL_VARIABLE, raising=False)
    monkeypatch.setattr(ruledocs, "SITE", tmp_path / "site")
    assert main(["rules", "br301"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Docs: {(tmp_path / 'site').as_uri()}/rules/numbers.html#br301 (not built yet: "
        "`mkdocs build` writes it, or set BRIEFING_DOCS_URL to the site's address)")


def test_briefing_docs_url_names_where_the_site_is_served(monkeypatch, capsys):
    monkeypatch.setenv("BRIEFING_DOCS_URL", "http://127.0.0.1:8001/")
    assert main(["rules", "BR501"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Docs: http://127.0.0.1:8001/rules/quotations.html#br501")
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["docs"] for r in listed] == [
        f"http://127.0.0.1:8001/rules/{RULES[r['code']].family}.html#{r['code'].lower()}"
        for r in listed]


# --- the site as a whole --------------------------------------------------------------

def test_the_site_fetches_nothing(site):
    for page in site.rglob("*.html"):
        tree = lxml.html.parse(str(page)).getroot()
        fetched = tree.xpath("//link[@rel='stylesheet' or @rel='preconnect']/@href"
                             " | //script/@src | //img/@src")
        remote = [url for url in fetched if re.match(r"(https?:)?//", url)]
        assert remote == [], (page.name, remote)


def test_every_picture_in_docs_is_shown_on_a_page(site):
    shown = {Path(src).name for page in site.rglob("*.html")
             for src in lxml.html.parse(str(page)).getroot().xpath("//img/@src")}
    assert {p.name for p in DOCS.glob("*.png")} <= shown


def test_the_commands_page_names_every_command():
    text = (DOCS / "commands.md").read_text("utf-8")
    assert sorted(re.findall(r"^\| `briefing (\w+)", text, re.M)) == sorted(COMMANDS)


# --- the pages' examples and tables are the code's --------------------------------------

def _examples() -> list[str]:
    text = (DOCS / "rules" / "index.md").read_text("utf-8")
    block = text[text.index("Example messages"):]
    block = block[block.index("```text") + len("```text"):]
    return [line for line in block[:block.index("```")].splitlines() if line.strip()]


def test_example_messages_are_what_validate_prints(tmp_path, capsys, monkeypatch):
    for name in ("seeds", "layouts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content" / "nk-russia", tmp_path / "content" / "nk-russia")
    judgments = tmp_path / "content" / "nk-russia" / "judgments.yaml"
    lines = judgments.read_text("utf-8").splitlines(keepends=True)
    monkeypatch.chdir(tmp_path)

    typo = next(i for i, line in enumerate(lines) if line.strip() == "confidence: high")
    lines[typo] = lines[typo].replace("confidence:", "confidnce:")
    judgments.write_text("".join(lines), "utf-8")
    assert main(["validate", "content/nk-russia"]) == 2
    first = capsys.readouterr().err

    lines[typo] = lines[typo].replace("confidnce:", "confidence:")
    text = "".join(lines).replace("step up strategic cooperation with the Russian Federation\n",
                                  "step up tactical cooperation with the Russian Federation\n")
    text = re.sub(r"(    likelihood: )likely\n", r"\1very likely\n", text, count=1)
    judgments.write_text(text, "utf-8")
    assert main(["validate", "content/nk-russia"]) == 2
    printed = first + capsys.readouterr().err
    examples = _examples()
    assert len(examples) == 3
    for example in examples:
        assert example in printed.splitlines(), example


def test_security_model_limits_are_the_code_s():
    """Every limit in the "Limits" table of docs/security.md has the value limits.py has."""
    from briefing.core import limits

    text = (DOCS / "security.md").read_text("utf-8")
    section = text[text.index("## Limits"):]
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", section, re.M)
    assert len(rows) == 19
    units = {"MiB": limits.MIB, "s": 1}
    for name, shown in rows:
        number, _, unit = shown.strip().partition(" ")
        value = float(number.replace(",", "")) * units.get(unit, 1)
        assert value == getattr(limits, name), name
