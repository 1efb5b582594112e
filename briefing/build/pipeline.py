"""Build: load → check → compose → render, writing outputs atomically.

Every format is rendered to bytes before anything is written; the outputs and the
record of their inputs are then written as one group (core.commit): temporary files,
a journal, the renames. A failed build never leaves a broken file or destroys the last
good one, and a build killed between two renames leaves a journal that the next build
completes first, so the outputs are never a new PDF beside an old DOCX.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.compose.tree import Document, Metadata, Provenance
from briefing.core import limits
from briefing.core.commit import GroupWrite, finish, remove_temps
from briefing.core.findings import ContentError, Finding, sort_findings
from briefing.core.pool import prompt_threads
from briefing.core.terminal import display_path, visible
from briefing.load.layout import LoadedLayout, find_layout, load_layout
from briefing.render.registry import DEFAULT_FORMATS, FORMATS, entry_point, renderer_module

from . import memo
from .helper import side_helper
from .inputs import input_digest, portable_digest

if TYPE_CHECKING:  # a build without a helper never imports concurrent.futures
    from concurrent.futures import Executor, Future

    from briefing.load.brief import LoadedBrief

    from .validate import Pending

STATE_DIR = ".briefing"
#: The formats that mark the brief's content fields: the DOCX (for the round trip)
#: and the web edition (for the live preview); compose marks them only for these.
FIELD_FORMATS = frozenset({"docx", "html"})


class BuildError(Exception):
    """The brief is valid but could not be built (layout, template, renderer, disk)."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = findings or []


@dataclass
class BuildResult:
    """What a build produced, or the findings that stopped it."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    invalid: bool = False

    @property
    def up_to_date(self) -> bool:
        return not self.invalid and not self.outputs and bool(self.skipped)


def resolve_layout(loaded: LoadedBrief, override: str | None,
                   pdf_engine: str | None = None) -> LoadedLayout:
    """The brief's layout (or `override`), drawing PDFs with `pdf_engine` if given."""
    name = override or loaded.brief.layout
    try:
        layout = load_layout(find_layout(name, loaded.root, trusted=override is not None))
    except ContentError as exc:
        findings = exc.findings
        if override is None:  # a layout the brief names: point at its `layout:` field
            here = loaded.place("layout")
            findings = [Finding(here, f.severity, f.message, f.rule) if f.place.path == name
                        else f for f in findings]
        raise BuildError(f"layout '{name}' is invalid", findings) from None
    if pdf_engine and pdf_engine != layout.layout.pdf_engine:
        layout = replace(layout, layout=layout.layout.model_copy(
            update={"pdf_engine": pdf_engine}))
    return layout


def output_names(brief_id: str) -> list[str]:
    """The names a build of `brief_id` writes in the output folder."""
    return [f"{brief_id}.{fmt}" for fmt in FORMATS]


def journal_path(out_dir: Path, brief_id: str) -> Path:
    """Where a build of `brief_id` records the outputs it is replacing (core.commit)."""
    return out_dir / STATE_DIR / f"{brief_id}.commit"


def recover_outputs(out_dir: Path, brief_id: str) -> None:
    """Finish what a killed build of this brief left: complete a commit it had begun
    (its outputs are then all new), remove its temporary files (they were never part of
    one). Called holding the brief's lock, so no running build is touched."""
    state = out_dir / STATE_DIR
    finish(journal_path(out_dir, brief_id))
    remove_temps(out_dir, output_names(brief_id))
    remove_temps(state, [f"{brief_id}.json", f"{brief_id}.commit"])


def _notice(message: str) -> None:
    print(visible(message), file=sys.stderr, flush=True)


