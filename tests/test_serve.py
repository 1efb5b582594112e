"""`briefing serve`: the real server on a free loopback port, every route, freshness,
single flight, invalid content, markings, unknown ids and traversal, and a clean stop."""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from editing import save_edit as _replace
from lxml import html
from processes import descendants, running
from pypdf import PdfReader

from briefing.cli.main import main
from briefing.serve.server import is_loopback

ROOT = Path(__file__).resolve().parents[1]
TITLE = "title: The North Korea–Russia Alliance"
COMMON_LOG = re.compile(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] '
                        r'"[A-Z]+ \S+ HTTP/1\.[01]" \d{3} (\d+|-)$')


def _project(where: Path) -> Path:
    for name in ("layouts", "seeds"):
        shutil.copytree(ROOT / name, where / name)
    shutil.copytree(ROOT / "content" / "nk-russia", where / "content" / "nk-russia")
    return where


def _wait_for(condition, what, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what()}")


class Server:
    """`python -m briefing serve` on a free port; its output lines collected as they come."""

    def __init__(self, project: Path, *args: str):
        self.project = project
        self.log = project / "access.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "serve", "content", "--port", "0", *args],
            cwd=project, stdout=subprocess.PIPE, stderr=self.log.open("w"), text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self.reader = threading.Thread(
            target=lambda: self.lines.extend(iter(self.process.stdout.readline, "")))
        self.reader.start()
        _wait_for(lambda: any("serving" in line for line in self.lines)
                  or self.process.poll() is not None, self.output)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", "".join(self.lines))
        assert found, self.output()
        self.port = int(found.group(1))

    def output(self) -> str:
        return "".join(self.lines) + self.log.read_text()

    def request(self, path: str, method: str = "GET", **headers: str):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, headers=headers)
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def metric(self, name: str, **labels: str) -> int:
        _, body = self.request("/metrics")
        total = 0
        for line in body.decode().splitlines():
            if line.startswith(name + "{") or line.startswith(name + " "):
                if all(f'{k}="{v}"' in line for k, v in labels.items()):
                    total += int(float(line.rsplit(" ", 1)[1]))
        return total

    def children(self) -> set[int]:
        """Every process below the server (build workers, their helpers)."""
        return descendants(self.process.pid)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("the server did not stop:\n" + self.output()) from None
        finally:
            self.reader.join(timeout=30)


def _title(body: bytes) -> str:
    return PdfReader(io.BytesIO(body)).metadata.title


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    """A project whose out/ is built once, copied by every test that starts a server."""
    project = _project(tmp_path_factory.mktemp("serve"))
    code = subprocess.run([sys.executable, "-m", "briefing", "build", "content/nk-russia"],
                          cwd=project, capture_output=True, text=True, timeout=300)
    assert code.returncode == 0, code.stderr
    return project


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    shutil.copytree(built_project, tmp_path / "p")
    return tmp_path / "p"


@pytest.fixture(scope="module")
def server(built_project: Path, tmp_path_factory):
    """One server for the tests that only read."""
    project = tmp_path_factory.mktemp("readonly") / "p"
    shutil.copytree(built_project, project)
    running = Server(project)
    yield running
    assert running.stop() == 0, running.output()


def test_index_lists_each_brief_with_its_header_state_and_links(server):
    response, body = server.request("/")
    page = body.decode()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    for text in ("The North Korea–Russia Alliance", "<td>1</td>", "2026-11-23", "TLP:CLEAR",
                 "valid", 'href="/b/nk-russia.pdf"', 'href="/b/nk-russia.docx"',
                 'href="/b/nk-russia/findings"'):
        assert text in page, text
    assert re.search(r"<td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</td>", page)  # last build


def test_the_pdf_and_docx_with_their_headers(server):
    from docx import Document

    response, body = server.request("/b/nk-russia.pdf")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    assert response.getheader("Content-Disposition") == 'inline; filename="nk-russia.pdf"'
    assert re.fullmatch(r'"[0-9a-f]{32}"', response.getheader("ETag"))
    assert response.getheader("Last-Modified").endswith(" GMT")
    assert int(response.getheader("Content-Length")) == len(body)
    assert _title(body) == "The North Korea–Russia Alliance"
    assert body == (server.project / "out" / "nk-russia.pdf").read_bytes()

    response, body = server.request("/b/nk-russia.docx")
    assert response.status == 200
    assert response.getheader("Content-Type") == ("application/vnd.openxmlformats-"
                                                  "officedocument.wordprocessingml.document")
    assert response.getheader("Content-Disposition") == 'attachment; filename="nk-russia.docx"'
    styles = {p.style.name for p in Document(io.BytesIO(body)).paragraphs}
    assert "Key Judgment" in styles


