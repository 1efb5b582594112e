"""Hostile corpus — a layout's reference_docx: confined, bounded, no DTDs or entities."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from corpus import OUTSIDE, run_process

ENTITY_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE w:document [<!ENTITY leak SYSTEM "file://{canary}">]>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>&leak;</w:t></w:r></w:p></w:body></w:document>')
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
    '<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '&lol3;</w:styles>')


def _with_parts(base: bytes, parts: dict[str, bytes]) -> bytes:
    """The Word file `base` with `parts` replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _reference(project, value: str = "reference.docx", data: bytes | None = None):
    """A house layout naming `value` as its reference_docx (holding `data` if given);
    build; return the result and the place of the value in layout.yaml."""
    folder = project.house_layout()
    layout_yaml = folder / "layout.yaml"
    layout_yaml.write_text(layout_yaml.read_text("utf-8") + f'reference_docx: "{value}"\n',
                           "utf-8")
    if data is not None:
        (folder / value).write_bytes(data)
    number = len(layout_yaml.read_text("utf-8").splitlines())
    return folder, f"layouts/house/layout.yaml:{number}:17"


def _refused(project, place: str, problem: str, value: str = "reference.docx",
             in_child: bool = False) -> None:
    argv = ("build", "content/demo", "--out-dir", "out")
    result = run_process(project.root, *argv) if in_child else project.run(*argv)
    assert result.code == 1, result.err
    assert result.err.splitlines()[0] == \
        f"{place}: error: reference_docx '{value}' {problem} [BR812]"
    project.assert_contained(result)


def test_reference_outside_the_project(project):
    target = str(project.outside / "canary.docx")
    _, place = _reference(project, target)
    _refused(project, place, OUTSIDE.format(root=project.root), target)


def test_reference_symlinked_from_outside(project):
    folder, place = _reference(project)
    os.symlink(project.outside / "canary.docx", folder / "reference.docx")
    _refused(project, place, OUTSIDE.format(root=project.root))


def test_reference_that_is_a_fifo_does_not_hang(project):
    folder, place = _reference(project)
    os.mkfifo(folder / "reference.docx")
    _refused(project, place, "is a named pipe (FIFO), not a regular file", in_child=True)


def test_reference_that_is_a_folder(project):
    folder, place = _reference(project)
    (folder / "reference.docx").mkdir()
    _refused(project, place, "is a folder, not a regular file")


def test_zip_bomb_part_ratio(project, canary_docx):
    bomb = _with_parts(canary_docx, {"word/media/bomb.bin": bytes(3 * 1024 * 1024)})
    with zipfile.ZipFile(io.BytesIO(bomb)) as package:
        info = package.getinfo("word/media/bomb.bin")
    ratio = info.file_size / info.compress_size
    _, place = _reference(project, data=bomb)
    _refused(project, place, f"has a part, word/media/bomb.bin, that inflates {ratio:,.0f} "
             "times; the limit is 200 (MAX_REFERENCE_RATIO; a zip bomb?)")


def test_zip_bomb_total_inflated_size(project, canary_docx, monkeypatch):
    from briefing.load import layout

    monkeypatch.setattr(layout, "MAX_REFERENCE_INFLATED", 10_000)
    with zipfile.ZipFile(io.BytesIO(canary_docx)) as package:
        total = sum(i.file_size for i in package.infolist())
    _, place = _reference(project, data=canary_docx)
    _refused(project, place, f"inflates to {total:,} bytes; the limit is 10,000 bytes "
             "(MAX_REFERENCE_INFLATED; a zip bomb?)")


def test_too_many_parts(project, canary_docx, monkeypatch):
    from briefing.load import layout

    monkeypatch.setattr(layout, "MAX_REFERENCE_PARTS", 3)
    with zipfile.ZipFile(io.BytesIO(canary_docx)) as package:
        count = len(package.infolist())
    _, place = _reference(project, data=canary_docx)
    _refused(project, place, f"has {count:,} parts; the limit is 3 (MAX_REFERENCE_PARTS)")


def test_too_big_on_disk(project, canary_docx, monkeypatch):
    from briefing.load import layout

    monkeypatch.setattr(layout, "MAX_REFERENCE_BYTES", 1000)
    _, place = _reference(project, data=canary_docx)
    _refused(project, place, f"is {len(canary_docx):,} bytes; the limit is 1,000 bytes "
             "(MAX_REFERENCE_BYTES)")


def test_external_entity_in_the_document_part(project, canary_docx):
    data = _with_parts(canary_docx, {"word/document.xml": ENTITY_DOCUMENT.format(
        canary=project.outside / "canary.txt").encode()})
    _, place = _reference(project, data=data)
    _refused(project, place, "has a part, word/document.xml, that declares a DTD or "
             "entities (<!DOCTYPE …>), which are not allowed")


def test_billion_laughs_in_the_styles_part(project, canary_docx):
    _, place = _reference(project, data=_with_parts(canary_docx,
                                                    {"word/styles.xml": LAUGHS.encode()}))
    _refused(project, place, "has a part, word/styles.xml, that declares a DTD or entities "
             "(<!DOCTYPE …>), which are not allowed")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_entity_hidden_in_a_utf16_part(project, canary_docx, encoding):
    text = ENTITY_DOCUMENT.format(canary=project.outside / "canary.txt").replace(
        'encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    _, place = _reference(project, data=_with_parts(canary_docx, {"word/document.xml": data}))
    _refused(project, place, "has a part, word/document.xml, that declares a DTD or "
             "entities (<!DOCTYPE …>), which are not allowed")


def test_entity_in_a_relationships_part(project, canary_docx):
    rels = ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x "y">]>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
    _, place = _reference(project, data=_with_parts(canary_docx,
                                                    {"word/_rels/document.xml.rels":
                                                     rels.encode()}))
    _refused(project, place, "has a part, word/_rels/document.xml.rels, that declares a DTD "
             "or entities (<!DOCTYPE …>), which are not allowed")
