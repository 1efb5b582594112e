"""The WSGI application: routes, conditional requests and status codes.

Routes: `/` (index), `/b/<id>` (the web edition, with links to the others),
`/b/<id>.pdf`, `/b/<id>.docx` and `/b/<id>.html` (latest build), `/b/<id>/findings`
(HTML, or JSON for `Accept: application/json`), `/healthz`, `/metrics`; with live
previews on, `/preview/<id>` (the web edition with its findings beside it) and
`/preview/<id>/events` (server-sent events: the preview changed). Nothing taken from
the URL becomes a path: an id leads somewhere only if a known brief has it.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Iterable
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.core.findings import has_errors
from briefing.render.registry import DISPOSITIONS, FORMATS, MEDIA_TYPES

from . import pages
from .builder import Built, Output
from .ceiling import Ceiling
from .library import Busy, Entry, Library
from .metrics import Metrics

if TYPE_CHECKING:
    from .live import Live, Stream

log = logging.getLogger("briefing.serve")

BRIEF_ID = r"/b/([a-z0-9][a-z0-9._-]{0,199})"  # a brief's id, as a URL's path names it
DOCUMENT = re.compile(BRIEF_ID + r"\.(" + "|".join(FORMATS) + ")")
FINDINGS = re.compile(BRIEF_ID + "/findings")
EDITION = re.compile(BRIEF_ID)
PREVIEW = re.compile("/preview/" + BRIEF_ID.removeprefix("/b/"))
EVENTS = re.compile(PREVIEW.pattern + "/events")
WEB = "html"  # the format `/b/<id>` answers with

Headers = list[tuple[str, str]]
StartResponse = Callable[..., object]


class Response:
    """A status, headers and a body; `head` drops the body but keeps its length. A
    `stream` is sent as it comes (no length), instead of the body."""

    def __init__(self, status: int, body: bytes = b"", content_type: str = "text/plain; "
                 "charset=utf-8", headers: Headers | None = None,
                 stream: Stream | None = None):
        self.status, self.body, self.stream = status, body, stream
        self.headers = [("Content-Type", content_type), *(headers or [])]

    @classmethod
    def text(cls, status: int, line: str, headers: Headers | None = None) -> Response:
        return cls(status, (line.rstrip("\n") + "\n").encode(), headers=headers)


class BriefingApp:
    """Serves every brief of a `Library`; a standard WSGI callable."""

    def __init__(self, library: Library, ceiling: Ceiling | None = None):
        self.library, self.ceiling = library, ceiling
        self.metrics: Metrics = library.metrics
        self.live: Live | None = None  # live previews, when `preview()` turned them on
        self.editor = ""  # the editor URL template of the previews' links

    def preview(self, editor: str) -> None:
        """Turn live previews on (the watcher starts now), linking to `editor` URLs."""
        from .live import Live

        self.editor = editor
        self.live = Live(self.library, self._live_tag)
        self.live.start()

    def close(self) -> None:
        """End the previews' streams and watcher, then the build workers."""
        if self.live is not None:
            self.live.close()
        self.library.close()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "") or "/"
        route = "other"
        try:
            if method not in ("GET", "HEAD"):
                response = Response.text(405, "405 method not allowed: use GET or HEAD",
                                         [("Allow", "GET, HEAD")])
            else:
                route, response = self.route(path, environ)
        except Busy as exc:
            response = Response.text(503, f"503 service unavailable: {exc}",
                                     [("Retry-After", "5")])
        except Exception:  # noqa: BLE001 - one line to the client, the traceback to the log
            log.exception("internal error answering %s %s", method, path)
            response = Response.text(500, "500 internal error; see the server log")
        self.metrics.request(route, response.status)
        headers = [*response.headers, ("X-Content-Type-Options", "nosniff")]
        if response.status != 304 and response.stream is None:
            headers.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {HTTPStatus(response.status).phrase}", headers)
        if method == "HEAD":
            if response.stream is not None:
                response.stream.close()
            return [b""]
        return response.stream if response.stream is not None else [response.body]

    def route(self, path: str, environ: dict) -> tuple[str, Response]:
        if path == "/":
            self.library.scan()
            allowed = [e for e in self.library.entries() if self._allowed(e)]
            return "index", Response(200, pages.index(allowed, self.library.formats,
                                                      self.live is not None),
                                     "text/html; charset=utf-8")
        if path == "/healthz":
            return "healthz", Response.text(200, "ok")
        if path == "/metrics":
            return "metrics", Response(200, self.metrics.text().encode(),
                                       "text/plain; version=0.0.4; charset=utf-8")
        if match := DOCUMENT.fullmatch(path):
            brief_id, fmt = match.groups()
            return fmt, self.document(brief_id, fmt, environ)
        if match := FINDINGS.fullmatch(path):
            return "findings", self.findings(match.group(1), environ)
        if match := EDITION.fullmatch(path):
            return WEB, self.document(match.group(1), WEB, environ)
        if self.live is not None and (match := PREVIEW.fullmatch(path)):
            return "preview", self.preview_page(match.group(1), environ)
        if self.live is not None and (match := EVENTS.fullmatch(path)):
            return "events", self.events(match.group(1))
        return "other", Response.text(404, "404 not found")

    def _entry(self, brief_id: str, fmt: str | None = None
               ) -> tuple[Entry | None, Response | None]:
        entry = self.library.find(brief_id)
        if entry is None:
            return None, Response.text(404, f"404 not found: no brief '{brief_id}'")
        self.library.current(entry, fmt)
        if not self._allowed(entry):
            return None, Response.text(403, f"403 forbidden: '{brief_id}' is marked above "
                                       f"{self.ceiling.label if self.ceiling else ''}")
        return entry, None

    def _allowed(self, entry: Entry) -> bool:
        if self.ceiling is None:
            return True
        header = entry.built.header if entry.built else {}
        return self.ceiling.allows(header.get("level"), header.get("scheme"),
                                   header.get("controls"))

    def document(self, brief_id: str, fmt: str, environ: dict) -> Response:
        entry, refusal = self._entry(brief_id, fmt)
        if entry is None:
            return refusal
        built = entry.built
        stale = not built.ok
        output = built.outputs.get(fmt)
        if stale and not (_query_flag(environ, "stale") == "ok" and output):
            if built.findings and (built.status == "invalid" or has_errors(built.findings)):
                return Response(422, pages.findings(entry), "text/html; charset=utf-8")
            log.error("%s: %s", brief_id, built.message.splitlines()[0] if built.message
                      else built.status)
            return Response.text(500, f"500 the build of '{brief_id}' failed: "
                                 f"{_one_line(built.message) or built.status}")
        if output is None:
            return Response.text(500, f"500 the build of '{brief_id}' left no {fmt}")
        if stale and self.ceiling and not (output.marking and self.ceiling.allows(
                *output.marking)):  # the last good build may have had another marking
            return Response.text(403, f"403 forbidden: the last good build of '{brief_id}' "
                                 f"is not known to be marked at most {self.ceiling.label}")
        headers = _validators(output, f"{brief_id}.{fmt}", fmt)
        if stale:
            headers += [("X-Briefing-Stale", f"{built.status}: serving the last good build"),
                        ("Warning", '110 - "Response is Stale"')]
        if _not_modified(environ, output.digest[:32], output.mtime):
            return Response(304, b"", MEDIA_TYPES[fmt], headers)
        return Response(200, output.data, MEDIA_TYPES[fmt], headers)

    def findings(self, brief_id: str, environ: dict) -> Response:
        entry, refusal = self._entry(brief_id)
        if entry is None:
            return refusal
        built = entry.built
        if "application/json" in environ.get("HTTP_ACCEPT", ""):
            data = {"id": entry.brief_id, "status": built.status, "valid": built.ok,
                    "message": _one_line(built.message),
                    "findings": [f.to_dict() for f in built.findings]}
            return Response(200, json.dumps(data, ensure_ascii=False, indent=2).encode(),
                            "application/json", [("Vary", "Accept")])
        return Response(200, pages.findings(entry), "text/html; charset=utf-8",
                        [("Vary", "Accept")])


    def preview_page(self, brief_id: str, environ: dict) -> Response:
        """The live preview: the web edition (the last good one while the content does
        not build) with the findings on top and beside their paragraphs."""
        from .preview import POLICY, page

        entry, refusal = self._entry(brief_id, WEB)
        if entry is None:
            return refusal
        built, output, tag = self._shown(entry)
        headers = [("ETag", f'"{tag}"'), ("Cache-Control", "no-cache"),
                   ("Content-Security-Policy", POLICY)]
        if _not_modified(environ, tag, None):
            return Response(304, b"", "text/html; charset=utf-8", headers)
        return Response(200, page(built, output, self.editor, entry.brief_id),
                        "text/html; charset=utf-8", headers)

    def events(self, brief_id: str) -> Response:
        """Server-sent events for a preview page: a `preview` event with the tag of
        what the page should show, now and after every change."""
        entry, refusal = self._entry(brief_id, WEB)
        if entry is None:
            return refusal
        return Response(200, content_type="text/event-stream; charset=utf-8",
                        headers=[("Cache-Control", "no-cache")],
                        stream=self.live.stream(entry))

    def _shown(self, entry: Entry) -> tuple[Built, Output | None, str]:
        """What the preview of `entry` shows of its latest build, and that as a tag: the
        web edition (the last good one, unless it may be marked above the ceiling)."""
        from .preview import preview_tag

        built = entry.built
        output = built.outputs.get(WEB)
        if output and not built.ok and self.ceiling and not (
                output.marking and self.ceiling.allows(*output.marking)):
            output = None
        return built, output, preview_tag(built, output, self.editor)

    def _live_tag(self, entry: Entry) -> str:
        self.library.current(entry, WEB)
        return self._shown(entry)[2]


