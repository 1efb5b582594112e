"""The jinja2 loader of a layout's templates: confined to the layout's folder.

jinja2's FileSystemLoader already refuses `..` in a template name; this loader
also refuses a template (or an `{% include %}`, `{% import %}`, `{% extends %}`)
that is a symlink resolving outside the layout's folder, one that is not a
regular file, and one over MAX_TEMPLATE_BYTES. It reads only what it accepts.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.loaders import split_template_path

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.confine import ConfinementError, confine, read_bounded
from briefing.core.limits import MAX_TEMPLATE_BYTES
from briefing.core.terminal import visible


class TemplateRefused(TemplateNotFound):
    """A template that exists but may not be read; its message says why."""

    def __init__(self, name: str, message: str):
        super().__init__(name, message)


class ConfinedLoader(BaseLoader):
    """Loads templates from one folder, never from outside it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.real = self.folder.resolve()
        self.outside = (f"is outside the layout's folder ({visible(str(self.real))}); a "
                        "brief or layout may only name files inside its own folder")

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # raises TemplateNotFound for '..'
        written = posixpath.join(*pieces) if pieces else template
        try:
            path = confine(written, self.folder, (self.real,), "template",
                           label=f"template '{template}'", outside=self.outside)
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except ConfinementError as exc:
            raise TemplateRefused(template, str(exc)) from None
        try:
            data = read_bounded(path, MAX_TEMPLATE_BYTES, f"template '{template}'",
                                "MAX_TEMPLATE_BYTES")
            source = data.decode("utf-8")
        except ConfinementError as exc:
            raise TemplateRefused(template, str(exc)) from None
        except UnicodeDecodeError:
            raise TemplateRefused(template, f"template '{template}' is not UTF-8 "
                                  "text") from None
        mtime = path.stat().st_mtime_ns
        filename = os.path.normpath(self.folder / written)

        def uptodate() -> bool:
            try:
                return path.stat().st_mtime_ns == mtime
            except OSError:
                return False

        return source, filename, uptodate


class CompiledTemplates(BytecodeCache):
    """jinja2's compiled templates kept in briefing's disk cache (`briefing.core.cache`).

    Compiling a template (parse, generate Python, compile it) is most of what a
    template costs before it runs. jinja2 keys a bucket by the template's name and
    the checksum of its source; the entry's key adds briefing's code (which sets the
    environment's options), jinja2's version and Python's (marshal's format). A
    missing or corrupt entry only means compiling again; `--no-cache` turns it off."""

    KIND = "template"

    def _name(self, bucket: Bucket) -> str:
        import sys

        import jinja2

        return digests.code_key(self.KIND, jinja2.__version__, sys.version, bucket.key,
                             bucket.checksum)

    def load_bytecode(self, bucket: Bucket) -> None:
        stored = disk.get(self.KIND, self._name(bucket))
        if stored is not None:
            try:
                bucket.bytecode_from_string(stored)
            except Exception:  # noqa: BLE001 - an unreadable entry is compiled afresh
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        disk.put(self.KIND, self._name(bucket), bucket.bytecode_to_string())


def compiled_templates() -> CompiledTemplates | None:
    """The bytecode cache for a template environment, or None when the cache is off."""
    return CompiledTemplates() if disk.folder() is not None else None
