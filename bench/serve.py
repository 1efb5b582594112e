"""Benchmark `briefing serve`: throughput, latency, edits under load, memory.

Starts `python -m briefing serve` on a free loopback port over a copy of the NK
brief, then, with CLIENTS concurrent keep-alive clients (threads spread over a few
client processes):

1. cached: REQUESTS GETs of /b/nk-russia.pdf: requests/s, p50, p99, errors;
   the server's RSS after the first 1,000 and after all 10,000 requests;
2. edited: the same clients for EDITS seconds while brief.yaml is replaced (atomically,
   as editors save) once a second with a new title: errors, torn bodies (a body whose
   length is not its Content-Length, or a PDF that does not parse), and builds per edit
   (from /metrics).

The client processes run at nice 10: on one 2-core machine the load generator would
otherwise starve the server and its build worker of the CPU they would have on their
own machine. Bounded loops only, loopback only. Prints a Markdown table.

Usage: python bench/serve.py [--clients 50] [--requests 10000] [--edits 10]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PDF = "/b/nk-russia.pdf"
TITLE = "title: The North Korea–Russia Alliance"


def client(port: int, threads: int, requests: int, results: multiprocessing.Queue,
           start: multiprocessing.Event, stop: multiprocessing.Event) -> None:
    """`threads` keep-alive clients sharing a budget of `requests` GETs (or until `stop`)."""
    os.nice(10)  # the load generator shares the 2 cores: the server and its builds go first
    budget = threading.Semaphore(requests)
    out: list = []
    lock = threading.Lock()

    def run() -> None:
        latencies, errors, bodies = [], [], {}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while not stop.is_set() and budget.acquire(blocking=False):
            began = time.perf_counter()
            try:
                conn.request("GET", PDF)
                response = conn.getresponse()
                body = response.read()
                latencies.append(time.perf_counter() - began)
                length = int(response.getheader("Content-Length", "-1"))
                if response.status != 200:
                    errors.append(f"HTTP {response.status}")
                elif len(body) != length:
                    errors.append(f"torn: {len(body)} of {length} bytes")
                else:
                    bodies.setdefault(hashlib.sha256(body).hexdigest(), body)
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.close()
        with lock:
            out.append((latencies, errors, bodies))

    start.wait()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies = [x for lat, _, _ in out for x in lat]
    errors = [x for _, err, _ in out for x in err]
    bodies = {k: v for _, _, b in out for k, v in b.items()}
    results.put((latencies, errors, bodies))


def load(port: int, clients: int, requests: int, stop: multiprocessing.Event | None = None):
    """Run `clients` clients over a few processes; (seconds, latencies, errors, bodies)."""
    processes = min(4, clients)
    start = multiprocessing.Event()
    stop = stop or multiprocessing.Event()
    results: multiprocessing.Queue = multiprocessing.Queue()
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    budgets = [requests // processes + (i < requests % processes) for i in range(processes)]
    procs = [multiprocessing.Process(target=client, args=(port, n, b, results, start, stop))
             for n, b in zip(shares, budgets, strict=True)]
    for proc in procs:
        proc.start()
    began = time.perf_counter()
    start.set()
    gathered = [results.get(timeout=600) for _ in procs]
    seconds = time.perf_counter() - began
    for proc in procs:
        proc.join(timeout=60)
    latencies = [x for lat, _, _ in gathered for x in lat]
    errors = [x for _, err, _ in gathered for x in err]
    bodies = {k: v for _, _, b in gathered for k, v in b.items()}
    return seconds, latencies, errors, bodies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path)
    body = conn.getresponse().read()
    conn.close()
    return body


def builds(port: int) -> tuple[int, float]:
    """Builds that rendered the NK brief so far, and the seconds spent in all its builds."""
    text = get(port, "/metrics").decode()
    built = re.search(r'briefing_builds_total\{brief="nk-russia",result="built"\} (\d+)', text)
    spent = re.search(r'briefing_build_seconds_sum\{brief="nk-russia"\} ([\d.]+)', text)
    return int(built.group(1)) if built else 0, float(spent.group(1)) if spent else 0.0


def parse(bodies: dict[str, bytes]) -> tuple[list[str], set[str]]:
    """Digests of PDF bodies that do not parse (each distinct body is parsed once, with
    every page's text extracted), and the titles of those that do."""
    from pypdf import PdfReader

    bad, titles = [], set()
    for digest, body in bodies.items():
        try:
            reader = PdfReader(io.BytesIO(body), strict=True)
            assert all(page.extract_text() for page in reader.pages)
            titles.add(reader.metadata.title)
        except Exception:  # noqa: BLE001 - any failure to parse is a torn body
            bad.append(digest[:12])
    return bad, titles


def edit_loop(brief: Path, edits: int, done: threading.Event, made: list[int]) -> None:
    text = brief.read_text("utf-8")
    for n in range(1, edits + 1):
        if done.wait(1.0):
            return
        temp = brief.with_name(".brief.yaml.tmp")
        temp.write_text(text.replace(TITLE, f"{TITLE} (edit {n})"), "utf-8")
        os.replace(temp, brief)  # as editors save: the server never sees half a file
        made.append(n)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    for name in ("layouts", "seeds"):
        shutil.copytree(ROOT / name, work / name)
    shutil.copytree(ROOT / "content" / "nk-russia", work / "content" / "nk-russia")
    log = (work / "access.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", "content", "--port", "0"],
        cwd=work, stdout=subprocess.PIPE, stderr=log, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        line = server.stdout.readline()
        port = int(re.search(r":(\d+)/", line).group(1))
        get(port, PDF)  # built and cached

        warm = min(1_000, args.requests)
        _, first_latencies, first_errors, _ = load(port, args.clients, warm)
        rss_1k = rss_kib(server.pid)
        seconds, latencies, errors, _ = load(port, args.clients, args.requests - warm)
        rss_10k = rss_kib(server.pid)
        latencies, errors = first_latencies + latencies, first_errors + errors
        rate = (args.requests - warm) / seconds if seconds else 0

        before = builds(port)
        stop, done, made = multiprocessing.Event(), threading.Event(), []
        editor = threading.Thread(target=edit_loop, args=(
            work / "content" / "nk-russia" / "brief.yaml", args.edits, done, made))
        editor.start()
        box: list = []
        loader = threading.Thread(target=lambda: box.append(
            load(port, args.clients, 10**9, stop)))
        loader.start()
        editor.join()
        get(port, PDF)  # the last edit is built before the count
        time.sleep(1.0)  # and the clients get a second to fetch it
        stop.set()
        loader.join()
        done.set()
        e_seconds, e_latencies, e_errors, e_bodies = box[0]
        after = builds(port)
        built, build_seconds = after[0] - before[0], after[1] - before[1]
        bad, titles = parse(e_bodies)
        editions = {int(m.group(1)) for t in titles if (m := re.search(r"\(edit (\d+)\)", t))}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        stopped = server.returncode
        shutil.rmtree(work, ignore_errors=True)

    print(f"## briefing serve: {args.clients} clients, loopback, {os.cpu_count()} cores\n")
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| cached PDF: requests | {len(latencies)}: {warm} to warm up, then "
          f"{args.requests - warm} in {seconds:.1f} s |")
    print(f"| cached PDF: requests/s | {rate:.0f} |")
    print(f"| cached PDF: p50 / p99 latency | {percentile(latencies, 0.5) * 1000:.1f} ms / "
          f"{percentile(latencies, 0.99) * 1000:.1f} ms |")
    print(f"| cached PDF: errors | {len(errors)} |")
    print(f"| server RSS after 1,000 / {args.requests:,} requests | {rss_1k / 1024:.1f} MiB / "
          f"{rss_10k / 1024:.1f} MiB ({(rss_10k - rss_1k) / rss_1k * 100:+.1f} %) |")
    print(f"| edited once a second: edits | {len(made)} |")
    print(f"| edited: requests, requests/s | {len(e_latencies)}, "
          f"{len(e_latencies) / e_seconds:.0f} |")
    print(f"| edited: p50 / p99 latency | {percentile(e_latencies, 0.5) * 1000:.1f} ms / "
          f"{percentile(e_latencies, 0.99) * 1000:.1f} ms |")
    print(f"| edited: errors | {len(e_errors)} |")
    print(f"| edited: distinct PDF bodies, torn | {len(e_bodies)}, {len(bad)} |")
    print(f"| edited: editions seen by clients | {len(editions)} of {len(made)} |")
    print(f"| edited: builds per edit | {built} / {len(made)} = "
          f"{built / max(1, len(made)):.2f} |")
    print(f"| edited: mean build time | {build_seconds / max(1, built):.2f} s |")
    print(f"| server exit code after SIGTERM | {stopped} |")
    if errors or e_errors:
        print("\nerrors:", sorted(set(errors + e_errors))[:10])
    print(f"\nmedian latency all phases: {statistics.median(latencies + e_latencies) * 1000:.1f}"
          " ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
