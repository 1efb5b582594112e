"""Confinement: every file a brief or a layout names stays inside an allowed root.

A brief may name archived sources, a layout (by path), and a layout may name
templates, a reference_docx, fonts and a CSL file. Each name goes through
`confine`, which resolves it — symlinks included — and refuses anything that
lands outside the brief's project (`project_root`: the folder holding
`briefing.toml`, else the nearest folder holding `content/`) or the installed
package, or that is not a regular file. Files are then read with `read_bounded`,
which never reads more than a limit. Neither ever prints or returns a refused
file's contents.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

#: The file that marks a project's top folder (its content is not read; empty is fine).
PROJECT_FILE = "briefing.toml"
#: Without one, the nearest folder holding this folder is the project.
CONTENT_FOLDER = "content"
PACKAGE = Path(__file__).resolve().parents[1]
#: The package, and the layouts of the project it was installed from (editable).
PACKAGE_ROOTS = (PACKAGE, PACKAGE.parent / "layouts")


class ConfinementError(Exception):
    """A named file is outside the allowed roots, missing, or not a regular file.

    The message names the file as written and why; never its contents."""


def project_root(start: Path) -> Path:
    """The project of a brief or layout at `start` (the one home of this rule): the
    nearest folder from `start` upwards that holds a `briefing.toml`; without one, the
    nearest that holds a `content/` folder; without either, `start` itself."""
    marked = project_file(start)
    if marked is not None:
        return _real(marked.parent)
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        try:
            if _holds_content(folder):
                return _real(folder)
        except OSError:
            break
    return _real(start)


def project_file(start: Path) -> Path | None:
    """The `briefing.toml` that makes a folder at or above `start` a project, if any."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        try:
            if _holds_project_file(folder):
                return folder / PROJECT_FILE
        except OSError:
            return None
    return None


def _holds_project_file(folder: Path) -> bool:
    return (folder / PROJECT_FILE).is_file()


def _holds_content(folder: Path) -> bool:
    return (folder / CONTENT_FOLDER).is_dir()


def project_rule(root: Path) -> str:
    """Why `root` is the project, and how to make another folder the project (for a
    message that refuses or misses a file because of where the project ends)."""
    if _holds_project_file(root):
        return f"it holds {PROJECT_FILE}; move that file to make another folder the project"
    how = f"a {PROJECT_FILE} in a folder makes that folder the project"
    if _holds_content(root):
        return f"the nearest folder holding {CONTENT_FOLDER}/; {how}"
    return f"no {PROJECT_FILE} or {CONTENT_FOLDER}/ folder above it; {how}"


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def allowed_roots(project: Path) -> tuple[Path, ...]:
    """The project and the package, as real paths."""
    return (_real(project), *(_real(p) for p in PACKAGE_ROOTS))


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def outside_project(root: Path) -> str:
    """The end of a refusal: "is outside the project (<root>: why it is the project …)"."""
    return (f"is outside the project ({_shown(str(root))}: {project_rule(root)}); a brief "
            "or layout may only name files inside its project or the briefing package")


def confine(name: str, base: Path, roots: Iterable[Path], what: str,
            label: str | None = None, outside: str | None = None) -> Path:
    """The real path of the file `name` (relative to `base`, as a brief or layout
    writes it), if it lies inside one of `roots` and is a regular file.

    Raises ConfinementError naming the file as `label` (default: `what 'name'`) and,
    for a file outside `roots`, saying `outside` (default: outside the project, the
    first of `roots`); FileNotFoundError when it does not exist (callers word "not
    found" their way).
    """
    label = label or f"{what} '{_shown(name)}'"
    if not name or "\x00" in name:
        raise ConfinementError(f"{label} is not a usable file name")
    written = Path(name)
    candidate = written if written.is_absolute() else base / written
    try:
        real = candidate.resolve(strict=True)
    except FileNotFoundError:
        raise
    except RuntimeError:  # a symlink loop
        raise ConfinementError(f"{label} is a symbolic link loop") from None
    except OSError as exc:
        raise ConfinementError(f"{label} cannot be opened ({exc.strerror or exc})") from None
    roots = tuple(roots)
    if not is_inside(real, roots):
        raise ConfinementError(f"{label} {outside or outside_project(roots[0])}")
    regular_file(real, label)
    return real


def unusable_link(path: Path) -> str | None:
    """"file is a symbolic link to 'x', which does not exist" (or "… loop") for a
    symbolic link that leads nowhere; None for anything else."""
    try:
        if not path.is_symlink():
            return None
        target = os.readlink(path)
    except OSError:
        return None
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "file is a symbolic link loop (it leads back to itself)"
    except FileNotFoundError:
        return (f"file is a symbolic link to '{_shown(target)}', which does not exist; "
                "restore the file or remove the link")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "file is a symbolic link loop (it leads back to itself)"
        return f"file is a symbolic link that cannot be followed ({exc.strerror or exc})"
    return None


def regular_file(path: Path, described: str) -> os.stat_result:
    """stat() of `path`, refusing folders, devices, FIFOs and sockets (never opens it)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ConfinementError(f"{described} cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ConfinementError(f"{described} is {kind_of(info.st_mode)}, not a regular file")
    return info


def read_bounded(path: Path, limit: int, described: str, limit_name: str) -> bytes:
    """The bytes of the regular file `path`, refusing one over `limit` bytes.

    Opens without blocking (a FIFO swapped in after the check cannot hang us) and
    reads at most `limit + 1` bytes (a file whose size stat() underreports, such as
    one in /proc, cannot make us read without end).
    """
    regular_file(path, described)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ConfinementError(f"{described} cannot be read ({exc.strerror or exc})") from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ConfinementError(f"{described} is not a regular file")
        size = os.fstat(stream.fileno()).st_size
        if size > limit:
            raise ConfinementError(too_big(described, size, limit, limit_name))
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ConfinementError(too_big(described, len(data), limit, limit_name))
    return data


def too_big(described: str, size: int, limit: int, limit_name: str) -> str:
    named = f" ({limit_name})" if limit_name else ""
    return f"{described} is {size:,} bytes; the limit is {limit:,} bytes{named}"


def _shown(text: str) -> str:
    """A name fit for a terminal: control characters escaped, cut if very long."""
    from .terminal import visible

    text = visible(text)
    return text if len(text) <= 200 else text[:200] + "…"
