"""Live previews: a file watcher over what the briefs depend on, and for each open
preview page a stream of server-sent events that says when its preview changed.

Nothing polls. A change that can alter a brief someone is previewing rebuilds it (the
library's single flight: a page's own request waits for the same build), and if what
the page would show changed, every stream of that brief sends the new tag; the page
then fetches itself again. A stream that has nothing to say sends a comment now and
then, which is also how a closed page is noticed.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

from briefing.build.changes import file_watcher, relevant
from briefing.build.inputs import watched_folders

from .library import Busy, Entry, Library

log = logging.getLogger("briefing.serve")

DEBOUNCE_MS = 100  # a save's burst of events (write, rename, chmod) becomes one change
KEEP_ALIVE = 15.0  # seconds between two comments on a stream with nothing to say
RETRY_MS = 1000  # how soon a browser reconnects a stream that broke
MAX_STREAMS = 4  # pages open at once: each holds one of the server's 8 threads


def event(tag: str) -> bytes:
    """The server-sent event that tells a page what it should now show."""
    return f"event: preview\ndata: {tag}\n\n".encode()


class Live:
    """The watcher thread and the streams of every open preview page.

    `tag(entry)` brings the brief up to date (building it if an input moved) and says
    what its preview page shows now."""

    def __init__(self, library: Library, tag: Callable[[Entry], str]):
        self.library, self.tag = library, tag
        self._changed = threading.Condition()
        self._tags: dict[Path, str] = {}
        self._open: Counter[Path] = Counter()
        self._stop = threading.Event()
        self._live = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="briefing-live", daemon=True)

    def start(self) -> None:
        """Start watching; returns once the watcher sees changes."""
        self._thread.start()
        self._live.wait()

    def close(self) -> None:
        """End every stream and the watcher."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def stream(self, entry: Entry) -> Stream:
        """The events of one page of `entry`: its tag now, then each new one. Raises
        Busy when MAX_STREAMS pages are open already (each holds a server thread)."""
        key = entry.path.resolve()
        with self._changed:
            if sum(self._open.values()) >= MAX_STREAMS:
                raise Busy(f"{MAX_STREAMS} live previews are open already; close one")
            self._open[key] += 1
        return Stream(self, key, self._events(entry, key))

    def _events(self, entry: Entry, key: Path) -> Iterator[bytes]:
        last = self._refresh(entry)
        yield f"retry: {RETRY_MS}\n\n".encode() + event(last)
        while not self._stop.is_set():
            now = self._after(key, last)
            if self._stop.is_set():
                return
            if now != last:
                last = now
                yield event(now)
            else:
                yield b": still here\n\n"

    def _closed(self, key: Path) -> None:
        with self._changed:
            self._open[key] -= 1

    def _after(self, key: Path, last: str) -> str:
        """The brief's tag once it is not `last` (or after KEEP_ALIVE, or a stop)."""
        with self._changed:
            self._changed.wait_for(lambda: self._stop.is_set()
                                   or self._tags.get(key, last) != last, timeout=KEEP_ALIVE)
            return self._tags.get(key, last)

    def _refresh(self, entry: Entry) -> str:
        """The brief's tag now; streams of it hear of a new one."""
        tag = self.tag(entry)
        key = entry.path.resolve()
        with self._changed:
            if self._tags.get(key) != tag:
                self._tags[key] = tag
                self._changed.notify_all()
        return tag

    def _folders(self) -> list[Path]:
        root = self.library.root
        folders = {root.resolve()} if root.is_dir() else set()
        for entry in self.library.entries():
            folders.update(watched_folders(entry.path))
        return sorted(folders)

    def _watch(self) -> None:
        try:
            with file_watcher(self._folders()) as watcher:
                self._live.set()
                while not self._stop.is_set():
                    changes = watcher.watch(DEBOUNCE_MS, 50, 1000, self._stop)
                    if changes in ("stop", "signal"):
                        break
                    if changes != "timeout":
                        self._changes(changes)
        except Exception:  # noqa: BLE001 - pages keep what they show; the log says why
            log.exception("the live preview's file watcher stopped")
        finally:
            self._live.set()

    def _changes(self, changes: set[tuple[int, str]]) -> None:
        """Refresh every brief with an open page that the changes can alter."""
        with self._changed:
            watched = {key for key, count in self._open.items() if count > 0}
        for entry in self.library.entries():
            if entry.path.resolve() not in watched:
                continue
            if any(relevant(change, path, entry.path) for change, path in changes):
                try:
                    self._refresh(entry)
                except Busy:  # the server is stopping, or the build hangs: say nothing
                    pass


class Stream:
    """One page's events as a WSGI body: closing it (the server does, when the page
    goes, or at once for HEAD) ends them and frees its place."""

    def __init__(self, live: Live, key: Path, events: Iterator[bytes]):
        self.live, self.key, self.events = live, key, events
        self._open = True

    def __iter__(self) -> Iterator[bytes]:
        return self.events

    def close(self) -> None:
        if self._open:
            self._open = False
            self.events.close()
            self.live._closed(self.key)
