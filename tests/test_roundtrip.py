"""Round trip: a built DOCX knows its fields; `briefing import` brings Word edits back."""

from __future__ import annotations

import copy
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.readback import docx_blocks, pdf_blocks

ROOT = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("layouts", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content" / "nk-russia", tmp_path / "content" / "nk-russia")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _build(cli, *extra: str) -> Path:
    code, _, err = cli("build", "content/nk-russia", "--force", *extra)
    assert code == 0, err
    return Path("out/nk-russia.docx")


def _digests(project: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((project / "content" / "nk-russia").glob("*.yaml"))}


def _paragraph(document, start: str):
    """The one body paragraph (table cells included) whose text starts with `start`."""
    found = [p for p in _all_paragraphs(document) if p.text.startswith(start)]
    assert len(found) >= 1, f"no paragraph starts with {start!r}"
    return found[0]


def _all_paragraphs(document):
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def _replace_in_runs(paragraph, old: str, new: str) -> None:
    for run in paragraph.runs:
        if old in run.text:
            run.text = run.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} not in one run of {paragraph.text[:60]!r}")


def _libreoffice_resave(path: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out.mkdir(exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile",
                    "--convert-to", "docx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)
    return out / path.name


# ---- the DOCX knows where its fields came from -------------------------------------


def test_every_field_has_a_hidden_bookmark_and_the_manifest_records_it(project, cli):
    docx = _build(cli, "--format", "docx")
    with zipfile.ZipFile(docx) as package:
        body = package.read("word/document.xml").decode()
        items = [n for n in package.namelist() if n.startswith("customXml/item")]
        manifest = next(package.read(n).decode() for n in items
                        if b"urn:briefing:manifest:1" in package.read(n))
    assert body.count('w:name="_Brf') == manifest.count("<occurrence ")
    assert 'key="judgment:kj-durable-alliance.text"' in manifest
    assert 'file="judgments.yaml"' in manifest
    assert "<markdown>North Korea and Russia will likely" in manifest or "kj-durable" in manifest


def test_the_docx_with_fields_stays_reproducible(project, cli):
    first = _build(cli, "--format", "docx").read_bytes()
    second = _build(cli, "--format", "docx").read_bytes()
    assert first == second


def test_importing_the_untouched_docx_changes_nothing(project, cli):
    before = _digests(project)
    docx = _build(cli, "--format", "docx")
    code, out, err = cli("import", "content/nk-russia", str(docx), "--write")
    assert code == 0, err
    assert "no changes to import" in err
    assert out == ""
    assert _digests(project) == before


@pytest.mark.slow
def test_importing_a_libreoffice_resave_changes_nothing(project, cli, tmp_path):
    before = _digests(project)
    resaved = _libreoffice_resave(_build(cli, "--format", "docx"), tmp_path / "lo")
    code, _, err = cli("import", "content/nk-russia", str(resaved), "--write")
    assert code == 0, err
    assert "no changes to import" in err
    assert _digests(project) == before


# ---- edits come back ---------------------------------------------------------------


def _run_xml(text: str, italic: bool | None = None, bold: bool | None = None):
    run = OxmlElement("w:r")
    if italic is not None or bold is not None:
        rpr = OxmlElement("w:rPr")
        for tag, value in (("w:b", bold), ("w:i", italic)):
            if value is not None:
                toggle = OxmlElement(tag)
                toggle.set(qn("w:val"), "1" if value else "0")
                rpr.append(toggle)
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    return run


def _tracked(tag: str, run):
    change = OxmlElement(tag)
    change.set(qn("w:id"), "9001" if tag == "w:ins" else "9002")
    change.set(qn("w:author"), "Analyst")
    change.set(qn("w:date"), "2026-11-25T10:00:00Z")
    if tag == "w:del":
        for t in run.iter(qn("w:t")):
            t.tag = qn("w:delText")
    change.append(run)
    return change


def _field_end(paragraph, nth: int = 0):
    """The w:bookmarkEnd of the nth field bookmark in a paragraph."""
    starts = [b for b in paragraph._p.iter(qn("w:bookmarkStart"))
              if b.get(qn("w:name")).startswith("_Brf")]
    ident = starts[nth].get(qn("w:id"))
    return next(e for e in paragraph._p.iter(qn("w:bookmarkEnd")) if e.get(qn("w:id")) == ident)


def _analyst_edits(source: Path, target: Path) -> None:
    """Ten kinds of edit, as an analyst makes them in Word."""
    document = Document(str(source))
    # 1. new words in the subtitle
    _replace_in_runs(_paragraph(document, "From arms trade"), "what to watch",
                     "what to watch next")
    # 2. words typed at the very end of the BLUF paragraph (past the bookmark's end)
    _paragraph(document, "North Korea has moved")._p.append(
        _run_xml(" Analysts expect no quick change."))
    # 3. a reworded key judgment (in the list of key judgments only)
    _replace_in_runs(_paragraph(document, "Since Russia’s invasion"), "consistently",
                     "steadily")
    # 4. strong emphasis added to a basis
    basis = _paragraph(document, "Basis: Three seeds agree")
    _field_end(basis).addprevious(_run_xml(" Confirmed.", bold=True))
    # 5. a citation's locator changed
    evidence = _paragraph(document, "Reporting. The opinion piece dates the defence pact")
    link = next(h for h in evidence._p.iter(qn("w:hyperlink"))
                if "para. 4" in "".join(t.text for t in h.iter(qn("w:t"))))
    for t in link.iter(qn("w:t")):
        t.text = t.text.replace("para. 4", "para. 5")
    # 6. an external link added to an outlook paragraph
    outlook = _paragraph(document, "For policy staff")
    rel = outlook.part.relate_to("https://www.example.org/analysis",
                                 "http://schemas.openxmlformats.org/officeDocument/2006/"
                                 "relationships/hyperlink", is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel)
    hyperlink.append(_run_xml("background"))
    end = _field_end(outlook)
    end.addprevious(_run_xml(" See "))
    end.addprevious(hyperlink)
    end.addprevious(_run_xml("."))
    # 7. a tracked insertion in an alternative view
    alternative = _paragraph(document, "1. The partnership is a marriage")
    _field_end(alternative).addprevious(_tracked("w:ins", _run_xml(" Some analysts agree.")))
    # 8. a tracked deletion in an indicator: the runs of the field become deleted text
    #    except a new first sentence
    indicator = _paragraph(document, "New finds of North Korean-made shells")
    first = next(r for r in indicator._p.iter(qn("w:r")) if "New finds" in "".join(
        t.text or "" for t in r.iter(qn("w:t"))))
    kept, dropped = first.find(qn("w:t")).text.split("New finds of ", 1)
    first.find(qn("w:t")).text = kept + "New finds of "
    first.addnext(_tracked("w:del", _run_xml(dropped.split(" ", 1)[0] + " ")))
    first.getnext().addnext(_run_xml(dropped.split(" ", 1)[1]))
    # 9. emphasis in a would-be-right-if condition
    condition = _paragraph(document, "Would be right if: North Korean shipments fall")
    _replace_in_runs(condition, "stall as fighting", "stall as fighting")
    _field_end(condition).addprevious(_run_xml(" Watch closely.", italic=False))
    # 10. a reworded evidence item
    _replace_in_runs(_paragraph(document, "Reporting. On 12 June 2023"), "sent Putin a message",
                     "sent Putin a letter")
    # and a comment an analyst leaves on a judgment
    judgment = _paragraph(document, "Since Russia’s invasion")
    document.add_comment(judgment.runs[0], "Is 2022 the right start?", author="Analyst",
                         initials="AN")
    document.save(str(target))


def _leaves(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    else:
        yield path, data


def _content(project: Path) -> dict:
    data = {}
    for path in sorted((project / "content" / "nk-russia").glob("*.yaml")):
        data.update(yaml.safe_load(path.read_text("utf-8")))
    return dict(_leaves(data))


def _changed_lines(before: dict[str, str], project: Path) -> list[str]:
    import difflib

    lines = []
    for name, old in before.items():
        new = (project / "content" / "nk-russia" / name).read_text("utf-8")
        lines += [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(),
                                                        lineterm="", n=0)
                  if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return lines


@pytest.mark.slow
def test_analyst_edits_come_back_through_libreoffice(project, cli, tmp_path):
    texts = {p.name: p.read_text("utf-8")
             for p in (project / "content" / "nk-russia").glob("*.yaml")}
    before = _content(project)
    built = _build(cli)
    edited = tmp_path / "edited" / "nk-russia.docx"
    edited.parent.mkdir()
    _analyst_edits(built, edited)
    resaved = _libreoffice_resave(edited, tmp_path / "lo")

    code, out, err = cli("import", "content/nk-russia", str(resaved), "--write",
                         "--comments", str(tmp_path / "comments.yaml"))
    assert code == 0, err
    after = _content(project)
    changed = {path: after[path] for path in after if after[path] != before.get(path)}
    assert set(changed) == {
        ("subtitle",), ("bluf", 0), ("key_judgments", 0, "text"),
        ("key_judgments", 0, "basis"), ("key_judgments", 1, "evidence", 2, "text"),
        ("outlook", 0), ("alternative_views", 0, "text"),
        ("indicators", 0, "text"), ("alternative_views", 0, "would_be_right_if"),
        ("key_judgments", 0, "evidence", 0, "text"),
    }, sorted(changed)
    assert changed[("subtitle",)].endswith("what to watch next")
    assert changed[("bluf", 0)].endswith("limited reach. Analysts expect no quick change.")
    assert "North Korea has steadily and publicly backed" in changed[
        ("key_judgments", 0, "text")]
    assert changed[("key_judgments", 0, "basis")].endswith("references. **Confirmed.**")
    assert "[@seed-dangerous-shift, para. 5]" in changed[
        ("key_judgments", 1, "evidence", 2, "text")]
    assert changed[("outlook", 0)].endswith(
        "para. 11]. See [background](https://www.example.org/analysis).")
    assert changed[("alternative_views", 0, "text")].endswith(
        "paper commitment. Some analysts agree.")
    assert changed[("indicators", 0, "text")].startswith("New finds of Korean-made shells")
    assert changed[("alternative_views", 0, "would_be_right_if")].endswith(
        "at the UN. *Watch closely.*")
    assert "sent Putin a letter pledging" in changed[("key_judgments", 0, "evidence", 0, "text")]
    # every other line of the YAML is byte-identical: only changed scalars' lines moved
    assert all(not line[1:].lstrip().startswith(("- id:", "id:", "kind:", "source:",
                                                 "locator:", "credibility:", "#"))
               for line in _changed_lines(texts, project))
    # the analyst's comment is reported at the judgment's place, and saved
    assert "judgments.yaml:" in err and "note: Analyst: Is 2022 the right start?" in err
    saved = yaml.safe_load((tmp_path / "comments.yaml").read_text("utf-8"))
    assert saved[0]["author"] == "Analyst" and saved[0]["field"] == (
        "judgment:kj-political-backing.text")
    # the brief still validates, and the next build shows the edits in both formats
    assert cli("validate", "content/nk-russia")[0] == 0
    _build(cli)
    pdf_text = " ".join(pdf_blocks(Path("out/nk-russia.pdf"), set()))
    docx_text = " ".join(docx_blocks(Path("out/nk-russia.docx")))
    for words in ("what to watch next", "Analysts expect no quick change", "steadily and",
                  "Some analysts agree", "Watch closely", "sent Putin a letter"):
        assert words in " ".join(pdf_text.split()), words
        assert words in docx_text, words


# ---- refusals, conflicts and what is ignored -------------------------------------


@pytest.fixture(scope="module")
def built_docx(tmp_path_factory) -> bytes:
    """The NK brief's DOCX, built once for the refusal tests."""
    from briefing.build.pipeline import build

    out = tmp_path_factory.mktemp("built")
    return build(ROOT / "content" / "nk-russia", out, ("docx",)).outputs["docx"].read_bytes()


def _edited(built: bytes, tmp_path: Path, edit) -> Path:
    source = tmp_path / "built.docx"
    source.write_bytes(built)
    document = Document(str(source))
    edit(document)
    target = tmp_path / "returned.docx"
    document.save(str(target))
    return target


PLACE = re.compile(r'paragraph (\d+) \("(.*?)"\)(?=[:,)]| and|$)', re.M)


def _places_hold_their_excerpts(messages: str, returned: Path) -> int:
    """Every `paragraph N ("excerpt")` a message names is paragraph N of the returned
    DOCX, and it holds the excerpt quoted; the number of places checked."""
    from briefing.render.docx.wordml import read_docx
    from briefing.roundtrip.importer import _excerpt

    paragraphs = {p.number: p for p in read_docx(returned.read_bytes()).paragraphs}
    found = PLACE.findall(messages)
    for number, excerpt in found:
        assert int(number) in paragraphs, (number, excerpt)
        assert _excerpt(paragraphs[int(number)].text) == excerpt, (number, excerpt)
    return len(found)


def _import_refused(cli, project: Path, returned: Path) -> str:
    before = _digests(project)
    code, out, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 1, err
    assert "nothing imported" in err
    assert _digests(project) == before  # nothing written
    assert _places_hold_their_excerpts(err, returned)
    return err


def test_a_field_deleted_in_word_is_refused_with_where_to_delete_it(project, cli, built_docx,
                                                                     tmp_path):
    def edit(document):
        paragraph = _paragraph(document, "“pledged to step up strategic cooperation")
        paragraph._p.getparent().remove(paragraph._p)

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert ("error: field 'evidence:ev-kim-pledge-june-2023.quote' was deleted in the DOCX; "
            "to drop it, delete ev-kim-pledge-june-2023 in "
            "content/nk-russia/judgments.yaml:30 yourself") in err
    # the paragraph is gone: the message says where it stood
    assert 'returned.docx: after paragraph 47 ("Reporting. On 12 June 2023' in err


def _paste_over(paragraph, text: str) -> None:
    """Select a whole paragraph and paste text over it, as Word does: the runs, the
    label and the hidden bookmarks in it are gone, the paragraph's style stays."""
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)
    paragraph._p.append(_run_xml(text))


PASTED = "Putin signed the pact in Pyongyang in June 2024, on his first visit since 2000."


def _check_pasted_over(cli, project: Path, returned: Path) -> None:
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    assert "delete" not in err and "deleted" not in err
    assert ("note: the hidden bookmark of field 'evidence:ev-treaty-pyongyang-visit.text' "
            "(content/nk-russia/judgments.yaml:108) was lost") in err
    assert re.search(r'paragraph 60 \("(Reporting\. )?Putin signed the pact in Pyongyang in '
                     r'June 2024,[^"]*"\): note:', err), err
    assert _places_hold_their_excerpts(err, returned) == 1
    data = yaml.safe_load((project / "content" / "nk-russia" / "judgments.yaml").read_text())
    item = data["key_judgments"][1]["evidence"][1]
    assert item["id"] == "ev-treaty-pyongyang-visit" and item["text"] == PASTED
    assert cli("validate", "content/nk-russia")[0] == 0


def test_a_paragraph_pasted_over_is_read_as_its_field_edited(project, cli, built_docx,
                                                             tmp_path):
    def edit(document):
        _paste_over(_paragraph(document, "Reporting. Putin signed the pact"), PASTED)

    _check_pasted_over(cli, project, _edited(built_docx, tmp_path, edit))


@pytest.mark.slow
def test_a_paragraph_pasted_over_comes_back_through_libreoffice(project, cli, built_docx,
                                                                tmp_path):
    def edit(document):
        _paste_over(_paragraph(document, "Reporting. Putin signed the pact"), PASTED)

    _check_pasted_over(cli, project, _libreoffice_resave(
        _edited(built_docx, tmp_path, edit), tmp_path / "lo"))


def test_a_paragraph_pasted_over_keeps_a_label_pasted_with_it_out_of_the_field(
        project, cli, built_docx, tmp_path):
    def edit(document):
        _paste_over(_paragraph(document, "Reporting. Putin signed the pact"),
                    "Reporting. " + PASTED)

    _check_pasted_over(cli, project, _edited(built_docx, tmp_path, edit))


def test_a_paragraph_pasted_over_with_its_label_only_is_a_deletion_at_that_paragraph(
        project, cli, built_docx, tmp_path):
    def edit(document):
        _paste_over(_paragraph(document, "Reporting. Putin signed the pact"), "Reporting. ")

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert ('returned.docx: paragraph 60 ("Reporting."): error: field '
            "'evidence:ev-treaty-pyongyang-visit.text' was deleted in the DOCX") in err
    assert "note:" not in err


def test_a_paragraph_of_another_style_is_not_taken_for_a_lost_field(project, cli,
                                                                    built_docx, tmp_path):
    def edit(document):
        paragraph = _paragraph(document, "Reporting. Putin signed the pact")
        _paste_over(paragraph, PASTED)
        paragraph.style = document.styles["Normal"]

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert "field 'evidence:ev-treaty-pyongyang-visit.text' was deleted" in err


def _delete_judgment(document) -> None:
    judgment = _paragraph(document, "In the second half of 2024, North Korea sent")._p
    meta = judgment.getnext()
    basis = meta.getnext()
    for paragraph in (judgment, meta, basis):
        paragraph.getparent().remove(paragraph)


def _check_deleted_judgment(cli, project: Path, returned: Path) -> None:
    err = _import_refused(cli, project, returned)
    where = 'returned.docx: after paragraph 32 ("Basis: All five seeds report'
    assert f"{where}" in err
    assert "error: field 'judgment:kj-troops.text' was deleted in the DOCX; to drop it, " \
           "delete kj-troops in content/nk-russia/judgments.yaml:202 yourself" in err
    assert "error: field 'judgment:kj-troops.basis' was deleted" in err
    # the judgment's generated line (likelihood, confidence) is named, not counted
    assert ('warning: the generated paragraph "Statement of fact · Low confidence" was '
            "deleted; ignored") in err
    assert "generated paragraph(s)" not in err


def test_a_deleted_judgment_is_refused_where_it_stood(project, cli, built_docx, tmp_path):
    _check_deleted_judgment(cli, project, _edited(built_docx, tmp_path, _delete_judgment))


@pytest.mark.slow
def test_a_deleted_judgment_is_refused_where_it_stood_through_libreoffice(project, cli,
                                                                        built_docx, tmp_path):
    _check_deleted_judgment(cli, project, _libreoffice_resave(
        _edited(built_docx, tmp_path, _delete_judgment), tmp_path / "lo"))


def test_text_added_outside_any_field_is_refused_with_its_paragraph(project, cli, built_docx,
                                                                   tmp_path):
    def edit(document):
        anchor = _paragraph(document, "Key judgments")
        anchor.insert_paragraph_before("An analyst's own paragraph, in no field.")

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert ("(\"An analyst's own paragraph, in no field.\"): error: text added outside any "
            "field") in err


def test_a_citation_typed_over_as_plain_text_is_refused(project, cli, built_docx, tmp_path):
    def edit(document):
        paragraph = _paragraph(document, "Reporting. The opinion piece dates the defence pact")
        link = next(h for h in paragraph._p.iter(qn("w:hyperlink"))
                    if "para. 4" in "".join(t.text for t in h.iter(qn("w:t"))))
        text = "".join(t.text for t in link.iter(qn("w:t")))
        link.addprevious(_run_xml(text))
        link.getparent().remove(link)

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert ("error: the citation [@seed-dangerous-shift, para. 4] in field "
            "'evidence:ev-treaty-formalizes.text' was typed over as plain text") in err


def test_a_field_edited_differently_where_it_appears_twice_is_refused(project, cli,
                                                                      built_docx, tmp_path):
    def edit(document):
        first, second = [p for p in _all_paragraphs(document)  # not the contents entry
                         if "North Korea has consistently and" in p.text
                         and 'w:name="_Brf' in p._p.xml][:2]
        _replace_in_runs(first, "consistently", "steadily")
        _replace_in_runs(second, "consistently", "always")

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert ("error: field 'judgment:kj-political-backing.text' appears in paragraph 24 "
            '("Since Russia’s invasion of Ukraine in 2022, North Korea has…") and paragraph 46 '
            '("1. Since Russia’s invasion of Ukraine in 2022, North Korea …"), edited '
            "differently in each; make the edits agree (or edit "
            "content/nk-russia/judgments.yaml:11)") in err


def test_edits_to_generated_text_are_reported_as_ignored(project, cli, built_docx, tmp_path):
    def edit(document):
        _replace_in_runs(_paragraph(document, "BOTTOM LINE UP FRONT"), "BOTTOM LINE",
                         "THE BOTTOM LINE")
        _replace_in_runs(_paragraph(document, "Reporting. On 12 June 2023"), "Reporting.",
                         "Report.")

    before = _digests(project)
    returned = _edited(built_docx, tmp_path, edit)
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    assert '("THE BOTTOM LINE UP FRONT"): warning: generated text was changed; that change ' \
           "is ignored" in err
    assert ("warning: the generated text around field 'evidence:ev-kim-pledge-june-2023.text' "
            "(content/nk-russia/judgments.yaml:22) was changed; that change is ignored") in err
    assert _places_hold_their_excerpts(err, returned) == 2
    assert "no changes to import" in err
    assert _digests(project) == before


def test_a_deleted_generated_paragraph_is_named_with_where_it_stood(project, cli, built_docx,
                                                                    tmp_path):
    def edit(document):
        heading = _paragraph(document, "Contents")._p
        heading.getparent().remove(heading)

    returned = _edited(built_docx, tmp_path, edit)
    code, _, err = cli("import", "content/nk-russia", str(returned))
    assert code == 0, err
    assert ('returned.docx: after paragraph 7 ("North Korea has moved from rhetorical backing '
            'of Russia’s w…"): warning: the generated paragraph "Contents" was deleted; '
            "ignored") in err
    assert _places_hold_their_excerpts(err, returned) == 1
    assert "no changes to import" in err


def test_a_field_changed_in_the_yaml_and_in_word_is_a_conflict(project, cli, built_docx,
                                                              tmp_path):
    judgments = project / "content" / "nk-russia" / "judgments.yaml"
    judgments.write_text(judgments.read_text("utf-8").replace(
        "North Korea has consistently and", "North Korea has firmly and"), "utf-8")

    def edit(document):
        _replace_in_runs(_paragraph(document, "Since Russia’s invasion"), "consistently",
                         "steadily")

    err = _import_refused(cli, project, _edited(built_docx, tmp_path, edit))
    assert ("content/nk-russia/judgments.yaml:11: error: conflict in field "
            "'judgment:kj-political-backing.text': changed in the YAML since the build and "
            "in the DOCX") in err
    assert "YAML now: Since Russia’s invasion of Ukraine in 2022, North Korea has firmly" in err
    assert "DOCX now: Since Russia’s invasion of Ukraine in 2022, North Korea has steadily" \
        in err


def test_fields_changed_only_in_word_merge_with_other_yaml_edits(project, cli, built_docx,
                                                                tmp_path):
    judgments = project / "content" / "nk-russia" / "judgments.yaml"
    judgments.write_text(judgments.read_text("utf-8").replace(
        "North Korea has consistently and", "North Korea has firmly and"), "utf-8")

    def edit(document):
        _replace_in_runs(_paragraph(document, "From arms trade"), "what to watch",
                         "what to watch next")

    code, out, err = cli("import", "content/nk-russia",
                         str(_edited(built_docx, tmp_path, edit)), "--write")
    assert code == 0, err
    assert "+subtitle: From arms trade to mutual-defence treaty — what Pyongyang and Moscow " \
           "exchange, and what to watch next" in out
    text = judgments.read_text("utf-8")
    assert "North Korea has firmly and" in text  # the YAML-side edit stays


def test_without_write_import_prints_the_diff_and_writes_nothing(project, cli, built_docx,
                                                                tmp_path):
    def edit(document):
        _replace_in_runs(_paragraph(document, "Since Russia’s invasion"), "consistently",
                         "steadily")

    before = _digests(project)
    code, out, err = cli("import", "content/nk-russia",
                         str(_edited(built_docx, tmp_path, edit)))
    assert code == 0, err
    assert out.startswith("--- a/content/nk-russia/judgments.yaml\n"
                          "+++ b/content/nk-russia/judgments.yaml\n")
    assert "-      Since Russia’s invasion of Ukraine in 2022, North Korea has consistently and" \
        in out
    assert "+      Since Russia’s invasion of Ukraine in 2022, North Korea has steadily and" in out
    assert "1 field(s) changed; run again with --write to apply" in err
    assert _digests(project) == before


def test_an_import_that_would_not_validate_writes_nothing_unless_forced(project, cli,
                                                                       built_docx, tmp_path):
    def edit(document):  # a quote no longer in its archived source
        _replace_in_runs(_paragraph(document, "“pledged to step up strategic cooperation"),
                         "strategic", "tactical")

    returned = _edited(built_docx, tmp_path, edit)
    before = _digests(project)
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 2
    assert "is not in the archived copy" in err
    assert "nothing written: the brief would not validate (--force writes anyway)" in err
    assert _digests(project) == before
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write", "--force")
    assert code == 2
    assert "tactical cooperation" in (project / "content" / "nk-russia" /
                                      "judgments.yaml").read_text("utf-8")


def test_rejecting_tracked_changes_keeps_the_original_text(project, cli, built_docx, tmp_path):
    def edit(document):
        alternative = _paragraph(document, "1. The partnership is a marriage")
        _field_end(alternative).addprevious(_tracked("w:ins", _run_xml(" Inserted.")))

    returned = _edited(built_docx, tmp_path, edit)
    code, _, err = cli("import", "content/nk-russia", str(returned), "--changes", "reject")
    assert code == 0 and "no changes to import" in err
    code, out, _ = cli("import", "content/nk-russia", str(returned), "--changes", "accept")
    assert code == 0 and "Inserted." in out


def test_a_docx_not_built_by_briefing_is_refused(project, cli, tmp_path):
    other = tmp_path / "other.docx"
    Document().save(str(other))
    code, _, err = cli("import", "content/nk-russia", str(other))
    assert code == 1
    assert "no briefing manifest in this DOCX" in err
    (tmp_path / "junk.docx").write_bytes(b"not a zip")
    code, _, err = cli("import", "content/nk-russia", str(tmp_path / "junk.docx"))
    assert code == 1 and "not a DOCX file (not a zip package)" in err


# ---- findings reach the analysts as Word comments --------------------------------


def _with_two_findings(project: Path) -> None:
    judgments = project / "content" / "nk-russia" / "judgments.yaml"
    text = judgments.read_text("utf-8")
    text = text.replace("North Korea sent thousands of its soldiers", "North Korea perhaps "
                        "sent thousands of its soldiers")
    text = text.replace("to curb\n      Pyongyang’s", "to curb\n      perhaps Pyongyang’s")
    judgments.write_text(text, "utf-8")


def _comments(docx: Path) -> list[tuple[str, str, str]]:
    """(author, text, the text of the bookmarked field it is anchored in) per comment."""
    from briefing.render.docx.field_marks import occurrences
    from briefing.render.docx.wordml import read_docx

    document = read_docx(docx.read_bytes())
    by_id = {c: o.text for o in occurrences(document.paragraphs).values() for c in o.comments}
    return [(c.author, c.text, by_id.get(c.id, "")) for c in document.comments.values()]


def test_build_with_comments_puts_each_finding_on_its_field(project, cli):
    _with_two_findings(project)
    code, _, err = cli("validate", "content/nk-russia")
    findings = [line for line in err.splitlines() if ": warning: " in line]
    assert len(findings) == 2
    docx = _build(cli, "--comments", "--format", "docx")
    comments = _comments(docx)
    assert len(comments) == len(findings)
    assert {author for author, _, _ in comments} == {"briefing"}
    by_field = {field[:40]: text for _, text, field in comments}
    assert "uses the vague word 'perhaps'" in by_field["In the second half of 2024, North Korea "]
    assert by_field["In the second half of 2024, North Korea "].startswith("warning")
    assert "content/nk-russia/judgments.yaml:" in by_field[
        "In the second half of 2024, North Korea "]
    assert any(f.startswith("China is unlikely to use its economic") for f in by_field)


def test_a_docx_with_review_comments_imports_as_no_change(project, cli):
    _with_two_findings(project)
    before = _digests(project)
    docx = _build(cli, "--comments", "--format", "docx")
    code, _, err = cli("import", "content/nk-russia", str(docx), "--write")
    assert code == 0, err
    assert "no changes to import" in err and "note:" not in err
    assert _digests(project) == before


def test_the_manifest_reads_the_rendered_trees_as_the_saved_docx_reads(project, cli,
                                                                        monkeypatch):
    """The renderer reads what its fields show from its own trees (re-parsing the saved
    package would hold a second copy of the document): the two readings agree."""
    from briefing.render.docx import package as docx_package
    from briefing.render.docx.renderer import DocxRenderer
    from briefing.render.docx.wordml import parse_part, read_docx, read_parts

    readings = []
    shown = DocxRenderer.shown

    def both(self):
        saved = io.BytesIO()
        self.doc.save(saved)
        readings.append((read_docx(saved.getvalue()), read_parts(
            docx_package.saved_parts(self.doc.part.package, parse_part))))
        return shown(self)

    monkeypatch.setattr(DocxRenderer, "shown", both)
    _with_two_findings(project)
    _build(cli, "--comments", "--format", "docx")
    [(saved, own)] = readings
    assert len(saved.comments) == 2 and saved.footnotes and len(saved.paragraphs) > 100
    assert own.paragraphs == saved.paragraphs
    assert own.footnotes == saved.footnotes
    assert own.comments == saved.comments


def test_comments_are_part_of_the_build_inputs(project, cli):
    _with_two_findings(project)
    plain = _build(cli, "--format", "docx").read_bytes()
    code, out, _ = cli("build", "content/nk-russia", "--format", "docx", "--comments")
    assert code == 0 and "up to date" not in out
    assert Path("out/nk-russia.docx").read_bytes() != plain


@pytest.mark.slow
def test_review_comments_show_in_libreoffice_and_pandoc(project, cli, tmp_path):
    import pypandoc
    from pypdf import PdfReader

    _with_two_findings(project)
    docx = _build(cli, "--comments", "--format", "docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    options = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", options, "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    notes = [str(annotation.get_object().get("/Contents"))
             for page in PdfReader(tmp_path / "nk-russia.pdf").pages
             for annotation in page.get("/Annots") or []
             if annotation.get_object().get("/Subtype") == "/Text"]
    assert len(notes) == 2
    assert all("uses the vague word 'perhaps'" in note for note in notes)
    markdown = pypandoc.convert_file(str(docx), "markdown", format="docx",
                                     extra_args=["--track-changes=all"])
    assert markdown.count('.comment-start id=') == 2
    assert markdown.count('author="briefing"') == 2
    assert " ".join(markdown.split()).count("uses the vague word") == 2


def _word_habits(document) -> None:
    """Rewrite the body the way Word saves it: runs split by rsid (one word each),
    proofing marks, a smart tag, and field bookmarks moved to the paragraph's start."""
    body = document.element.body
    for run in list(body.iter(qn("w:r"))):
        text = run.find(qn("w:t"))
        if text is None or not text.text or " " not in text.text.strip():
            continue
        words = text.text.split(" ")
        pieces = [w + " " for w in words[:-1]] + [words[-1]]
        for piece in reversed(pieces[1:]):
            clone = copy.deepcopy(run)
            clone.set(qn("w:rsidR"), "00A1B2C3")
            clone.find(qn("w:t")).text = piece
            clone.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space",
                                      "preserve")
            run.addnext(clone)
        text.text = pieces[0]
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        proof = OxmlElement("w:proofErr")
        proof.set(qn("w:type"), "spellStart")
        run.addprevious(proof)
    for paragraph in body.iter(qn("w:p")):
        starts = [b for b in paragraph.iter(qn("w:bookmarkStart"))
                  if b.get(qn("w:name")).startswith("_Brf") and b.getparent() is paragraph]
        if len(starts) == 1:
            ppr = paragraph.find(qn("w:pPr"))
            paragraph.insert(0 if ppr is None else 1, starts[0])
    evidence = _paragraph(document, "Reporting. On 12 June 2023")
    first = next(r for r in evidence._p.iter(qn("w:r")) if "Putin" in "".join(
        t.text or "" for t in r.iter(qn("w:t"))))
    tag = OxmlElement("w:smartTag")
    tag.set(qn("w:uri"), "urn:schemas-microsoft-com:office:smarttags")
    tag.set(qn("w:element"), "PersonName")
    first.addprevious(tag)
    tag.append(first)


def test_word_habits_do_not_read_as_edits(project, cli, built_docx, tmp_path):
    before = _digests(project)
    code, _, err = cli("import", "content/nk-russia",
                       str(_edited(built_docx, tmp_path, _word_habits)), "--write")
    assert code == 0, err
    assert "no changes to import" in err
    assert _digests(project) == before


def test_an_edit_under_word_habits_still_maps_to_its_field(project, cli, built_docx,
                                                          tmp_path):
    def edit(document):
        _word_habits(document)
        _replace_in_runs(_paragraph(document, "Reporting. On 12 June 2023"), "message ",
                         "letter ")

    code, out, err = cli("import", "content/nk-russia",
                         str(_edited(built_docx, tmp_path, edit)), "--write")
    assert code == 0, err
    text = (project / "content" / "nk-russia" / "judgments.yaml").read_text("utf-8")
    assert "sent Putin a letter pledging" in " ".join(text.split())
    assert [line for line in out.splitlines() if line.startswith("+ ") and "letter" in line]


FIXTURE_BRIEFS = ["every-node", "marked-uk", "marked-us"]


@pytest.mark.parametrize("name", FIXTURE_BRIEFS)
def test_every_fixture_brief_imports_its_own_docx_as_no_change(name, tmp_path, monkeypatch,
                                                               cli):
    for folder in ("layouts", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / name, tmp_path / "content" / name)
    monkeypatch.chdir(tmp_path)
    brief = tmp_path / "content" / name
    before = {p.name: p.read_bytes() for p in brief.glob("*.yaml")}
    code, _, err = cli("build", f"content/{name}", "--format", "docx")
    assert code == 0, err
    code, out, err = cli("import", f"content/{name}", f"out/{name}.docx", "--write")
    assert code == 0, err
    assert "no changes to import" in err and out == ""
    assert {p.name: p.read_bytes() for p in brief.glob("*.yaml")} == before


@pytest.mark.slow
@pytest.mark.parametrize("name", FIXTURE_BRIEFS)
def test_every_fixture_brief_imports_its_libreoffice_resave_as_no_change(name, tmp_path,
                                                                         monkeypatch, cli):
    for folder in ("layouts", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / name, tmp_path / "content" / name)
    monkeypatch.chdir(tmp_path)
    brief = tmp_path / "content" / name
    before = {p.name: p.read_bytes() for p in brief.glob("*.yaml")}
    code, _, err = cli("build", f"content/{name}", "--format", "docx")
    assert code == 0, err
    resaved = _libreoffice_resave(Path(f"out/{name}.docx"), tmp_path / "lo")
    code, out, err = cli("import", f"content/{name}", str(resaved), "--write")
    assert code == 0, err
    assert "no changes to import" in err and out == ""
    assert {p.name: p.read_bytes() for p in brief.glob("*.yaml")} == before


def test_an_edit_to_a_marked_paragraph_keeps_its_portion_mark_out_of_the_text(
        tmp_path, monkeypatch, cli):
    for folder in ("layouts", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / "marked-us", tmp_path / "content" / "m")
    monkeypatch.chdir(tmp_path)
    assert cli("build", "content/m", "--format", "docx")[0] == 0

    def edit(document):
        _replace_in_runs(_paragraph(document, "(U) Orders are already"), "already rising",
                         "already rising fast")

    returned = _edited(Path("out/marked-us.docx").read_bytes(), tmp_path, edit)
    code, out, err = cli("import", "content/m", str(returned), "--write")
    assert code == 0, err
    assert "-  - text: Orders are already rising.\n+  - text: Orders are already rising fast." \
        in out
    assert cli("validate", "content/m")[0] == 0


# ---- emphasis inside a bold style (key judgments, headings) ------------------------


def _set_bold(paragraph, word: str, value: bool | None, tag: str = "w:b") -> None:
    """Select `word` in a paragraph and set its bold as Word's Bold button does: in a
    bold style it writes w:b w:val="0" (the word turns regular); None removes w:b.
    With `tag` "w:i", its italic, as the Italic button does."""
    for run in paragraph._p.iter(qn("w:r")):
        text = run.find(qn("w:t"))
        if text is None or word not in (text.text or ""):
            continue
        before, after = text.text.split(word, 1)
        pieces = []
        for piece in (before, word, after):
            clone = copy.deepcopy(run)
            clone.find(qn("w:t")).text = piece
            clone.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space",
                                      "preserve")
            pieces.append(clone)
        rpr = pieces[1].find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            pieces[1].insert(0, rpr)
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
        if value is not None:
            toggle = OxmlElement(tag)
            toggle.set(qn("w:val"), "1" if value else "0")
            rpr.insert(0, toggle)
        for piece in pieces:
            run.addprevious(piece)
        run.getparent().remove(run)
        return
    raise AssertionError(f"{word!r} not in one run of {paragraph.text[:60]!r}")


