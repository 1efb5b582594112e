"""`briefing serve`: the app under waitress, an access log, and a clean stop.

waitress is a production WSGI server in pure Python (no compiler, no C extension to
build), with request timeouts and size limits of its own. SIGTERM and SIGINT stop
accepting connections, let requests in flight finish, end the build workers and exit
0, all within two seconds.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

from .app import BriefingApp, create_app

GRACE = 1.0  # seconds for requests in flight to finish after a stop signal
FLUSH = 0.4  # then seconds to answer those still waiting for a build, and to send it

LIMITS = dict(
    threads=8,                      # requests answered at once (builds wait in workers)
    connection_limit=200,           # open connections
    channel_timeout=30,             # seconds an idle or stalled connection is kept
    max_request_header_size=16384,  # bytes of request line and headers
    max_request_body_size=4096,     # GET and HEAD only: no body is needed
    cleanup_interval=10,
    send_bytes=1 << 18,             # write a whole PDF in few calls of the I/O loop
    ident="briefing",
)


class AccessLog:
    """WSGI middleware writing one line per request in the Common Log Format."""

    def __init__(self, app: Callable, stream: TextIO):
        self.app, self.stream = app, stream
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        seen: dict[str, str] = {}

        def record(status: str, headers: list[tuple[str, str]], *exc: object) -> object:
            seen["status"] = status.split()[0]
            seen["size"] = dict((k.lower(), v) for k, v in headers).get("content-length", "-")
            return start_response(status, headers, *exc)

        body = self.app(environ, record)
        size = "0" if environ.get("REQUEST_METHOD") == "HEAD" else seen.get("size", "-")
        request = (f"{environ.get('REQUEST_METHOD', '-')} "
                   f"{environ.get('REQUEST_URI') or environ.get('PATH_INFO', '')} "
                   f"{environ.get('SERVER_PROTOCOL', 'HTTP/1.0')}")
        when = time.strftime("%d/%b/%Y:%H:%M:%S %z")
        line = (f"{environ.get('REMOTE_ADDR', '-')} - - [{when}] "
                f'"{_printable(request)}" {seen.get("status", "-")} {size}\n')
        with self._lock:
            self.stream.write(line)
            self.stream.flush()
        return body


def _printable(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii").replace('"', '\\"')


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(content: Path, host: str = "127.0.0.1", port: int = 8000, out_dir: Path = Path("out"),
          max_marking: str | None = None, stream: TextIO | None = None,
          log: TextIO | None = None, editor: str | None = None,
          open_browser: bool = False) -> int:
    """Serve every brief under `content` until SIGTERM or SIGINT; returns the exit code.

    With `editor` (an editor URL template), live previews are on: `/preview/<id>`
    redraws itself on every save. `open_browser` opens the first preview (or the
    index) in the user's browser once the server listens."""
    stream, log = stream or sys.stdout, log or sys.stderr
    if not is_loopback(host):
        print(f"briefing: warning: listening on {host}, not on this machine only: anyone who "
              "can reach it can read every brief; put an authenticating reverse proxy in "
              "front (see docs/serving.md)", file=log, flush=True)
    _log_to(log)
    app = create_app(content, out_dir, max_marking)
    connections: dict = {}
    limits = dict(LIMITS)
    try:
        if editor is not None:
            app.preview(editor)
            # A preview's events are a few bytes each and must leave at once: waitress
            # holds back smaller writes than send_bytes while the response runs.
            del limits["send_bytes"]
        server = create_server(AccessLog(app, log), map=connections, host=host, port=port,
                               **limits)
    except BaseException:
        app.close()
        raise
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for listen_host, listen_port in _addresses(server):
            print(f"serving {len(app.library.entries())} brief(s) from "
                  f"{content} at http://{listen_host}:{listen_port}/ (Ctrl-C to stop)",
                  file=stream, flush=True)
        pages = _previews(app, server)
        for url in pages:
            print(f"live preview: {url}", file=stream, flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(pages[0] if pages else _url(server))
        while not stop.is_set():
            wasyncore.loop(timeout=0.1, map=connections, use_poll=True, count=1)
        _stop(server, app, connections)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("stopped serving", file=stream, flush=True)
    return 0


def _log_to(stream: TextIO) -> None:
    """Failures and waitress's warnings go to `stream` beside the access log, stamped."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(levelname)s: %(message)s"))
    for name in ("briefing.serve", "waitress"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def _addresses(server) -> list[tuple[str, int]]:
    listen = getattr(server, "effective_listen", None)
    if listen:
        return [(f"[{h}]" if ":" in str(h) else h, p) for h, p in listen]
    return [(server.effective_host, server.effective_port)]


def _url(server) -> str:
    listen_host, listen_port = _addresses(server)[0]
    return f"http://{listen_host}:{listen_port}/"


def _previews(app: BriefingApp, server) -> list[str]:
    """The URL of each brief's live preview (none when previews are off)."""
    if app.live is None:
        return []
    return [f"{_url(server)}preview/{entry.brief_id}" for entry in app.library.entries()]


def _stop(server, app: BriefingApp, connections: dict) -> None:
    """Stop accepting; end the previews' streams; let requests in flight finish; end
    builds; close everything."""
    # Connections the kernel accepted before the signal are in flight for their clients:
    # take them and read their requests before the listening socket closes.
    wasyncore.loop(timeout=0.05, map=connections, use_poll=True, count=3)
    for dispatcher in list(connections.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            wasyncore.dispatcher.close(dispatcher)  # the listening socket only
    if app.live is not None:
        app.live.close()  # a stream ends its request
    _drain(connections, GRACE)
    app.close()  # requests still waiting for a build now get 503
    _drain(connections, FLUSH)
    wasyncore.close_all(connections)
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=0.3)


def _drain(connections: dict, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(
            isinstance(c, HTTPChannel) and (c.requests or c.total_outbufs_len)
            for c in list(connections.values())):
        wasyncore.loop(timeout=0.05, map=connections, use_poll=True, count=1)
