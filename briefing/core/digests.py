"""Digests of files and of briefing's own code: what the cache's keys and a build's
input digest are made of.

A large file's digest (a font, a reference document) is kept in the disk cache,
keyed by what `stat` says of it, as git's index keeps a file's hash; briefing's own
files are listed and hashed once a process.
"""

from __future__ import annotations

import hashlib
import time
from functools import cache as once
from functools import lru_cache
from pathlib import Path

from . import cache

PACKAGE = Path(__file__).parents[1]

# Files this large (fonts, reference documents) keep their digest in the disk cache.
REMEMBERED_SIZE = 256 * 1024
# A file changed this recently may change again within its timestamp's resolution.
SETTLED_SECONDS = 2.0


@lru_cache(maxsize=512)
def _file_digest(path: Path, size: int, mtime: int, ctime: int, inode: int) -> bytes:
    """sha256 of the file; a large, settled file's is kept in the disk cache, keyed by
    where it is and what `stat` says of it (as git's index keeps a file's hash)."""
    remembered = size >= REMEMBERED_SIZE and time.time_ns() - mtime > SETTLED_SECONDS * 1e9
    if remembered:
        name = cache.key("file-digest", str(path.resolve()), str(size), str(mtime),
                         str(ctime), str(inode))
        stored = cache.get("file-digest", name)
        if stored is not None and len(stored) == hashlib.sha256().digest_size:
            return stored
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    if remembered:
        cache.put("file-digest", name, digest.digest())
    return digest.digest()


def file_digest(path: Path) -> bytes:
    """sha256 of a file's bytes, cached while its size and mtime stay the same."""
    stat = path.stat()
    return _file_digest(path, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".typ")
                  and "__pycache__" not in p.parts)


@once
def package_digests() -> tuple[tuple[Path, bytes], ...]:
    """Each file of briefing's own code with its digest, read once a process: the
    code this process runs (a build digests it three times, watch at every change)."""
    return tuple((path, file_digest(path)) for path in _package_files())


def code_key(kind: str, *parts: str | bytes) -> str:
    """The key of a `kind` entry whose result briefing's code computed from `parts`:
    it covers that code (`code_digest`) too, so an entry made by other code is never
    used."""
    return cache.key(kind, code_digest(), *parts)


@once
def code_digest() -> str:
    """sha256 of briefing's own code: an entry made by other code is never used."""
    digest = hashlib.sha256()
    for _, data in package_digests():
        digest.update(data)
    return digest.hexdigest()
