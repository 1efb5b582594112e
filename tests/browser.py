"""A real browser for the tests: Debian's headless Chromium through selenium, and
axe-core's WCAG 2.1 A and AA rules run in it. Skips when either is not installed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def axe_script() -> Path | None:
    """axe-core's script: $BRIEFING_AXE_JS, or the copy `.ci/run` installs with npm."""
    for candidate in (os.environ.get("BRIEFING_AXE_JS"),
                      ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def start_browser():
    """Headless Chromium under selenium (the `browser` fixture of conftest.py); skips
    the test when Chromium, its driver or axe-core is missing."""
    if not (CHROMIUM and CHROMEDRIVER and axe_script()):
        pytest.skip("needs Debian's chromium and chromium-driver, and axe-core (.ci/run)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def axe_violations(driver, where: Path | str) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations of the page at `where` (a file or URL)."""
    driver.get(where.as_uri() if isinstance(where, Path) else where)
    driver.execute_script(axe_script().read_text("utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}).then(done);")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['html'][:120]})"
            for v in result["violations"]]


