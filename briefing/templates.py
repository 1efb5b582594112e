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
from jinja2.loaders import split_template_path

from .confine import ConfinementError, confine, read_bounded
from .limits import MAX_TEMPLATE_BYTES


class TemplateRefused(TemplateNotFound):
    """A template that exists but may not be read; its message says why."""

    def __init__(self, name: str, message: str):
        super().__init__(name, message)


class ConfinedLoader(BaseLoader):
    """Loads templates from one folder, never from outside it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.real = self.folder.resolve()

    def get_source(self, environment: Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # raises TemplateNotFound for '..'
        written = posixpath.join(*pieces) if pieces else template
        try:
            path = confine(written, self.folder, (self.real,), "template",
                           label=f"template '{template}'")
        except FileNotFoundError:
            raise TemplateNotFound(template) from None
        except ConfinementError as exc:
            raise TemplateRefused(template, str(exc).replace(
                "outside the project", "outside the layout's folder").replace(
                "its project or the briefing package", "its own folder")) from None
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