def _emphasised_brief(project: Path) -> None:
    """Strong words in two key judgments (whose style is bold)."""
    judgments = project / "content" / "nk-russia" / "judgments.yaml"
    text = judgments.read_text("utf-8")
    text = text.replace("North Korea has consistently and", "North Korea has **consistently** and",
                        1)
    text = text.replace("Russia signed a", "Russia **signed** a", 1)
    judgments.write_text(text, "utf-8")


def _emphasis_edits(source: Path, target: Path) -> None:
    document = Document(str(source))
    # a word made bold (Word: w:b w:val="0") in a key judgment without emphasis
    _set_bold(_paragraph(document, "North Korea supplies Russia with artillery"), "artillery",
              False)
    # a strong word made bold again like the rest (its emphasis removed)
    _set_bold(_paragraph(document, "In June 2024, North Korea and Russia"), "signed", None)
    # another word of a judgment with a strong word edited
    _replace_in_runs(_paragraph(document, "Since Russia’s invasion"), "publicly", "openly")
    document.save(str(target))


def _judgment_texts(project: Path) -> list[str]:
    data = yaml.safe_load((project / "content" / "nk-russia" / "judgments.yaml").read_text())
    return [" ".join(j["text"].split()) for j in data["key_judgments"]]


def _check_emphasis_import(cli, project: Path, returned: Path) -> None:
    before = _judgment_texts(project)
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    after = _judgment_texts(project)
    assert after[0] == before[0].replace("and publicly", "and openly")
    assert "North Korea has **consistently** and openly backed" in after[0]
    assert after[1] == before[1].replace("**signed**", "signed")
    assert after[2] == before[2].replace("artillery", "**artillery**", 1)
    assert after[3:] == before[3:]


