"""Counters of the server, written in the Prometheus text exposition format (0.0.4)."""

from __future__ import annotations

import threading
from collections import Counter


class Metrics:
    """Requests by route and status, builds by result, build seconds, cache hits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.builds: Counter[tuple[str, str]] = Counter()
        self.build_seconds: Counter[str] = Counter()
        self.cache_hits = 0
        self.building = 0

    def request(self, route: str, status: int) -> None:
        with self._lock:
            self.requests[route, status] += 1

    def started(self) -> None:
        with self._lock:
            self.building += 1

    def build(self, brief: str, result: str, seconds: float) -> None:
        with self._lock:
            self.building -= 1
            self.builds[brief, result] += 1
            self.build_seconds[brief] += seconds

    def hit(self) -> None:
        with self._lock:
            self.cache_hits += 1

    def text(self) -> str:
        with self._lock:
            lines = [
                "# HELP briefing_requests_total HTTP requests answered, by route and status.",
                "# TYPE briefing_requests_total counter",
                *(f'briefing_requests_total{{route="{route}",status="{status}"}} {count}'
                  for (route, status), count in sorted(self.requests.items())),
                "# HELP briefing_builds_total Builds run, by brief and result "
                "(built, up to date, invalid, failed, error, cancelled).",
                "# TYPE briefing_builds_total counter",
                *(f'briefing_builds_total{{brief="{_label(brief)}",result="{result}"}} {count}'
                  for (brief, result), count in sorted(self.builds.items())),
                "# HELP briefing_build_seconds Time spent building, by brief.",
                "# TYPE briefing_build_seconds summary",
            ]
            for brief, seconds in sorted(self.build_seconds.items()):
                runs = sum(n for (b, _), n in self.builds.items() if b == brief)
                lines += [f'briefing_build_seconds_sum{{brief="{_label(brief)}"}} {seconds:.6f}',
                          f'briefing_build_seconds_count{{brief="{_label(brief)}"}} {runs}']
            lines += ["# HELP briefing_cache_hits_total Outputs served without a build.",
                      "# TYPE briefing_cache_hits_total counter",
                      f"briefing_cache_hits_total {self.cache_hits}",
                      "# HELP briefing_builds_in_progress Builds running now.",
                      "# TYPE briefing_builds_in_progress gauge",
                      f"briefing_builds_in_progress {self.building}"]
        return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
