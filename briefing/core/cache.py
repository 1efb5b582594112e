"""A cache on disk of work whose result is already known: parsed fonts, font summaries
(coverage and family name), font subsets, citation runs, compiled templates, the
digests of large files. It only saves time: every entry is keyed by everything its
result depends on (the input files' bytes, briefing's own code, the library's
version), so a hit gives exactly the bytes a fresh computation would.

Entries live in the user cache directory (platformdirs; `BRIEFING_CACHE_DIR`
overrides it), one file each, written to a temporary file and renamed, so builds
running at the same time never see half an entry. Each entry carries the sha256 of
its payload: a truncated or corrupt file is ignored (and rewritten by the next
build). `--no-cache` (or `BRIEFING_CACHE=off`) turns the cache off; failing to read
or write it is never an error.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MAGIC = b"briefing-cache 1\n"
_DIGEST = 32
SWITCH = "BRIEFING_CACHE"


@contextmanager
def disabled() -> Iterator[None]:
    """The cache off, for this process and the processes it starts (`--no-cache`)."""
    before = os.environ.get(SWITCH)
    os.environ[SWITCH] = "off"
    try:
        yield
    finally:
        if before is None:
            del os.environ[SWITCH]
        else:
            os.environ[SWITCH] = before


def folder() -> Path | None:
    """Where entries live, or None when the cache is off."""
    if os.environ.get(SWITCH, "").lower() in ("off", "0", "no"):
        return None
    if os.environ.get("BRIEFING_CACHE_DIR"):
        return Path(os.environ["BRIEFING_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("briefing", appauthor=False))


def key(*parts: str | bytes) -> str:
    """A hex key for the parts (each kept distinct from its neighbours)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _entry(kind: str, name: str) -> Path | None:
    root = folder()
    return None if root is None else root / kind / name[:2] / name


def get(kind: str, name: str) -> bytes | None:
    """The payload stored under `kind`/`name`, or None (absent, corrupt, cache off)."""
    path = _entry(kind, name)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST
    payload = data[head:]
    if data[:len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != data[len(MAGIC):head]:
        return None
    return payload


def put(kind: str, name: str, payload: bytes) -> None:
    """Store `payload` under `kind`/`name`, atomically; any failure is ignored."""
    path = _entry(kind, name)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{name[:16]}.", suffix=".tmp",
                                        dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
