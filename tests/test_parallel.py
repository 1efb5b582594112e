"""PDF and DOCX rendered side by side (a forked helper process) give the same bytes as one
after the other, and a helper that dies costs time, not the build."""

from __future__ import annotations

import shutil
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from briefing.build import helper as parallel
from briefing.build import memo
from briefing.build import pipeline as build_module
from briefing.build import validate as validate_module
from briefing.build.pipeline import build
from briefing.cli import main as cli

NK = Path(__file__).resolve().parent.parent / "content" / "nk-russia"


def _bytes(result) -> dict[str, bytes]:
    return {fmt: path.read_bytes() for fmt, path in result.outputs.items()}


def test_side_by_side_gives_the_same_bytes_as_one_after_the_other(tmp_path, monkeypatch):
    helpers = []
    real = parallel.side_helper

    @contextmanager
    def watched(helper, formats):
        with real(helper, formats) as side:
            helpers.append(side)
            yield side

    monkeypatch.setattr(parallel, "can_fork_helper", lambda: True)
    monkeypatch.setattr(build_module, "side_helper", watched)
    forked = build(NK, tmp_path / "forked", force=True)
    monkeypatch.setattr(parallel, "can_fork_helper", lambda: False)
    alone = build(NK, tmp_path / "alone", force=True)
    assert sorted(forked.outputs) == ["docx", "pdf"]
    assert _bytes(forked) == _bytes(alone)
    assert isinstance(helpers[0], ProcessPoolExecutor) and helpers[1:] == [None]


def _without_memo(monkeypatch) -> None:
    """Load, review and compose the brief even if a build of the same inputs was
    remembered (build.memo): these tests watch the order of those steps."""
    monkeypatch.setattr(memo, "recall", lambda request: None)


def test_the_build_command_forks_its_helper_before_loading_the_brief(tmp_path, monkeypatch):
    _without_memo(monkeypatch)
    submitted: list[str] = []
    at_validation: list[list[str]] = []
    real_submit, real_load = ProcessPoolExecutor.submit, validate_module.load_for_review

    def submit(self, fn, /, *args, **kwargs):
        submitted.append(fn.__name__)
        return real_submit(self, fn, *args, **kwargs)

    def load_for_review(*args, **kwargs):
        at_validation.append(list(submitted))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    monkeypatch.setattr(validate_module, "load_for_review", load_for_review)
    monkeypatch.setattr(parallel, "can_fork_helper", lambda: True)
    out = tmp_path / "cli"
    assert cli.main(["build", str(NK), "--out-dir", str(out), "--force"]) == 0
    assert at_validation == [["preload"]], "the helper was importing before the brief loaded"
    assert submitted == ["preload", "render_sent"], "the DOCX was rendered in the helper"
    monkeypatch.setattr(parallel, "can_fork_helper", lambda: False)
    alone = build(NK, tmp_path / "alone", force=True)
    assert {fmt: (out / f"nk-russia.{fmt}").read_bytes() for fmt in ("pdf", "docx")} \
        == _bytes(alone)


class _DeadHelper(Executor):
    """A helper process pool whose process has died."""

    def submit(self, fn, /, *args, **kwargs):
        future: Future = Future()
        future.set_exception(BrokenProcessPool("the helper process died"))
        return future


def test_a_dead_helper_is_replaced_by_this_process(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "can_fork_helper", lambda: False)
    alone = build(NK, tmp_path / "alone", force=True)
    rescued = build(NK, tmp_path / "rescued", force=True, helper=_DeadHelper())
    assert _bytes(rescued) == _bytes(alone)


def test_no_helper_is_forked_from_a_threaded_process_or_for_one_format():
    release = threading.Event()
    worker = threading.Thread(target=release.wait, daemon=True)
    worker.start()
    try:
        assert not parallel.can_fork_helper()
    finally:
        release.set()
        worker.join(timeout=60)
    with parallel.side_helper(None, ["pdf"]) as helper:
        assert helper is None


def test_no_helper_is_forked_when_every_core_is_busy(monkeypatch):
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(parallel, "_load", lambda: 2.0)
    assert not parallel.can_fork_helper()
    monkeypatch.setattr(parallel, "_load", lambda: 0.2)
    from briefing.core.pool import only_thread

    assert parallel.can_fork_helper() == only_thread()