def test_strong_in_a_bold_style_is_set_in_the_regular_weight(project, cli):
    from pypdf import PdfReader

    _emphasised_brief(project)
    docx = _build(cli)
    paragraph = _paragraph(Document(str(docx)), "Since Russia’s invasion")
    run = next(r for r in paragraph.runs if r.text == "consistently")
    assert run.bold is False  # w:b w:val="0": regular inside the bold style
    assert all(r.bold is None for r in paragraph.runs if r.text and r.text != "consistently")
    fonts: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):
        if font is not None:
            fonts.setdefault(text.strip(), set()).add(str(font.get("/BaseFont")))

    for page in PdfReader("out/nk-russia.pdf").pages[:2]:
        page.extract_text(visitor_text=visit)
    shown = {text: faces for text, faces in fonts.items() if "consistently" in text}
    assert shown and all(not any("Bold" in f for f in faces) for faces in shown.values()), fonts
    assert any("Bold" in f for faces in fonts.values() for f in faces)  # the rest is bold


def test_strong_in_a_bold_style_is_set_in_the_regular_weight_by_typst(project, cli):
    from pypdf import PdfReader

    _emphasised_brief(project)
    code, _, err = cli("build", "content/nk-russia", "--force", "--format", "pdf",
                       "--pdf-engine", "typst")
    assert code == 0, err
    fonts: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if font is not None and text.strip():
            fonts.append((text, str(font.get("/BaseFont"))))

    for page in PdfReader("out/nk-russia.pdf").pages[:2]:
        page.extract_text(visitor_text=visit)
    words = [(text, face) for text, face in fonts if "consistently" in text]
    assert words and all("Bold" not in face for _, face in words), fonts
    # the words around it, in the key judgment's bold
    assert any("Bold" in face for text, face in fonts if "North Korea has" in text), fonts


