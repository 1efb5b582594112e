"""Benchmark `briefing lsp`: how soon an edit on NK shows its findings in the editor.

Starts `python -m briefing lsp` and speaks LSP to it over pipes as an editor does:
opens content/nk-russia/judgments.yaml, waits for its first diagnostics (cold), then
sends RUNS changes that alternately type a vague word into a judgment and take it out
again, timing each didChange → publishDiagnostics round trip for that version (warm).
The server runs twice: with its default debounce (what an editor sees) and with the
debounce at 0 (the check alone, plus the protocol). Baseline in the same run:
`validate` of the same edited texts in this process, the floor any server pays.
Nothing is written to the brief. Prints a Markdown table of medians (and p90).

Usage: python bench/lsp.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NK = ROOT / "content" / "nk-russia"
JUDGMENTS = NK / "judgments.yaml"
CLEAN, VAGUE = "will likely keep", "will possibly keep"
TARGET_MS = 300
HANG = 60.0  # seconds without an answer: the server is broken, stop
sys.path.insert(0, str(ROOT))  # this tree's briefing, as the server runs it


class Server:
    """`python -m briefing lsp` on pipes, with a minimal JSON-RPC client."""

    def __init__(self, debounce: float | None):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "lsp"], cwd=ROOT, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
        options = {} if debounce is None else {"debounce": debounce}
        self.send({"id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": ROOT.as_uri(), "capabilities": {},
            "initializationOptions": options}})
        self.until(lambda m: m.get("id") == 1)
        self.send({"method": "initialized", "params": {}})

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def receive(self) -> dict:
        out = self.process.stdout
        if not select.select([out], [], [], HANG)[0]:
            raise SystemExit(f"no answer from the server in {HANG:.0f} s")
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            byte = out.read(1)
            if not byte:
                raise SystemExit("the server closed its output")
            header += byte
        length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        return json.loads(out.read(length))

    def until(self, wanted) -> dict:
        while not wanted(message := self.receive()):
            pass
        return message

    def diagnostics(self, uri: str, version: int) -> list:
        message = self.until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                             and m["params"]["uri"] == uri
                             and m["params"].get("version") == version)
        return message["params"]["diagnostics"]

    def close(self) -> None:
        self.send({"id": 2, "method": "shutdown"})
        self.until(lambda m: m.get("id") == 2)
        self.send({"method": "exit"})
        self.process.wait(timeout=HANG)


def position(text: str, index: int) -> dict:
    line = text.count("\n", 0, index)
    return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}


def round_trips(debounce: float | None, runs: int) -> tuple[float, list[float]]:
    """Seconds to the first diagnostics (cold), and of each warm change's round trip."""
    server = Server(debounce)
    uri, text = JUDGMENTS.as_uri(), JUDGMENTS.read_text("utf-8")
    start = time.perf_counter()
    server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
    if server.diagnostics(uri, 1):
        raise SystemExit("NK has findings before the edit; the benchmark expects none")
    cold = time.perf_counter() - start
    warm = []
    for version in range(2, runs + 2):
        old, new = (CLEAN, VAGUE) if version % 2 == 0 else (VAGUE, CLEAN)
        index = text.index(old)
        change = {"range": {"start": position(text, index),
                            "end": position(text, index + len(old))}, "text": new}
        text = text[:index] + new + text[index + len(old):]
        start = time.perf_counter()
        server.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}})
        found = server.diagnostics(uri, version)
        warm.append(time.perf_counter() - start)
        expected = {"BR104", "BR106"} if new == VAGUE else set()
        if {d["code"] for d in found} != expected:
            raise SystemExit(f"version {version}: found {[d['code'] for d in found]}")
    server.close()
    return cold, warm


def in_process(runs: int) -> list[float]:
    """Seconds of `validate` with the same edited texts, warm, in this process."""
    from briefing.build.validate import validate

    text = JUDGMENTS.read_text("utf-8")
    vague = text.replace(CLEAN, VAGUE)
    validate(NK, {JUDGMENTS: vague})  # warm: imports, caches
    times = []
    for run in range(runs):
        start = time.perf_counter()
        validate(NK, {JUDGMENTS: vague if run % 2 == 0 else text})
        times.append(time.perf_counter() - start)
    return times


def p90(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.9 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from briefing.lsp.server import DEBOUNCE_SECONDS

    floor = in_process(args.runs)
    rows = []
    for label, debounce in ((f"`briefing lsp`, default debounce ({DEBOUNCE_SECONDS * 1000:.0f}"
                             " ms)", None), ("`briefing lsp`, debounce 0", 0.0)):
        cold, warm = round_trips(debounce, args.runs)
        rows.append((label, cold, warm))
    base = statistics.median(floor)
    print(f"Warm didChange → publishDiagnostics on NK (judgments.yaml), {args.runs} changes "
          f"each; target ≤ {TARGET_MS} ms warm.\n")
    print("| what | first diagnostics (cold) | warm median | warm p90 | × validate |")
    print("|---|---:|---:|---:|---:|")
    for label, cold, warm in rows:
        median = statistics.median(warm)
        print(f"| {label} | {cold * 1000:.0f} ms | {median * 1000:.0f} ms | "
              f"{p90(warm) * 1000:.0f} ms | {median / base:.1f} |")
    print(f"| baseline: `validate` in-process, same texts | – | {base * 1000:.0f} ms | "
          f"{p90(floor) * 1000:.0f} ms | 1.0 |")


if __name__ == "__main__":
    main()
