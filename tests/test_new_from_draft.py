"""`briefing new ID --from DRAFT.docx`: a Word draft (written here in Markdown and made
a DOCX by pandoc) becomes a brief that validates with placeholder warnings only,
keeps every word of the draft, and builds into judgments that read like the draft's."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from briefing.cli.main import main
from briefing.ingest.draft import section_of
from briefing.ingest.references import matches, parse_reference
from tests.readback import docx_blocks, footnotes

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = [
    "The three main ports reopened on 17 June 2024 after a nine-day strike.",
    "The backlog of container ships will likely be cleared within two weeks of the "
    "reopening.",
    "A new strike before the end of 2025 is *unlikely*, because the union accepted a "
    "two-year pay deal.",
    "The government will almost certainly keep its **emergency shipping rules** in force "
    "through August 2024.",
]
DRAFT = """\
---
title: Harbour Strike Outlook
author: Regional Desk
---

Prepared for the harbour working group.

# Bottom line up front

The strike is over, and the backlog of container ships will likely be cleared within two \
weeks of the reopening (Doe, 2024).

# Key judgments

{judgments}

# Discussion

Dock workers walked out over pay after talks with the port operators broke down.

# Outlook

Shippers should expect normal schedules from August 2024; see the \
[port authority](https://ports.example.org/notices) for notices.

# References

Doe, J. (2024, June 20). Ports reopen after the strike. *Harbour News*. \
https://news.example.org/2024/ports

Port Authority. (2024). *Annual shipping report 2024*. Port Authority Press.

Roe, R., & Poe, P. (2023). Labour relations in the harbour sector. *Journal of Maritime \
Studies*, 12(3), 45–67. https://doi.org/10.1234/jms.2023.045

[^1]: Doe (2024), para. 2: the ports reopened on 17 June 2024 after a nine-day strike.
[^2]: Port Authority (2024), p. 14: a backlog is usually cleared within two weeks.
[^3]: Roe & Poe (2023), p. 50: the pay deal runs to the end of 2025.
[^4]: Ministry of Transport, press release: the rules stay in force through August 2024.
""".format(judgments="\n".join(f"{n}. {text}[^{n}]" for n, text in
                               enumerate(JUDGMENTS, start=1)))


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def plain(markdown: str) -> str:
    return markdown.replace("*", "")


@pytest.fixture
def converted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    """The draft as a DOCX (pandoc), converted into content/harbour; cwd is the project."""
    import pypandoc

    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    pypandoc.convert_text(DRAFT, "docx", format="markdown", outputfile="draft.docx")
    assert main(["new", "harbour", "--from", "draft.docx"]) == 0
    out = capsys.readouterr().out
    brief = yaml.safe_load(Path("content/harbour/brief.yaml").read_text("utf-8"))
    return tmp_path, brief, out


@pytest.mark.slow
def test_the_converted_draft_validates_with_placeholder_warnings_only(converted, capsys):
    assert main(["validate", "content/harbour", "--format", "json"]) == 0
    [report] = json.loads(capsys.readouterr().out)
    assert report["valid"] and report["findings"]
    assert {f["rule"] for f in report["findings"]} == {"BR626"}


@pytest.mark.slow
def test_the_brief_points_at_the_project_s_schema_by_a_relative_path(converted):
    from briefing.model.schema import brief_schema

    project, _, out = converted
    first = (project / "content/harbour/brief.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../brief.schema.json"
    schema = project / "content/harbour" / first.split("$schema=")[1]
    assert json.loads(schema.read_text("utf-8")) == brief_schema()
    assert out.endswith("wrote brief.schema.json, the content model's JSON Schema, for "
                        "editors' completion\n"
                        "created briefing.toml: the project is .; a brief may name files "
                        "only inside it\n")


@pytest.mark.slow
def test_judgments_carry_the_draft_s_words_and_likelihoods(converted):
    _, brief, out = converted
    judgments = brief["key_judgments"]
    assert [kj["text"] for kj in judgments] == JUDGMENTS
    assert [kj.get("likelihood") for kj in judgments] == [None, "likely", "unlikely",
                                                         "almost certain"]
    assert all(kj["confidence"] == "low" and kj["basis"].startswith("TODO") for kj in judgments)
    assert "  kj-1: statement of fact\n  kj-2: likely\n" in out
    assert brief["bluf"] == ["The strike is over, and the backlog of container ships will "
                             "likely be cleared within two weeks of the reopening "
                             "[@doe-2024]."]


@pytest.mark.slow
def test_every_footnote_became_evidence_and_references_sources(converted):
    project, brief, _ = converted
    notes = [text for _, text in footnotes(project / "draft.docx")]
    assert len(notes) == 4
    for number, (kj, note) in enumerate(zip(brief["key_judgments"], notes, strict=True), 1):
        [evidence] = kj["evidence"]
        assert evidence["id"] == f"ev-{number}" and evidence["credibility"] == 6
        assert evidence["text"].endswith(f"The draft's footnote {number}: {note}")
    sources = {s["id"]: s for s in brief["sources"]}
    assert [ev["source"] for kj in brief["key_judgments"] for ev in kj["evidence"]] == [
        "doe-2024", "port-authority-2024", "roe-2023", "ministry-of-transport-press"]
    assert [kj["evidence"][0].get("locator") for kj in brief["key_judgments"]] == [
        "para. 2", "p. 14", "p. 50", None]
    assert sources["doe-2024"] | {"note": ""} == {
        "id": "doe-2024", "type": "news-article", "title": "Ports reopen after the strike",
        "authors": [{"family": "Doe", "given": "J."}], "container": "Harbour News",
        "date": "2024-06-20", "url": "https://news.example.org/2024/ports",
        "reliability": "F", "note": ""}
    assert sources["roe-2023"]["authors"] == [{"family": "Roe", "given": "R."},
                                              {"family": "Poe", "given": "P."}]
    assert sources["roe-2023"]["doi"] == "10.1234/jms.2023.045"
    assert sources["port-authority-2024"]["authors"] == [{"literal": "Port Authority"}]
    assert sources["ministry-of-transport-press"]["title"] == \
        "Ministry of Transport, press release: the rules stay in force through August 2024."
    assert all(s["reliability"] == "F" and s["note"].startswith("TODO: judge")
               for s in sources.values())


@pytest.mark.slow
def test_nothing_from_the_draft_is_missing(converted):
    import docx

    project, _, out = converted
    draft = docx.Document(str(project / "draft.docx"))
    # a recognised section's heading ("Key judgments") is the part of the brief it names
    paragraphs = [p.text for p in draft.paragraphs if p.text.strip()
                  and section_of(p.text) is None]
    assert len(paragraphs) == 13
    notes = [text for _, text in footnotes(project / "draft.docx")]
    brief_words = words((project / "content/harbour/brief.yaml").read_text("utf-8"))
    sidecar = (project / "content/harbour/draft-notes.md").read_text("utf-8")
    unplaced = {"Prepared for the harbour working group.",
                "Dock workers walked out over pay after talks with the port operators "
                "broke down."}
    for text in paragraphs + notes:
        missing = words(text) - brief_words
        if text in unplaced:
            assert text in sidecar
        else:
            assert not missing, (text, missing)
    assert "- paragraph 3 (before the first section): Prepared for the harbour" in sidecar
    assert "- paragraph 12 (under 'Discussion'): Dock workers walked out" in sidecar
    assert "  paragraph 12 (under 'Discussion'): Dock workers" in out


@pytest.mark.slow
def test_the_built_pdf_and_docx_read_like_the_draft(converted, capsys):
    from pypdf import PdfReader

    project, _, _ = converted
    assert main(["build", "content/harbour"]) == 0
    capsys.readouterr()
    pdf = " ".join(" ".join(page.extract_text().split())
                   for page in PdfReader(project / "out/harbour.pdf").pages)
    blocks = docx_blocks(project / "out/harbour.docx")
    for judgment in JUDGMENTS:
        assert plain(judgment) in pdf
        assert any(plain(judgment) in block for block in blocks), judgment


def test_reference_forms_are_read_and_others_kept_whole():
    apa = parse_reference("Lee, S.-H., Park, M. J., & Kim, J. (2022, March). Sanctions at "
                          "sea. Maritime Policy, 8(2), 1–9.", ("Maritime Policy",))
    assert (apa.title, apa.date, apa.container, apa.kind) == (
        "Sanctions at sea", "2022-03", "Maritime Policy", "journal-article")
    assert [a["family"] for a in apa.authors] == ["Lee", "Park", "Kim"]
    chicago = parse_reference("Smith, Jane, and Richard Roe. 2021. “Ports and Power.” "
                              "Maritime Review 4 (2): 1–20.")
    assert (chicago.title, chicago.date, chicago.authors) == (
        "Ports and Power", "2021", [{"family": "Smith", "given": "Jane"},
                                    {"family": "Roe", "given": "Richard"}])
    other = parse_reference("Interview with a port official, Rotterdam")
    assert (other.title, other.authors, other.date, other.parsed) == (
        "Interview with a port official, Rotterdam", [], "unknown", False)
    assert matches(apa, "Lee et al. (2022), p. 3") and not matches(apa, "Lee (2021)")


@pytest.mark.parametrize(("heading", "section"), [
    ("BLUF", "bluf"), ("Bottom Line:", "bluf"), ("2. Key Judgements", "judgments"),
    ("Key findings", "judgments"), ("Analysis", "discussion"), ("Implications", "outlook"),
    ("Signposts", "indicators"), ("Alternative Analysis", "alternatives"),
    ("Bibliography", "references"), ("Sources", "references"), ("Methods", None),
])
def test_common_section_names_are_recognised(heading, section):
    assert section_of(heading) == section


def test_a_draft_that_is_not_a_docx_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("draft.txt").write_text("words", "utf-8")
    assert main(["new", "x", "--from", "draft.txt"]) == 1
    assert capsys.readouterr().err == ("briefing: error: draft.txt: a draft must be a Word "
                                       "file (.docx); save it as one first; nothing was "
                                       "written\n")
    assert not Path("content").exists()
