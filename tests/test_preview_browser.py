"""`briefing preview` in headless Chromium: after a save the page redraws itself (the test
never reloads it) with the new text and the new findings; content that does not build
keeps the last good edition under its findings; axe-core finds no WCAG 2.1 A/AA
violation on the preview page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from browser import axe_violations
from editing import save_edit

from briefing.cli.scaffold import new_brief

pytestmark = pytest.mark.slow

WAIT = 120  # seconds a condition may take on a loaded machine before the test fails


@pytest.fixture
def preview(tmp_path):
    """`briefing preview content/x` on a free port: (its URL, the brief's file)."""
    brief = new_brief("x", tmp_path / "content", "schema.json")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "preview", "content/x", "--port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    for line in process.stdout:  # blocks until the server says where it listens
        lines.append(line)
        if line.startswith("live preview: "):
            break
    assert lines and lines[-1].startswith("live preview: "), "".join(lines)
    yield lines[-1].removeprefix("live preview: ").strip(), brief
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0


def test_the_page_redraws_itself_after_a_save(browser, preview):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, brief = preview
    browser.get(url)

    def subtitle(driver) -> str:
        return driver.find_element(By.CSS_SELECTOR, "[data-field='subtitle']").text

    def panel(driver) -> str:
        return driver.find_element(By.CSS_SELECTOR, "aside.preview-panel").text

    wait = WebDriverWait(browser, WAIT)
    assert subtitle(browser) == "Placeholder subtitle"
    assert "'subtitle' is still a placeholder" in panel(browser)
    assert "Valid: 0 error(s), 15 warning(s)." in panel(browser)
    browser.execute_script("window.keptSinceTheTestOpenedIt = true")  # gone on a reload
    browser.execute_script("window.scrollTo(0, 300)")
    assert browser.execute_script("return window.scrollY") == 300

    save_edit(brief, "subtitle: Placeholder subtitle", "subtitle: What the agreement changes")
    wait.until(lambda d: subtitle(d) == "What the agreement changes")
    wait.until(lambda d: "Valid: 0 error(s), 14 warning(s)." in panel(d))
    assert "'subtitle'" not in panel(browser)
    assert browser.execute_script("return window.keptSinceTheTestOpenedIt") is True
    assert browser.execute_script("return window.scrollY") == 300  # the reader stays put

    save_edit(brief, "title: X", "title: [broken")
    wait.until(lambda d: "The brief does not build" in panel(d))
    assert "showing the last good preview" in panel(browser)
    assert "error: invalid YAML" in panel(browser)
    assert subtitle(browser) == "What the agreement changes"  # the last good edition
    assert browser.execute_script("return window.keptSinceTheTestOpenedIt") is True

    save_edit(brief, "title: [broken", "title: X")
    wait.until(lambda d: "Valid: 0 error(s), 14 warning(s)." in panel(d))
    assert browser.execute_script("return window.keptSinceTheTestOpenedIt") is True


def test_axe_finds_no_violation_on_the_preview(browser, preview):
    url, _ = preview
    assert axe_violations(browser, url) == []