def test_the_web_edition_with_links_to_the_other_formats(server):
    response, body = server.request("/b/nk-russia")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Content-Disposition") == 'inline; filename="nk-russia.html"'
    assert body == (server.project / "out" / "nk-russia.html").read_bytes()
    assert server.request("/b/nk-russia.html")[1] == body
    page = html.fromstring(body)
    links = {a.text_content(): a.get("href") for a in page.find(".//header").iter("a")}
    assert links == {"PDF": "nk-russia.pdf", "Word (DOCX)": "nk-russia.docx"}
    for href in links.values():  # relative to /b/: the files the server has
        assert server.request(f"/b/{href}")[0].status == 200
    etag = response.getheader("ETag")
    again, nothing = server.request("/b/nk-russia", **{"If-None-Match": etag})
    assert again.status == 304 and nothing == b""
    index = html.fromstring(server.request("/")[1])
    (title,) = [a for a in index.iter("a") if a.text_content() == "The North Korea–Russia Alliance"]
    assert title.get("href") == "/b/nk-russia"


@pytest.mark.slow
def test_axe_finds_no_violation_on_the_index_or_a_served_edition(server, browser):
    from browser import axe_violations

    base = f"http://127.0.0.1:{server.port}"
    assert axe_violations(browser, f"{base}/") == []
    assert axe_violations(browser, f"{base}/b/nk-russia") == []


def test_head_gives_the_headers_of_get_without_a_body(server):
    get, body = server.request("/b/nk-russia.pdf")
    head, nothing = server.request("/b/nk-russia.pdf", "HEAD")
    assert head.status == 200 and nothing == b""
    for name in ("Content-Type", "Content-Length", "ETag", "Last-Modified",
                 "Content-Disposition"):
        assert head.getheader(name) == get.getheader(name), name


def test_conditional_requests_answer_304(server):
    response, _ = server.request("/b/nk-russia.pdf")
    etag, modified = response.getheader("ETag"), response.getheader("Last-Modified")
    again, body = server.request("/b/nk-russia.pdf", **{"If-None-Match": etag})
    assert again.status == 304 and body == b"" and again.getheader("ETag") == etag
    listed, _ = server.request("/b/nk-russia.pdf", **{"If-None-Match": f'"other", {etag}'})
    assert listed.status == 304
    other, body = server.request("/b/nk-russia.pdf", **{"If-None-Match": '"other"'})
    assert other.status == 200 and body
    since, _ = server.request("/b/nk-russia.pdf", **{"If-Modified-Since": modified})
    assert since.status == 304
    docx, _ = server.request("/b/nk-russia.docx", **{"If-None-Match": etag})
    assert docx.status == 200  # each format has its own input digest


def test_findings_as_html_and_json(server):
    response, body = server.request("/b/nk-russia/findings")
    assert response.status == 200
    assert "The North Korea–Russia Alliance" in body.decode()
    response, body = server.request("/b/nk-russia/findings", Accept="application/json")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/json"
    data = json.loads(body)
    assert data["id"] == "nk-russia" and data["valid"] is True
    assert all(f["severity"] == "warning" for f in data["findings"])


def test_healthz_metrics_and_methods(server):
    response, body = server.request("/healthz")
    assert (response.status, body) == (200, b"ok\n")
    server.request("/b/nk-russia.pdf")
    response, body = server.request("/metrics")
    text = body.decode()
    assert response.getheader("Content-Type").startswith("text/plain; version=0.0.4")
    assert re.search(r'^briefing_requests_total\{route="pdf",status="200"\} [1-9]', text, re.M)
    assert re.search(r'^briefing_builds_total\{brief="nk-russia",result="(built|up to date)"\} 1$',
                     text, re.M)  # one build, when the server started; none since
    assert re.search(r'^briefing_build_seconds_count\{brief="nk-russia"\} 1$', text, re.M)
    assert re.search(r"^briefing_cache_hits_total [1-9]", text, re.M)
    response, _ = server.request("/b/nk-russia.pdf", "POST")
    assert response.status == 405 and response.getheader("Allow") == "GET, HEAD"
    response, _ = server.request("/b/nk-russia.pdf", "DELETE")
    assert response.status == 405