def test_emphasis_in_key_judgments_comes_back(project, cli, tmp_path):
    _emphasised_brief(project)
    returned = tmp_path / "returned.docx"
    _emphasis_edits(_build(cli, "--format", "docx"), returned)
    _check_emphasis_import(cli, project, returned)


@pytest.mark.slow
def test_emphasis_in_key_judgments_comes_back_through_libreoffice(project, cli, tmp_path):
    _emphasised_brief(project)
    edited = tmp_path / "edited" / "nk-russia.docx"
    edited.parent.mkdir()
    _emphasis_edits(_build(cli, "--format", "docx"), edited)
    _check_emphasis_import(cli, project, _libreoffice_resave(edited, tmp_path / "lo"))


@pytest.mark.slow
def test_a_brief_with_strong_in_bold_styles_imports_its_own_docx_as_no_change(project, cli,
                                                                               tmp_path):
    _emphasised_brief(project)
    before = _digests(project)
    docx = _build(cli, "--format", "docx")
    code, _, err = cli("import", "content/nk-russia", str(docx), "--write")
    assert code == 0 and "no changes to import" in err, err
    resaved = _libreoffice_resave(docx, tmp_path / "lo")
    code, _, err = cli("import", "content/nk-russia", str(resaved), "--write")
    assert code == 0 and "no changes to import" in err, err
    assert _digests(project) == before