def _validators(output: Output, filename: str, fmt: str) -> Headers:
    return [("ETag", f'"{output.digest[:32]}"'),
            ("Last-Modified", formatdate(output.mtime, usegmt=True)),
            ("Cache-Control", "no-cache"),
            ("Content-Disposition", f'{DISPOSITIONS[fmt]}; filename="{filename}"')]


def _not_modified(environ: dict, etag: str, mtime: float | None) -> bool:
    """RFC 9110 §13.1: If-None-Match wins; else If-Modified-Since (when there is a
    modification time)."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or f'"{etag}"' in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since and mtime is not None:
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def _query_flag(environ: dict, name: str) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(environ.get("QUERY_STRING", "")).get(name)
    return values[0] if values else None


def _one_line(message: str) -> str:
    return message.splitlines()[0] if message else ""


def create_app(content: str | Path | None = None, out_dir: str | Path | None = None,
               max_marking: str | None = None) -> BriefingApp:
    """A WSGI app over every brief under `content` (for gunicorn, uvicorn --interface wsgi).

    What is not given comes from BRIEFING_CONTENT (default content), BRIEFING_OUT_DIR
    (default out) and BRIEFING_MAX_MARKING, so `gunicorn 'briefing.serve:create_app()'`
    needs no code. Every brief is built (if out of date) before the app is returned.
    """
    content = Path(content or os.environ.get("BRIEFING_CONTENT") or "content")
    out_dir = Path(out_dir or os.environ.get("BRIEFING_OUT_DIR") or "out")
    max_marking = max_marking or os.environ.get("BRIEFING_MAX_MARKING")
    ceiling = Ceiling.parse(max_marking) if max_marking else None
    library = Library(content, out_dir, formats=FORMATS)
    library.scan(force=True)
    return BriefingApp(library, ceiling)