@pytest.mark.parametrize("path", [
    "/b/nope.pdf", "/b/NK-RUSSIA.pdf", "/b/nk-russia.yaml", "/b/nope", "/b/nk-russia/", "/b/", "/b",
    "/b/../../etc/passwd", "/b/..%2f..%2fetc%2fpasswd", "/b/%2e%2e/%2e%2e/etc/passwd",
    "/b/%2e%2e%2f%2e%2e%2fetc%2fpasswd.pdf", "/b/..%252f..%252fetc%252fpasswd.pdf",
    "/b/nk-russia.pdf/../../../etc/passwd", "/b/nk-russia/../../content/nk-russia/brief.yaml",
    "/content/nk-russia/brief.yaml", "//etc/passwd", "/b/..%00.pdf", "/out/", "/b/.briefing",
    "/b/%2Fetc%2Fpasswd.pdf", "/b/....//....//etc/passwd.pdf"
])
def test_unknown_ids_and_traversal_attempts_are_404(server, path):
    response, body = server.request(path)
    assert response.status == 404, path
    assert body.startswith(b"404 not found") and b"root:" not in body
    assert response.getheader("Content-Type") == "text/plain; charset=utf-8"


def test_an_encoded_but_known_route_is_that_route(server):
    assert server.request("/b/nk-russia%2Epdf")[0].status == 200


def test_every_request_is_in_the_access_log_in_common_format(server):
    server.request("/healthz")
    _wait_for(lambda: "GET /healthz" in server.log.read_text(), lambda: server.log.read_text())
    lines = [line for line in server.log.read_text().splitlines() if line]
    assert lines and all(COMMON_LOG.match(line) for line in lines), lines