def _as_built_before(docx: Path, target: Path) -> None:
    """The DOCX as a build before strong was drawn in the regular weight in a bold style
    made it: `**…**` in a key judgment invisible, and so in the manifest's record of
    what each field showed."""
    from lxml import etree

    from briefing.render.docx.field_marks import canonical, occurrences
    from briefing.render.docx.wordml import read_docx

    with zipfile.ZipFile(docx) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'<w:b w:val="0"/>', b"")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    document = read_docx(buffer.getvalue())
    found = occurrences(document.paragraphs)
    name = next(n for n, data in parts.items() if n.startswith("customXml/item")
                and b"urn:briefing:manifest:1" in data)
    root = etree.fromstring(parts[name])
    ns = "{urn:briefing:manifest:1}"
    for node in root.iter(f"{ns}occurrence"):
        node.find(f"{ns}shown").text = canonical(found[node.get("bookmark")].atoms,
                                                 document.footnotes)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)
    with zipfile.ZipFile(target, "w") as package:
        for part, data in parts.items():
            package.writestr(part, data)


def _old_docx_edited(cli, tmp_path: Path, old: str, new: str) -> Path:
    built = _build(cli, "--format", "docx")
    before = tmp_path / "before.docx"
    _as_built_before(built, before)
    document = Document(str(before))
    _replace_in_runs(_paragraph(document, "Since Russia’s invasion"), old, new)
    returned = tmp_path / "returned.docx"
    document.save(str(returned))
    return returned


