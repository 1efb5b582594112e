"""The digest of a file's bytes, worked out once while the file stays the same.

Fonts, reference documents and citation styles key cached work by their bytes, and
a build digests its inputs: so every layer asks for file digests, and this sits at
the bottom with the disk cache it uses.
"""

from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from pathlib import Path

from briefing.core import cache

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
