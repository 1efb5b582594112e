"""`briefing preview` (and `serve --preview`): the web edition with the brief's findings
on top and beside the paragraphs they concern, each linked to its file and line in the
editor; a stream of server-sent events that speaks after a save; the last good preview
kept under the findings of content that does not build. Here through the WSGI app
itself; tests/test_preview_browser.py watches a real page redraw in Chromium."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from editing import save_edit
from lxml import html

from briefing.cli.scaffold import new_brief
from briefing.serve.app import BriefingApp
from briefing.serve.library import Library
from briefing.serve.preview import EDITOR_URL, EditorUrlError, editor_link, editor_url

KEEP_ALIVES = 40  # comments a stream may send before the test gives up (a hang guard)


def call(app: BriefingApp, path: str, method: str = "GET", **headers: str):
    """(status, headers, body iterable) of one request to the WSGI app."""
    seen: dict = {}

    def start_response(status: str, response_headers, *exc) -> None:
        seen["status"], seen["headers"] = int(status.split()[0]), dict(response_headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path,
               **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
    body = app(environ, start_response)
    return seen["status"], seen["headers"], body


def get(app: BriefingApp, path: str, **headers: str):
    status, response_headers, body = call(app, path, **headers)
    return status, response_headers, b"".join(body)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    new_brief("x", tmp_path / "content", "schema.json")
    return tmp_path


@pytest.fixture
def app(project):
    library = Library(project / "content", project / "out", formats=("html",), jobs=1)
    library.scan(force=True)
    app = BriefingApp(library)
    app.preview(EDITOR_URL)
    yield app
    app.close()


def _page(body: bytes):
    return html.fromstring(body)


def test_the_preview_shows_the_edition_with_every_finding_on_top_linked_to_the_editor(app):
    status, headers, body = get(app, "/preview/x")
    assert status == 200
    root = _page(body)
    panel = root.find(".//aside[@class='preview-panel']")
    assert panel.findtext("h2") == "Findings"
    assert panel.find("p").text_content() == "Valid: 0 error(s), 15 warning(s)."
    first = panel.find("ol/li")
    assert first.text_content() == (
        "content/x/brief.yaml:5:11: warning: 'subtitle' is still a placeholder (the text "
        "`briefing new` wrote); replace it with what the brief's authors or sources say "
        "[BR626] (beside the text)")
    path = (Path.cwd() / "content/x/brief.yaml").as_posix()
    assert first.find("a").get("href") == f"vscode://file{path}:5:11"
    assert root.find(".//main") is not None  # the edition itself
    assert root.findtext(".//title") == "Preview: X"


def test_each_finding_stands_beside_the_paragraph_it_concerns(app):
    root = _page(get(app, "/preview/x")[2])
    notes = {li.text_content().split(": ", 2)[2].split(" is still")[0]: li
             for li in root.iterfind(".//div[@class='preview-note']//li")}
    assert len(notes) == 15

    def holder(field: str):
        return root.xpath(f"(//*[@data-field='{field}'])[1]")[0]

    # a note stands before the paragraph it concerns (first in a list item or a cell)
    note = notes["'subtitle'"].getparent().getparent()
    assert note.getnext() is holder("subtitle").getparent()
    note = notes["'key_judgments[0].text'"].getparent().getparent()
    assert note.getparent().tag == "li" and note.getparent().get("id") == "kj-1"
    assert note.getnext() is holder("judgment:kj-1.text").getparent()
    note = notes["'key_judgments[0].evidence[0].text'"].getparent().getparent()
    assert note.getnext() is holder("evidence:ev-1.text").getparent()
    cell = notes["'indicators[0].text'"].getparent().getparent().getparent()
    assert cell.tag == "td" and holder("indicator:ind-1.text").getparent() is cell
    # what names no paragraph of its own (authors, audience) stands beside the title
    assert notes["'authors[0]'"].getparent() is notes["'audience'"].getparent()
    note = notes["'authors[0]'"].getparent().getparent()
    assert note.getnext() is holder("title").getparent()
    link = notes["'audience'"].find("a")
    assert link.text == "brief.yaml:10"
    assert link.get("href").endswith("/content/x/brief.yaml:10:11")


def test_the_edition_stays_script_free_and_the_preview_runs_only_its_own_script(app):
    status, headers, edition = get(app, "/b/x")
    assert status == 200 and b"<script" not in edition
    status, headers, body = get(app, "/preview/x")
    (script,) = _page(body).iter("script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in headers["Content-Security-Policy"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_the_preview_answers_304_while_it_shows_the_same(app):
    status, headers, _ = get(app, "/preview/x")
    status, again, body = get(app, "/preview/x", if_none_match=headers["ETag"])
    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]


def test_an_event_arrives_after_a_save_and_the_page_then_shows_the_change(app, project):
    status, headers, body = call(app, "/preview/x/events")
    assert status == 200
    assert headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert "Content-Length" not in headers
    stream = iter(body)
    first = next(stream).decode()
    tag = get(app, "/preview/x")[1]["ETag"].strip('"')
    assert first == f"retry: 1000\n\nevent: preview\ndata: {tag}\n\n"
    builds = sum(app.metrics.builds.values())

    save_edit(project / "content/x/brief.yaml", "subtitle: Placeholder subtitle",
             "subtitle: What the agreement changes")
    for _ in range(KEEP_ALIVES):
        chunk = next(stream).decode()
        if chunk.startswith("event:"):
            break
        assert chunk == ": still here\n\n"
    else:
        pytest.fail("no event after the save")
    status, headers, page = get(app, "/preview/x")
    assert chunk == f"event: preview\ndata: {headers['ETag'].strip(chr(34))}\n\n"
    assert headers["ETag"].strip('"') != tag
    root = _page(page)
    assert root.xpath("//*[@data-field='subtitle']")[0].text_content() == \
        "What the agreement changes"
    assert "'subtitle'" not in root.find(".//aside").text_content()
    assert sum(app.metrics.builds.values()) == builds + 1  # one build for one save
    body.close()


def test_content_that_does_not_build_keeps_the_last_good_preview_under_its_findings(
        app, project):
    brief = project / "content/x/brief.yaml"
    stream = iter(call(app, "/preview/x/events")[2])
    next(stream)
    save_edit(brief, "title: X", "title: [broken")
    while not next(stream).startswith(b"event:"):
        pass
    status, headers, body = get(app, "/preview/x")
    assert status == 200
    root = _page(body)
    panel = root.find(".//aside")
    assert panel.get("class") == "preview-panel invalid"
    assert panel.find("p").text_content() == ("The brief does not build (invalid: 1 error(s), "
                                              "0 warning(s)); showing the last good preview.")
    assert panel.find("ol/li").text_content() == (
        "content/x/brief.yaml:5:9: error: invalid YAML: while parsing a flow sequence; did "
        "not find expected ',' or ']' [BR801]")
    assert root.xpath("//*[@data-field='title']")[0].text_content() == "X"  # the last good
    assert not root.xpath("//div[contains(@class, 'preview-note')]")


def test_open_pages_are_bounded_and_a_closed_one_frees_its_place(app):
    """Each open page holds a server thread: past MAX_STREAMS a page is told to wait."""
    from briefing.serve.live import MAX_STREAMS

    assert call(app, "/preview/x/events", method="HEAD")[0] == 200  # holds no place
    streams = [call(app, "/preview/x/events")[2] for _ in range(MAX_STREAMS)]
    status, headers, body = get(app, "/preview/x/events")
    assert (status, headers["Retry-After"]) == (503, "5")
    assert body == (f"503 service unavailable: {MAX_STREAMS} live previews are open "
                    "already; close one\n").encode()
    streams.pop().close()
    status, _, body = call(app, "/preview/x/events")
    assert status == 200 and next(iter(body)).startswith(b"retry: 1000")
    for stream in [*streams, body]:
        stream.close()


def test_a_save_that_changes_nothing_the_page_shows_keeps_its_tag(tmp_path):
    """A comment added to the YAML rebuilds the edition (its inputs changed) into the
    same bytes: the tag, and so every open page, stays as it is."""
    from briefing.serve.builder import Built, Output
    from briefing.serve.preview import preview_tag

    page = Output(b"<html>the same</html>", "inputs-before", 1.0)
    before = preview_tag(Built(tmp_path, "up to date"), page, EDITOR_URL)
    after = Output(b"<html>the same</html>", "inputs-after", 2.0)
    assert preview_tag(Built(tmp_path, "built"), after, EDITOR_URL) == before
    changed = Output(b"<html>changed</html>", "inputs-after", 2.0)
    assert preview_tag(Built(tmp_path, "built"), changed, EDITOR_URL) != before
    assert preview_tag(Built(tmp_path, "invalid"), page, EDITOR_URL) != before


def test_previews_are_off_unless_asked_for(project):
    library = Library(project / "content", project / "out", formats=("html",), jobs=1)
    app = BriefingApp(library)
    try:
        assert get(app, "/preview/x")[0] == 404
        assert get(app, "/preview/x/events")[0] == 404
    finally:
        app.close()


def test_an_unknown_brief_has_no_preview(app):
    assert get(app, "/preview/nope")[:1] == (404,)
    assert get(app, "/preview/nope/events")[2] == b"404 not found: no brief 'nope'\n"


@pytest.mark.parametrize("template,message", [
    ("vscode://file", "editor URL 'vscode://file' does not name {path}"),
    ("vscode://file{path}:{row}", "editor URL 'vscode://file{path}:{row}' names {row}; it may "
     "name {path}, {line} and {col}"),
    ("{path}", "editor URL '{path}' does not start with an editor's scheme, e.g. "
     "vscode://file{path}:{line}:{col}"),
    ("javascript:alert({path})", "editor URL 'javascript:alert({path})' does not start with "
     "an editor's scheme, e.g. vscode://file{path}:{line}:{col}"),
])
def test_an_editor_url_that_cannot_make_a_link_is_refused(template, message):
    with pytest.raises(EditorUrlError) as caught:
        editor_url(template)
    assert str(caught.value) == message


def test_editor_links_for_other_editors_and_awkward_paths(tmp_path):
    from briefing.core.findings import Place

    place = Place(str(tmp_path / "my briefs" / "brief.yaml"), 12, 3)
    where = (tmp_path / "my briefs" / "brief.yaml").as_posix().replace(" ", "%20")
    assert editor_link(EDITOR_URL, place) == f"vscode://file{where}:12:3"
    assert editor_link(editor_url("idea://open?file={path}&line={line}"), place) == \
        f"idea://open?file={where}&line=12"


def test_the_command_line_refuses_a_bad_editor_url_or_a_missing_brief(project, cli):
    code, out, err = cli("preview", "content/x", "--editor-url", "vscode://file")
    assert (code, out) == (1, "")
    assert err == "briefing: error: editor URL 'vscode://file' does not name {path}\n"
    code, out, err = cli("preview", "content/nowhere")
    assert (code, err) == (1, "briefing: error: content/nowhere does not exist\n")