def test_unseen_strong_is_kept_when_its_words_come_back_unchanged(project, cli, tmp_path):
    _emphasised_brief(project)
    before = _judgment_texts(project)
    returned = _old_docx_edited(cli, tmp_path, "publicly", "openly")
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    after = _judgment_texts(project)
    assert after[0] == before[0].replace("and publicly", "and openly")
    assert "**consistently**" in after[0]
    assert after[1:] == before[1:]


def test_unseen_strong_whose_words_were_edited_is_a_warning_at_the_field(project, cli,
                                                                        tmp_path):
    _emphasised_brief(project)
    returned = _old_docx_edited(cli, tmp_path, "consistently", "steadily")
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    assert ("warning: field 'judgment:kj-political-backing.text' "
            "(content/nk-russia/judgments.yaml:11) had **consistently**, which the DOCX did "
            "not show, and its words were edited") in err
    assert _places_hold_their_excerpts(err, returned) == 1
    assert "North Korea has steadily and publicly" in _judgment_texts(project)[0]


# ---- fields that mirror one another ------------------------------------------------


def _source(project: Path, ident: str) -> dict:
    data = yaml.safe_load((project / "content" / "nk-russia" / "sources.yaml").read_text())
    return next(s for s in data["sources"] if s["id"] == ident)


