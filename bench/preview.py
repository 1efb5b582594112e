"""Benchmark `briefing preview`: how soon an open page hears of a save, and has the new page.

For each brief (a new scaffold and a copy of NK), starts `python -m briefing preview`
on a free loopback port, opens the page's event stream as a browser does, then EDITS
times: saves an edit (atomically, as editors save), waits for the `preview` event with
a new tag, then fetches the page as the page's script does. Reports per brief the
median and the worst of save → event and save → new page, against the target of one
second, and the builds per edit (from /metrics). Loopback only, bounded loops.
Prints a Markdown table.

Usage: python bench/preview.py [--edits 10]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 1000.0


def start(work: Path, brief: str) -> tuple[subprocess.Popen, int, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "briefing", "preview", brief, "--port", "0"], cwd=work,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    for line in process.stdout:
        if line.startswith("live preview: "):
            found = re.match(r"live preview: http://127\.0\.0\.1:(\d+)(/preview/\S+)", line)
            return process, int(found.group(1)), found.group(2)
    raise SystemExit(f"the preview of {brief} did not start")


def next_event(response: http.client.HTTPResponse) -> str:
    """The data of the next `preview` event (comments and blank lines skipped)."""
    while True:
        line = response.readline().decode()
        if not line:
            raise SystemExit("the event stream ended")
        if line.startswith("data: "):
            return line.removeprefix("data: ").strip()


def builds(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    return sum(int(float(line.rsplit(" ", 1)[1])) for line in text.splitlines()
               if line.startswith("briefing_builds_total{"))


def measure(work: Path, brief: str, file: Path, line: str, edits: int) -> dict:
    process, port, page = start(work, brief)
    try:
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        events.request("GET", page + "/events", headers={"Accept": "text/event-stream"})
        stream = events.getresponse()
        tag = next_event(stream)
        before = builds(port)
        to_event, to_page = [], []
        for number in range(edits):
            text = file.read_text("utf-8")
            edited = re.sub(rf"^{re.escape(line)}.*$", f"{line} Edit {number}", text, count=1,
                            flags=re.MULTILINE)
            temp = file.with_name(f".{file.name}.tmp")
            temp.write_text(edited, "utf-8")
            saved = time.perf_counter()
            os.replace(temp, file)
            new = next_event(stream)
            while new == tag:  # an event for a state the page already shows
                new = next_event(stream)
            to_event.append(time.perf_counter() - saved)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", page)
            body = conn.getresponse().read()
            conn.close()
            to_page.append(time.perf_counter() - saved)
            assert f"Edit {number}".encode() in body
            tag = new
        events.close()
        return {"event": to_event, "page": to_page, "builds": builds(port) - before}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    try:
        for name in ("layouts", "seeds"):
            shutil.copytree(ROOT / name, work / name)
        shutil.copytree(ROOT / "content" / "nk-russia", work / "content" / "nk-russia")
        subprocess.run([sys.executable, "-m", "briefing", "new", "scaffold"], cwd=work,
                       check=True, capture_output=True)
        cases = {
            "new scaffold (1 file)": ("content/scaffold", work / "content/scaffold/brief.yaml",
                                      "subtitle:"),
            "NK (3 files, 7 judgments)": ("content/nk-russia",
                                          work / "content/nk-russia/brief.yaml", "subtitle:"),
        }
        results = {name: measure(work, brief, file, line, args.edits)
                   for name, (brief, file, line) in cases.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"## briefing preview: save → page, {args.edits} edits per brief, loopback, "
          f"{os.cpu_count()} cores (target ≤ {TARGET_MS:.0f} ms)\n")
    print("| brief | save → event: median / worst | save → new page: median / worst | "
          "builds per edit | median / target |")
    print("| --- | --- | --- | --- | --- |")
    for name, r in results.items():
        ev, pg = [s * 1000 for s in r["event"]], [s * 1000 for s in r["page"]]
        print(f"| {name} | {statistics.median(ev):.0f} ms / {max(ev):.0f} ms | "
              f"{statistics.median(pg):.0f} ms / {max(pg):.0f} ms | "
              f"{r['builds']} / {len(ev)} | {statistics.median(pg) / TARGET_MS:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