@contextmanager
def brief_lock(out_dir: Path, brief_id: str, wait: float | None = None,
               notice: Callable[[str], None] = _notice) -> Iterator[None]:
    """Hold an exclusive lock so two builds of one brief never interleave.

    When another build holds it, say so (through `notice`) and wait up to `wait`
    seconds (LOCK_WAIT_SECONDS by default), then give up with a BuildError."""
    wait = limits.LOCK_WAIT_SECONDS if wait is None else wait
    state = out_dir / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    lock = state / f"{brief_id}.lock"
    with lock.open("a") as handle:
        if not _try_lock(handle):
            notice(f"briefing: waiting for another build of '{brief_id}' to finish "
                   f"(it holds {display_path(lock)}); giving up after {wait:g} s "
                   "(--wait SECONDS)")
            deadline = time.monotonic() + wait
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise BuildError(
                        f"another build of '{brief_id}' still holds {display_path(lock)} "
                        f"after {wait:g} s; try again when it has finished, or wait longer "
                        "with --wait SECONDS")
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class BuildTimeout(Exception):
    """The build ran past its time budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Stop the body with BuildTimeout after `seconds` (in the main thread, where a
    timer signal can reach it; elsewhere the caller bounds the time)."""
    usable = (threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise BuildTimeout(f"the build ran past its time budget of {seconds:g} s "
                           "(BUILD_TIME_BUDGET) and was stopped; nothing was written")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class BuildState:
    """Digests of the inputs behind each output, kept in out/.briefing/<id>.json."""

    def __init__(self, out_dir: Path, brief_id: str):
        self.path = out_dir / STATE_DIR / f"{brief_id}.json"
        try:
            self.data: dict = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.data = {}

    def current(self, fmt: str, digest: str, target: Path) -> bool:
        """True when `target` exists, is what we wrote, and came from `digest`."""
        entry = self.data.get(fmt, {})
        if entry.get("inputs") != digest or not target.is_file():
            return False
        return hashlib.sha256(target.read_bytes()).hexdigest() == entry.get("output")

    def record(self, fmt: str, digest: str, data: bytes) -> None:
        self.data[fmt] = {"inputs": digest, "output": hashlib.sha256(data).hexdigest()}

    def encoded(self) -> bytes:
        return json.dumps(self.data, indent=2, sort_keys=True).encode()


def build(path: Path, out_dir: Path, formats: tuple[str, ...] = DEFAULT_FORMATS,
          layout_name: str | None = None, force: bool = False,
          helper: Executor | None = None, comments: bool = False,
          pdf_engine: str | None = None, wait: float | None = None,
          keep_ready: bool = False) -> BuildResult:
    """Validate and build the brief at `path` into `out_dir`.

    Formats whose inputs did not change since the last build are skipped
    (unless `force`); their names are in `result.skipped`. With `comments` (or the
    layout's `review_comments`), every finding becomes a Word comment in the DOCX on
    the field it concerns. With a `helper`
    process pool, the second format renders there while this process renders
    the first (what `watch` does, so that a rebuild takes the longer of the two);
    without one, a build forks its own helper when it can (`parallel`). With
    `keep_ready` (the helper outlives the build, as watch's does), the helper then
    begins, while it waits, what its next render begins with (`ready_format`).
    `pdf_engine` (reportlab or typst) overrides the layout's `pdf_engine`.
    When another build of the brief holds its lock, wait up to `wait` seconds.

    The checks and review rules run once the helper has the document (they need
    only this process); an invalid brief still writes nothing, and its findings,
    not a layout or template failure they explain, are what the build reports. A
    brief built before from inputs that are all as they were is neither loaded,
    reviewed nor composed again: the document and findings it left are (build.memo).
    """
    result = BuildResult(path)
    request = memo.Request(path, layout_name, pdf_engine, not FIELD_FORMATS.isdisjoint(formats))
    remembered = None if comments else memo.recall(request)
    if remembered is not None:
        try:
            return _build(_Recalled(remembered, request), result, out_dir, formats,
                          force, helper, comments, wait, keep_ready)
        except _Stale:  # asked for what the entry does not hold: build in full
            result = BuildResult(path)
    from .validate import Validation, load_for_review

    pending = load_for_review(path)
    if isinstance(pending, Validation):  # the brief could not be loaded
        result.findings, result.invalid = pending.findings, True
        return result
    fresh = _Fresh(pending, request, layout_name, pdf_engine)
    try:
        try:
            return _build(fresh, result, out_dir, formats, force, helper, comments, wait,
                          keep_ready)
        except BuildError:
            fresh.review(result)  # an invalid brief: its findings say why, not this
            raise
    except _Invalid:
        result.invalid = True
        return result


class _Invalid(Exception):
    """The review found an error after the build had begun: it stops, writing nothing."""


class _Stale(Exception):
    """A remembered brief cannot serve this build (see _Recalled)."""


class _Fresh:
    """A brief loaded by this build: laid out, digested, composed and reviewed here,
    then remembered (build.memo) when it was valid."""

    def __init__(self, pending: Pending, request: memo.Request, layout_name: str | None,
                 pdf_engine: str | None):
        self.pending, self.request = pending, request
        self.layout_name, self.pdf_engine = layout_name, pdf_engine
        self.document: Document | None = None
        self.stamps: list = []

    @property
    def brief_id(self) -> str:
        return self.pending.loaded.brief.id

    def layout(self) -> LoadedLayout:
        return resolve_layout(self.pending.loaded, self.layout_name, self.pdf_engine)

    def files(self, layout: LoadedLayout) -> list[tuple[Path, bytes]]:
        from .inputs import input_digests

        files = input_digests(self.pending.loaded, layout)
        self.stamps = memo.stamps_of(self.request, (path for path, _ in files))
        return files

    def content_digest(self) -> str:
        from .inputs import content_digest

        return content_digest(self.pending.loaded)

    def compose(self, layout: LoadedLayout, fields: bool, result: BuildResult) -> Document:
        """The document tree of the brief; a failure is the layout's, unless the review
        (run first) finds the brief itself invalid."""
        from briefing.compose.citation_styles import StyleError
        from briefing.compose.composer import ComposeError, compose
        from briefing.compose.configcheck import style_finding

        try:
            document = compose(self.pending.loaded, layout, fields=fields)
        except ContentError as exc:
            raise BuildError("the layout's template failed", exc.findings) from None
        except ComposeError as exc:
            raise BuildError(str(exc)) from None
        except StyleError as exc:
            raise BuildError("the layout's citation style cannot be used",
                             [style_finding(exc, layout)]) from None
        except Exception:  # content the checks would have refused, before they ran
            self.review(result)
            raise
        if fields == self.request.fields:
            self.document = document
        return document

    def review(self, result: BuildResult) -> None:
        """Run the review (once) and put its findings in `result`; `_Invalid` if they
        hold an error."""
        validation = self.pending.validation
        result.findings = validation.findings
        if not validation.ok:
            raise _Invalid

    def glyphs(self, layout: LoadedLayout, document: Document) -> list[Finding]:
        from .glyphs import glyph_findings

        return glyph_findings(self.pending.loaded, layout, document)

    def comments(self, findings: list[Finding], provenance) -> tuple:
        from briefing.compose.fields import review_comments

        return review_comments(findings, self.pending.loaded, provenance)

    def remember(self, layout: LoadedLayout, files: list[tuple[Path, bytes]],
                 content: str, findings: list[Finding]) -> None:
        """Remember the checked, composed brief for the next build (build.memo)."""
        if self.document is not None and self.stamps:
            memo.remember(self.request, memo.Remembered(
                self.brief_id, layout, files, content, findings, self.document), self.stamps)


class _Recalled:
    """A brief as a build of the same inputs left it (build.memo): nothing is loaded,
    reviewed or composed again."""

    def __init__(self, remembered: memo.Remembered, request: memo.Request):
        self.remembered, self.fields = remembered, request.fields
        self.brief_id, self.layout_name = remembered.brief_id, request.layout_name

    def layout(self) -> LoadedLayout:
        return self.remembered.layout

    def files(self, layout: LoadedLayout) -> list[tuple[Path, bytes]]:
        return self.remembered.files

    def content_digest(self) -> str:
        return self.remembered.content_digest

    def compose(self, layout: LoadedLayout, fields: bool, result: BuildResult) -> Document:
        if fields != self.fields:
            raise _Stale
        return self.remembered.document

    def review(self, result: BuildResult) -> None:
        result.findings = list(self.remembered.findings)

    def glyphs(self, layout: LoadedLayout, document: Document) -> list[Finding]:
        return []  # an entry is made only when there were none

    def comments(self, findings: list[Finding], provenance) -> tuple:
        raise _Stale  # review comments are never remembered

    def remember(self, *args: object) -> None:
        pass


def _build(source: _Fresh | _Recalled, result: BuildResult, out_dir: Path,
           formats: tuple[str, ...], force: bool, helper: Executor | None, comments: bool,
           wait: float | None, keep_ready: bool) -> BuildResult:
    layout = source.layout()  # a layout problem fails the build
    comments = comments or layout.layout.review_comments
    brief_id = source.brief_id
    layout_name = source.layout_name
    try:
        with brief_lock(out_dir, brief_id, wait):
            recover_outputs(out_dir, brief_id)
            state = BuildState(out_dir, brief_id)
            files = source.files(layout)
            digests = {fmt: input_digest(files, _variant(fmt, comments, layout), layout_name)
                       for fmt in formats}
            todo = [fmt for fmt in formats if force or not state.current(
                fmt, digests[fmt], out_dir / f"{brief_id}.{fmt}")]
            result.skipped = [fmt for fmt in formats if fmt not in todo]
            if not todo:
                source.review(result)
                return result
            content = source.content_digest()
            provenance = Provenance(digest=portable_digest(files, "docx"),
                                    content_digest=content,
                                    comments=(("", ""),) if comments else ())
            # the outputs and their record: one group, each output written as it comes
            with GroupWrite(journal_path(out_dir, brief_id)) as group:
                def written(fmt: str, data: bytes) -> None:
                    group.add(out_dir / f"{brief_id}.{fmt}", data)

                # compose and render within the time budget; committing is not interrupted
                with time_budget(limits.BUILD_TIME_BUDGET), side_helper(helper, todo) as side:
                    rendered = _render(source, layout, todo, result, side, provenance,
                                       keep_ready, written if side is not None else None)
                for fmt, data in rendered.items():
                    if out_dir / f"{brief_id}.{fmt}" not in group.temps:
                        written(fmt, data)
                    state.record(fmt, digests[fmt], data)
                group.add(state.path, state.encoded())
                group.commit()
            result.outputs = {fmt: out_dir / f"{brief_id}.{fmt}" for fmt in rendered}
    except BuildTimeout as exc:
        raise BuildError(str(exc)) from None
    except OSError as exc:
        where = exc.filename or out_dir
        raise BuildError(f"cannot write {where}: {exc.strerror or exc}") from None
    if not comments:
        source.remember(layout, files, content, result.findings)
    return result


def _variant(fmt: str, comments: bool, layout: LoadedLayout | None = None) -> str:
    """The output variant a digest is for: a DOCX with review comments differs, and
    so does a PDF drawn by another engine."""
    if fmt == "pdf" and layout is not None and layout.layout.pdf_engine != "reportlab":
        return f"pdf+{layout.layout.pdf_engine}"
    return f"{fmt}+comments" if comments and fmt == "docx" else fmt


def render_format(fmt: str, document: Document, layout: LoadedLayout) -> bytes:
    """Render one format (a top-level function, so a helper process can run it)."""
    return entry_point(fmt, layout.layout.pdf_engine)(document, layout)


def ready_format(fmt: str, layout: LoadedLayout, meta: Metadata) -> None:
    """In a helper that outlives its build: begin ahead what the next render of `fmt`
    begins with, if its renderer can (its module's `ready_next`)."""
    ready = getattr(renderer_module(fmt, layout.layout.pdf_engine), "ready_next", None)
    if ready is not None:
        ready(layout, meta)


def _collect(future: Future, fmt: str, document: Document, layout: LoadedLayout) -> bytes:
    """What the helper rendered; rendered here instead if the helper process died."""
    from concurrent.futures import BrokenExecutor  # imported already: there is a helper

    try:
        return future.result()
    except BrokenExecutor:
        return render_format(fmt, document, layout)


def _render(source: _Fresh | _Recalled, layout: LoadedLayout, formats: list[str],
            result: BuildResult, helper: Executor | None = None,
            provenance: Provenance | None = None, keep_ready: bool = False,
            written: Callable[[str, bytes], None] | None = None) -> dict[str, bytes]:
    """Compose once, hand the formats after the first to the helper, review the brief
    (`_Invalid` stops here), then render the rest to bytes. Nothing is written here
    but through `written`, given each format rendered here while the helper renders.
    A DOCX carries its fields' provenance and the web edition marks them too;
    review comments, when asked for, wait for the review. Rendered one after the
    other, the DOCX comes first: its XML, the largest thing a build holds, is freed
    when it is saved and the PDF reuses that memory, whereas the PDF's fonts stay
    loaded (the other order peaks 25 MiB higher at k=250)."""
    start = time.perf_counter()
    fields = provenance is not None and not FIELD_FORMATS.isdisjoint(formats)
    document = source.compose(layout, fields, result)
    result.seconds["compose"] = time.perf_counter() - start
    with prompt_threads() if helper is not None else nullcontext():
        commented = fields and provenance is not None and bool(provenance.comments)
        elsewhere: dict[str, Future] = {}
        if not commented:  # the helper starts now, while this process reviews the brief
            document = _with_provenance(document, provenance, ())
            elsewhere = _hand_over(helper, formats, document, layout)
        source.review(result)
        glyphs = source.glyphs(layout, document)
        if glyphs:  # an error: nothing is rendered here, nor written
            result.findings = sort_findings([*result.findings, *glyphs])
            raise _Invalid
        if commented and document.provenance is not None:
            document = _with_provenance(document, provenance, source.comments(
                result.findings, document.provenance))
            elsewhere = _hand_over(helper, formats, document, layout)
        start = time.perf_counter()
        rendered: dict[str, bytes] = {}
        try:
            for fmt in formats if helper else sorted(formats, key=lambda f: f != "docx"):
                rendered[fmt] = (_collect(elsewhere[fmt], fmt, document, layout)
                                 if fmt in elsewhere else render_format(fmt, document, layout))
                result.seconds[fmt] = time.perf_counter() - start
                if written is not None and fmt not in elsewhere and elsewhere:
                    written(fmt, rendered[fmt])  # while the helper renders the rest
        except ValueError as exc:  # a renderer's refusal, e.g. a page limit
            raise BuildError(f"{fmt}: {exc}") from None
    if keep_ready and helper is not None:
        _ready_ahead(helper, list(elsewhere), layout, document.meta)
    return {fmt: rendered[fmt] for fmt in formats}


def _ready_ahead(helper: Executor, formats: list[str], layout: LoadedLayout,
                 meta: Metadata) -> None:
    """Have the (now idle) helper begin what its next renders of `formats` begin with.
    Nothing waits for it; a helper that cannot take it is no matter (the next build
    renders without it)."""
    from concurrent.futures import BrokenExecutor  # imported already: there is a helper

    try:
        for fmt in formats:
            helper.submit(ready_format, fmt, layout, meta)
    except (BrokenExecutor, RuntimeError):  # dead, or shut down
        pass


def _with_provenance(document: Document, provenance: Provenance | None,
                     comments: tuple) -> Document:
    """`document` with the build's digests (and `comments`) in its DOCX provenance."""
    if provenance is None or document.provenance is None:
        return document
    return replace(document, provenance=replace(
        document.provenance, digest=provenance.digest,
        content_digest=provenance.content_digest, comments=comments))


def _hand_over(helper: Executor | None, formats: list[str], document: Document,
               layout: LoadedLayout) -> dict[str, Future]:
    """The formats after the first, each rendering in the helper (none without one).
    The document is pickled here, at once: pickled by the pool's own thread, it would
    take turns with the review for the interpreter lock, and reach the helper later."""
    if helper is None:
        return {}
    import pickle

    sent = pickle.dumps((document, layout), pickle.HIGHEST_PROTOCOL)
    return {fmt: helper.submit(render_sent, fmt, sent) for fmt in formats[1:]}


def render_sent(fmt: str, sent: bytes) -> bytes:
    """In the helper: render one format of the (document, layout) pickled in `sent`."""
    import pickle

    return render_format(fmt, *pickle.loads(sent))