def _replace_in_texts(paragraph, old: str, new: str) -> None:
    """Replace in the one w:t that holds `old` (links' runs included)."""
    text = next(t for t in paragraph._p.iter(qn("w:t")) if old in (t.text or ""))
    text.text = text.text.replace(old, new)


def _curly_apostrophe(document) -> None:
    _replace_in_texts(_paragraph(document, "North Korea's Deepening Ties"), "Korea's",
                      "Korea’s")


def _check_curly_title(cli, project: Path, returned: Path) -> None:
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    assert ("content/nk-russia/sources.yaml:59: note: the sentence_case_title of source "
            "'seed-dangerous-shift' changed with its title") in err
    assert _places_hold_their_excerpts(err, returned) == 1
    source = _source(project, "seed-dangerous-shift")
    assert source["title"].startswith("North Korea’s Deepening Ties with Russia")
    assert source["sentence_case_title"] == ("North Korea’s deepening ties with Russia mark a "
                                             "dangerous shift in global alliances")
    code, _, err = cli("validate", "content/nk-russia")
    assert code == 0 and "BR452" not in err, err


def test_a_curly_apostrophe_in_a_title_goes_into_its_sentence_case_twin(project, cli,
                                                                       built_docx, tmp_path):
    _check_curly_title(cli, project, _edited(built_docx, tmp_path, _curly_apostrophe))