def test_parallel_requests_during_an_edit_share_one_build(project):
    server = Server(project)
    try:
        _, body = server.request("/b/nk-russia.pdf")
        built = server.metric("briefing_builds_total", result="built")
        runs = server.metric("briefing_builds_total")
        _replace(project / "content" / "nk-russia" / "brief.yaml", TITLE,
                 "title: The Pyongyang–Moscow Axis")
        barrier = threading.Barrier(12)
        answers: list = []

        def fetch() -> None:
            barrier.wait()
            response, body = server.request("/b/nk-russia.pdf")
            answers.append((response.status, response.getheader("ETag"), _title(body)))

        threads = [threading.Thread(target=fetch) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        assert len(answers) == 12
        assert {status for status, _, _ in answers} == {200}
        assert {title for _, _, title in answers} == {"The Pyongyang–Moscow Axis"}
        assert len({etag for _, etag, _ in answers}) == 1
        assert server.metric("briefing_builds_total", result="built") == built + 1
        assert server.metric("briefing_builds_total") == runs + 1  # no other build ran

        # A stat that moves without a change: checked (digest), nothing rendered.
        brief = project / "content" / "nk-russia" / "brief.yaml"
        os.utime(brief, ns=(time.time_ns(), time.time_ns() + 10**9))
        response, _ = server.request("/b/nk-russia.pdf")
        assert response.getheader("ETag") == answers[0][1]
        assert server.metric("briefing_builds_total", result="built") == built + 1
        assert server.metric("briefing_builds_total", result="up to date") >= 1
    finally:
        assert server.stop(signal.SIGINT) == 0, server.output()


def test_invalid_content_is_422_with_findings_and_stale_ok_serves_the_last_good(project):
    server = Server(project)
    try:
        good, good_body = server.request("/b/nk-russia.pdf")
        judgments = project / "content" / "nk-russia" / "judgments.yaml"
        line = judgments.read_text("utf-8").splitlines().index(next(
            x for x in judgments.read_text("utf-8").splitlines() if "confidence: high" in x)) + 1
        _replace(judgments, "confidence: high", "confidnce: high")

        response, body = server.request("/b/nk-russia.pdf")
        page = body.decode()
        assert response.status == 422
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"
        assert f"nk-russia/judgments.yaml:{line}:" in page
        assert "confidnce" in page and "error" in page

        response, body = server.request("/b/nk-russia.pdf?stale=ok")
        assert response.status == 200
        assert response.getheader("X-Briefing-Stale").startswith("invalid")
        assert response.getheader("ETag") == good.getheader("ETag")
        assert body == good_body

        response, body = server.request("/b/nk-russia/findings", Accept="application/json")
        data = json.loads(body)
        assert data["valid"] is False and data["status"] == "invalid"
        assert any(f["line"] == line and "confidnce" in f["message"] for f in data["findings"])
        assert "invalid" in server.request("/")[1].decode()

        _replace(judgments, "confidnce: high", "confidence: high")
        response, body = server.request("/b/nk-russia.pdf")
        assert response.status == 200 and response.getheader("X-Briefing-Stale") is None
        assert body == good_body  # the same inputs build the same bytes
    finally:
        assert server.stop() == 0, server.output()


def test_an_unexpected_build_failure_is_500_and_the_server_serves_on(project):
    server = Server(project)
    state = project / "out" / ".briefing"
    try:
        assert server.request("/b/nk-russia.pdf")[0].status == 200
        shutil.rmtree(state)
        state.write_text("not a folder")  # the build cannot take its lock
        _replace(project / "content" / "nk-russia" / "brief.yaml", TITLE,
                 "title: The Pyongyang–Moscow Axis")
        response, body = server.request("/b/nk-russia.pdf")
        assert response.status == 500
        assert body.decode().startswith("500 the build of 'nk-russia' failed: cannot write")
        assert body.count(b"\n") == 1
        _wait_for(lambda: "briefing.serve: ERROR: nk-russia: cannot write" in server.output(),
                  server.output)  # logged beside the access log
        assert server.request("/healthz")[0].status == 200
        assert server.request("/")[0].status == 200
        state.unlink()
        response, body = server.request("/b/nk-russia.pdf")
        assert response.status == 200 and _title(body) == "The Pyongyang–Moscow Axis"
    finally:
        assert server.stop() == 0, server.output()
    assert "Traceback" not in server.output()


def test_max_marking_refuses_briefs_marked_above_it(project):
    amber = project / "content" / "nk-amber"
    shutil.copytree(project / "content" / "nk-russia", amber)
    _replace(amber / "brief.yaml", "id: nk-russia", "id: nk-amber")
    _replace(amber / "brief.yaml", "marking: TLP:CLEAR", "marking: TLP:AMBER")
    server = Server(project, "--max-marking", "TLP:GREEN")
    try:
        assert server.request("/b/nk-russia.pdf")[0].status == 200
        for path in ("/b/nk-amber.pdf", "/b/nk-amber.docx", "/b/nk-amber/findings",
                     "/b/nk-amber", "/b/nk-amber.html"):
            response, body = server.request(path)
            assert response.status == 403, path
            assert body == b"403 forbidden: 'nk-amber' is marked above TLP:GREEN\n"
        index = server.request("/")[1].decode()
        assert "nk-russia" in index and "nk-amber" not in index
    finally:
        assert server.stop() == 0, server.output()


def test_an_unknown_ceiling_or_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["serve", str(tmp_path), "--max-marking", "TLP:PINK"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("briefing: error: unknown marking 'TLP:PINK'; use one of TLP:CLEAR")
    assert main(["serve", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err.endswith("nowhere does not exist\n")


def test_only_loopback_counts_as_this_machine():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_sigterm_finishes_the_request_in_flight_and_leaves_no_process(project):
    server = Server(project)
    server.request("/b/nk-russia.pdf")
    children = server.children()
    assert children, "the build worker"
    _replace(project / "content" / "nk-russia" / "brief.yaml", TITLE,
             "title: The Pyongyang–Moscow Axis")
    answers: list = []
    started = threading.Event()

    def fetch() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        conn.request("GET", "/b/nk-russia.pdf")
        started.set()
        response = conn.getresponse()
        answers.append((response.status, response.read()))

    client = threading.Thread(target=fetch)
    client.start()
    _wait_for(lambda: started.is_set() and (
        server.metric("briefing_builds_in_progress") or answers), lambda: "the build")
    code = server.stop(signal.SIGTERM)
    client.join(timeout=120)
    assert code == 0, server.output()
    assert server.lines[-1].strip() == "stopped serving"
    assert "Traceback" not in server.output()
    assert len(answers) == 1  # a whole answer, not a reset connection
    status, body = answers[0]
    assert status in (200, 503)
    if status == 200:
        assert _title(body) == "The Pyongyang–Moscow Axis"
    _wait_for(lambda: not any(running(pid) for pid in children),
              lambda: f"children {children} to end")


@pytest.mark.parametrize(("ceiling", "level", "scheme", "controls", "allowed"), [
    ("TLP:GREEN", "TLP:CLEAR", "", "", True),
    ("TLP:GREEN", "TLP:GREEN", "", "", True),
    ("TLP:GREEN", "TLP:AMBER", "", "", False),
    ("TLP:AMBER", "TLP:AMBER+STRICT", "", "", False),
    ("tlp:red", "TLP:AMBER+STRICT", "", "", True),
    ("SECRET", "CONFIDENTIAL", "us", "", True),
    ("SECRET", "TOP SECRET", "us", "", False),
    ("SECRET", "SECRET", "us", "NOFORN", False),  # a level cannot clear a control
    ("OFFICIAL", "OFFICIAL-SENSITIVE", "uk", "", False),
    ("OFFICIAL-SENSITIVE", "OFFICIAL", "uk", "", True),
    ("SECRET", "TLP:CLEAR", "", "", False),  # two kinds of marking: not comparable
    ("TLP:RED", "UNCLASSIFIED", "us", "", False),
    ("SECRET", "INTERNAL", "", "", False),  # a brief's own list of levels
    ("SECRET", "", "us", "", False),  # a brief that could not be read
])
def test_a_ceiling_lets_out_only_markings_it_can_compare_and_that_are_not_above_it(
        ceiling, level, scheme, controls, allowed):
    from briefing.serve.ceiling import Ceiling

    assert Ceiling.parse(ceiling).allows(level, scheme, controls) is allowed


def test_an_edit_made_while_a_build_runs_is_built_by_the_next_request(built_project, tmp_path):
    from briefing.serve.builder import build_for_serve
    from briefing.serve.library import Library

    project = tmp_path / "p"
    shutil.copytree(built_project, project)
    brief = project / "content" / "nk-russia" / "brief.yaml"
    library = Library(project / "content", project / "out", formats=("pdf",))
    edits = iter(["title: The Pyongyang–Moscow Axis", "title: An Alliance of Convenience"])

    def build_then_edit(*args):
        built = build_for_serve(*args)  # has read the files: an edit now comes too late
        title = next(edits, None)
        if title:
            current = next(line for line in brief.read_text("utf-8").splitlines()
                           if line.startswith("title: "))
            _replace(brief, current, title)
        return built

    library.workers.run = build_then_edit
    try:
        library.scan(force=True)  # the first build; the first edit lands during it
        entry = library.find("nk-russia")
        assert not entry.fresh()
        built = library.current(entry, "pdf")  # builds the first edit; the second lands
        assert _title(built.outputs["pdf"].data) == "The Pyongyang–Moscow Axis"
        assert not entry.fresh()
        built = library.current(entry, "pdf")
        assert _title(built.outputs["pdf"].data) == "An Alliance of Convenience"
        assert entry.fresh() and library.current(entry, "pdf") is built
    finally:
        library.close()


def test_stale_ok_never_hands_out_a_last_good_build_marked_above_the_ceiling(project):
    brief = project / "content" / "nk-russia" / "brief.yaml"
    _replace(brief, "marking: TLP:CLEAR", "marking: TLP:RED")
    server = Server(project, "--max-marking", "TLP:GREEN")
    try:
        assert server.request("/b/nk-russia.pdf")[0].status == 403
        # Lowered to CLEAR but invalid: the last good build is still the RED one.
        # (A brief that cannot be read at all has no marking we know of: refused too.)
        _replace(brief, "marking: TLP:RED", "marking: TLP:CLEAR")
        _replace(brief, "cutoff: 2026-11-23", "cutoff: 2026-12-30")  # after the brief's date
        response, body = server.request("/b/nk-russia.pdf")
        assert response.status == 422 and b"cut-off" in body
        response, body = server.request("/b/nk-russia.pdf?stale=ok")
        assert response.status == 403 and b"last good build" in body
    finally:
        assert server.stop() == 0, server.output()


def test_another_host_than_loopback_is_warned_about(project):
    # 192.0.2.1 (TEST-NET-1) is no address of this machine: the server warns, then
    # cannot listen, so nothing ever listens beyond loopback in this test.
    run = subprocess.run([sys.executable, "-m", "briefing", "serve", "content", "--host",
                          "192.0.2.1", "--port", "0"], cwd=project, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 1
    assert run.stderr.startswith("briefing: warning: listening on 192.0.2.1, not on this "
                                 "machine only: anyone who can reach it can read every brief")
    assert "briefing: error: cannot listen on 192.0.2.1:0: " in run.stderr
    assert "Traceback" not in run.stderr
