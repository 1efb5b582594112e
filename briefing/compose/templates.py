"""The sandbox a layout's templates run in, and the loader that reads them.

jinja2's FileSystemLoader already refuses `..` in a template name; this loader
also refuses a template (or an `{% include %}`, `{% import %}`, `{% extends %}`)
that is a symlink resolving outside the layout's folder, one that is not a
regular file, and one over MAX_TEMPLATE_BYTES. It reads only what it accepts.

`BoundedSandbox` is jinja2's sandbox with arithmetic that cannot make a huge value
in one step (text or a list repeated or joined past MAX_TEMPLATE_OUTPUT, a power of
more than Python's 4,300 digits), and with the template's budget of processor time
(`template_budget`) checked at every call, attribute and operator.
"""

from __future__ import annotations

import math
import os
import posixpath
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from briefing.core import cache as disk
from briefing.core import digests
from briefing.core.confine import ConfinementError, confine, read_bounded
from briefing.core.findings import Finding, Place, did_you_mean
from briefing.core.limits import MAX_TEMPLATE_BYTES, MAX_TEMPLATE_OUTPUT
from briefing.core.terminal import display_path, visible

from . import template_budget


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


#: The most digits a number may have (Python's own limit for printing one).
MAX_DIGITS = getattr(sys.int_info, "default_max_str_digits", 4300) or 4300


class BoundedSandbox(SandboxedEnvironment):
    """jinja2's sandbox, bounded in what one operator can make and in time."""

    intercepted_binops = frozenset({"*", "+", "**"})

    def call_binop(self, context, operator: str, left, right):
        problem = operator_problem(operator, left, right)
        if problem:
            raise SecurityError(problem)
        template_budget.check()
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - jinja2's names
        template_budget.check()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj, attribute: str):
        template_budget.check()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        template_budget.check()
        return super().getitem(obj, argument)


def operator_problem(operator: str, left, right) -> str | None:
    """Why `left operator right` would make a value too large to make, or None."""
    sized = (str, list, tuple)
    if operator == "*":
        sequence, count = (left, right) if isinstance(left, sized) else (right, left)
        if isinstance(sequence, sized) and isinstance(count, int):
            made = len(sequence) * count
            if made > MAX_TEMPLATE_OUTPUT:
                return (f"repeating {_what(sequence)} {count:,} times would make {made:,} "
                        f"{_unit(sequence)}; a template may make at most "
                        f"{MAX_TEMPLATE_OUTPUT:,} (MAX_TEMPLATE_OUTPUT)")
    elif operator == "+" and isinstance(left, sized) and isinstance(right, sized):
        made = len(left) + len(right)
        if made > MAX_TEMPLATE_OUTPUT:
            return (f"joining {_what(left)} and {_what(right)} would make {made:,} "
                    f"{_unit(left)}; a template may make at most {MAX_TEMPLATE_OUTPUT:,} "
                    "(MAX_TEMPLATE_OUTPUT)")
    elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
        digits = right * math.log10(abs(left)) if abs(left) > 1 else 1
        if digits > MAX_DIGITS:
            return (f"{left} ** {right} would be a number of about {digits:,.0f} digits; a "
                    f"template may make one of at most {MAX_DIGITS:,}")
    return None


def _what(value) -> str:
    unit = _unit(value) if len(value) != 1 else _unit(value)[:-1]
    return f"{'text' if isinstance(value, str) else 'a list'} of {len(value):,} {unit}"


def _unit(value) -> str:
    return "characters" if isinstance(value, str) else "items"


def main_template_problem(layout) -> Finding | None:
    """Why the template layout.yaml names (`template:`) cannot be used, at that line:
    an absolute path or one that climbs out of the layout's folder, or no such file."""
    name = layout.layout.template
    place = layout.located.place(("template",)) or Place(display_path(layout.folder))
    written = PurePosixPath(name.replace("\\", "/"))
    if not name or written.is_absolute() or ".." in written.parts:
        return Finding(place, "error", f"template '{visible(name)}' is not a file in the "
                       f"layout's folder ({display_path(layout.folder)}); name the template "
                       "by its path inside that folder, such as brief.xml.j2", rule="BR813")
    if not (layout.folder / written).exists() and not (layout.folder / written).is_symlink():
        templates = sorted(p.name for p in layout.folder.glob("*.j2"))
        return Finding(place, "error", f"template '{visible(name)}' not found in "
                       f"{display_path(layout.folder)}{did_you_mean(name, templates)}",
                       rule="BR813")
    return None


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