@pytest.mark.slow
def test_a_curly_apostrophe_in_a_title_comes_back_through_libreoffice(project, cli,
                                                                     built_docx, tmp_path):
    _check_curly_title(cli, project, _libreoffice_resave(
        _edited(built_docx, tmp_path, _curly_apostrophe), tmp_path / "lo"))


def test_a_title_reworded_warns_at_its_sentence_case_twin(project, cli, built_docx,
                                                          tmp_path):
    def edit(document):
        _replace_in_texts(_paragraph(document, "North Korea's Deepening Ties"),
                          "Dangerous Shift", "Perilous Shift")

    returned = _edited(built_docx, tmp_path, edit)
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    assert ("content/nk-russia/sources.yaml:59: warning: the title of source "
            "'seed-dangerous-shift' was changed in the DOCX (returned.docx: paragraph 170 "
            "(\"North Korea's Deepening Ties with Russia Mark a Perilous Sh…\")), but its "
            "sentence_case_title here cannot be changed the same way") in err
    assert _places_hold_their_excerpts(err, returned) == 1
    # and the review says so too, until the editor makes them agree
    assert "sources.yaml:59" in err and "[BR452]" in err
    assert _source(project, "seed-dangerous-shift")["sentence_case_title"].endswith(
        "a dangerous shift in global alliances")


def test_mirror_change_only_changes_what_leaves_no_doubt_about_capitals():
    from briefing.roundtrip.importer import mirror_change

    assert mirror_change("Kim's Pledge", "Kim’s Pledge", "Kim's pledge") == "Kim’s pledge"
    assert mirror_change("A “Slow” Reply", "A \"Slow\" Reply", "A “slow” reply") == \
        'A "slow" reply'
    assert mirror_change("The 2023 Talks", "The 2024 Talks", "The 2023 talks") == \
        "The 2024 talks"
    assert mirror_change("Kim Meets Putin", "Kim Meets Lavrov", "Kim meets Putin") == \
        "Kim meets Lavrov"  # the words around agree letter for letter: Putin → Lavrov
    assert mirror_change("Ties Mark a Shift", "Ties Mark a Turn", "Ties mark a shift") is None
    assert mirror_change("One Title", "One Title!", "Another title") is None  # drifted


def _italic_edits(source: Path, target: Path) -> None:
    """A word of a basis (an italic style) made italic with Word's Italic button: it
    turns upright (w:i w:val="0")."""
    document = Document(str(source))
    _set_bold(_paragraph(document, "Basis: Three seeds agree"), "agree", False, tag="w:i")
    document.save(str(target))


def _check_italic_import(cli, project: Path, returned: Path) -> None:
    code, _, err = cli("import", "content/nk-russia", str(returned), "--write")
    assert code == 0, err
    data = yaml.safe_load((project / "content" / "nk-russia" / "judgments.yaml").read_text())
    assert data["key_judgments"][0]["basis"].startswith("Three seeds *agree*")


def test_a_word_made_italic_in_an_italic_basis_comes_back_as_emphasis(project, cli,
                                                                     tmp_path):
    returned = tmp_path / "returned.docx"
    _italic_edits(_build(cli, "--format", "docx"), returned)
    _check_italic_import(cli, project, returned)


@pytest.mark.slow
def test_a_word_made_italic_in_an_italic_basis_comes_back_through_libreoffice(project, cli,
                                                                             tmp_path):
    edited = tmp_path / "edited" / "nk-russia.docx"
    edited.parent.mkdir()
    _italic_edits(_build(cli, "--format", "docx"), edited)
    _check_italic_import(cli, project, _libreoffice_resave(edited, tmp_path / "lo"))


def test_emphasis_is_read_as_what_differs_from_the_paragraph_styles_own_look():
    """Through w:basedOn, with a character style toggling the paragraph style's bold
    and direct w:b / w:i setting it."""
    from briefing.render.docx.wordml import parse_part, read_parts

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    styles = f"""<w:styles {ns}>
      <w:style w:type="paragraph" w:styleId="Judgment"><w:rPr><w:b/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="Derived"><w:basedOn w:val="Judgment"/></w:style>
      <w:style w:type="paragraph" w:styleId="Aside"><w:basedOn w:val="Derived"/>
        <w:rPr><w:i/></w:rPr></w:style>
      <w:style w:type="character" w:styleId="Strong"><w:rPr><w:b/></w:rPr></w:style>
    </w:styles>"""

    def run(text: str, rpr: str = "") -> str:
        return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'

    def paragraph(style: str, *runs: str) -> str:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f"<w:p>{ppr}{''.join(runs)}</w:p>"

    strong = '<w:rStyle w:val="Strong"/>'
    body = f"""<w:document {ns}><w:body>
      {paragraph("Derived", run("plain "), run("off ", '<w:b w:val="0"/>'),
                 run("toggled ", strong), run("on", "<w:b/>"))}
      {paragraph("Aside", run("both "), run("upright", '<w:i w:val="false"/>'))}
      {paragraph("", run("normal "), run("strong", strong))}
    </w:body></w:document>"""
    parts = {"word/styles.xml": styles, "word/document.xml": body}
    document = read_parts(lambda name: parse_part(parts[name].encode()) if name in parts
                          else None)
    looks = [[(a.text.strip(), a.bold, a.italic) for a in p.atoms if a.kind == "text"]
             for p in document.paragraphs]
    assert looks == [
        [("plain", False, False), ("off toggled", True, False), ("on", False, False)],
        [("both", False, False), ("upright", False, True)],
        [("normal", False, False), ("strong", True, False)],
    ]