def test_a_helper_whose_build_has_ended_ends_too():
    import multiprocessing

    context = multiprocessing.get_context("fork")
    orphan = context.Process(target=parallel.die_with_parent, args=(0,))  # 0: not its parent
    orphan.start()
    orphan.join(timeout=60)
    assert orphan.exitcode == 1


def test_the_helper_has_the_docx_before_the_review_runs(tmp_path, monkeypatch):
    _without_memo(monkeypatch)
    submitted: list[str] = []
    at_review: list[list[str]] = []
    real_review = validate_module.review

    class Recording(ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(args[0] if fn.__name__ == "render_sent" else fn.__name__)
            return super().submit(fn, *args, **kwargs)

    def review(loaded):
        at_review.append(list(submitted))
        return real_review(loaded)

    monkeypatch.setattr(validate_module, "review", review)
    with Recording(max_workers=1) as helper:  # as watch keeps one
        result = build(NK, tmp_path / "watched", force=True, helper=helper)
    assert at_review == [["docx"]], "the review ran before the helper had the DOCX"
    monkeypatch.setattr(parallel, "can_fork_helper", lambda: False)
    assert _bytes(result) == _bytes(build(NK, tmp_path / "alone", force=True))


def _nk_copy(tmp_path: Path) -> Path:
    """The NK brief in a copy of its project (content, layouts, seeds) in `tmp_path`."""
    for name in ("content", "layouts", "seeds"):
        shutil.copytree(NK.parents[1] / name, tmp_path / name)
    return tmp_path / "content" / NK.name


def _with_unknown_source(tmp_path: Path) -> Path:
    """A copy of the NK project whose first piece of evidence names no source: it loads,
    and the layout's template fails on it ('None' has no attribute 'reliability')."""
    judgments = _nk_copy(tmp_path) / "judgments.yaml"
    text = judgments.read_text("utf-8")
    judgments.write_text(text.replace("source: seed-degraeve", "source: seed-nowhere", 1),
                         "utf-8")
    return judgments.parent


def test_an_invalid_brief_reports_its_findings_not_the_template_failing(tmp_path, capsys):
    brief = _with_unknown_source(tmp_path)
    expected = ("content/nk-russia/judgments.yaml:28:17: error: 'seed-nowhere' names no "
                "source; use the id of an item the brief defines [BR603]")
    out = tmp_path / "out"
    (out / "nk-russia.pdf").parent.mkdir()
    (out / "nk-russia.pdf").write_bytes(b"the last good PDF")
    with ProcessPoolExecutor(max_workers=1) as helper:
        watched = build(brief, out, force=True, helper=helper)
    alone = build(brief, out, force=True)
    for result in (watched, alone):
        assert result.invalid and not result.outputs
        assert [str(f).replace(str(tmp_path) + "/", "") for f in result.findings
                if f.severity == "error"] == [expected]
    assert (out / "nk-russia.pdf").read_bytes() == b"the last good PDF"
    assert sorted(p.name for p in out.iterdir()) == [".briefing", "nk-russia.pdf"]
    assert cli.main(["build", str(brief), "--out-dir", str(out), "--force"]) == 2
    err = capsys.readouterr().err
    assert "nothing was written" in err and "template" not in err


def test_a_helper_kept_ready_between_builds_gives_the_same_bytes(tmp_path, monkeypatch):
    brief = _nk_copy(tmp_path)
    judgments = brief / "judgments.yaml"
    monkeypatch.setattr(parallel, "can_fork_helper", lambda: False)
    watched, alone = [], []
    with ProcessPoolExecutor(max_workers=1) as helper:  # as watch keeps one
        for edit in ("publicly backed", "openly backed"):
            text = judgments.read_text("utf-8")
            judgments.write_text(text.replace("publicly backed", edit), "utf-8")
            watched.append(_bytes(build(brief, tmp_path / "watched", helper=helper,
                                        keep_ready=True)))
            alone.append(_bytes(build(brief, tmp_path / "alone", force=True)))
    assert watched == alone and watched[0] != watched[1]
