"""Open-loop HTTP load driver shared by the page and search benchmarks.

Requests leave at arrival times fixed in advance (``start + i / rate``), whether or not earlier answers have
come back, so a slow server cannot slow the driver down and hide its own queueing ("coordinated omission").
Latency is measured from the *scheduled* send time to the last byte of the answer.

Use from a script::

    from benchmarks.loaddriver import run_open_loop, highest_rate
    report = run_open_loop(["http://127.0.0.1:8107/angebote/?q=Kita", ...], rate=100, duration=60)
    print(report.summary())

or from the shell: ``python benchmarks/loaddriver.py URLFILE --rate 100 --duration 60`` (one URL a line).
Each request opens its own connection (``Connection: close``), like gunicorn's sync workers expect.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT_S = 10.0


@dataclass
class LoadReport:
    rate: float  # requested arrival rate, requests per second
    duration: float  # seconds of arrivals
    latencies_ms: list[float] = field(default_factory=list)  # successful answers only
    errors: int = 0  # non-2xx answers, timeouts, refused connections
    error_kinds: Counter[str] = field(default_factory=Counter)  # "HTTP 404", "timeout", "connection" → count
    sent: int = 0
    wall_s: float = 0.0  # from the first arrival to the last answer
    send_span_s: float = 0.0  # from the first to the last actual send
    max_lateness_ms: float = 0.0  # how far the driver itself fell behind its schedule
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        values = sorted(self.latencies_ms)
        return values[min(len(values) - 1, int(q * len(values)))]

    @property
    def achieved_rate(self) -> float:
        """Answers per second over the whole run (sent / time until the last answer)."""
        return (len(self.latencies_ms) + self.errors) / self.wall_s if self.wall_s else 0.0

    def holds(self, p95_ms: float) -> bool:
        return self.errors == 0 and self.percentile(0.95) <= p95_ms

    def summary(self) -> str:
        return (
            f"rate {self.rate:.0f}/s for {self.duration:.0f} s: {self.sent} sent, {self.errors} errors"
            f"{' (' + ', '.join(f'{k} {n}' for k, n in self.error_kinds.most_common()) + ')' if self.errors else ''}, "
            f"p50 {self.percentile(0.5):.0f} ms, p95 {self.percentile(0.95):.0f} ms, "
            f"p99 {self.percentile(0.99):.0f} ms, achieved {self.achieved_rate:.1f}/s "
            f"(driver lag max {self.max_lateness_ms:.0f} ms), "
            f"load average {self.load_before[0]:.2f} → {self.load_after[0]:.2f}"
        )


async def _one(url: str, scheduled: float, report: LoadReport, headers: dict[str, str]) -> None:
    loop = asyncio.get_running_loop()
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n{extra}\r\n".encode()
    try:
        async with asyncio.timeout(TIMEOUT_S):
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            writer.write(request)
            await writer.drain()
            data = await reader.read()
            writer.close()
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
        kind = f"HTTP {status}" if status else "no answer"
    except TimeoutError:
        status, kind = 0, f"timeout {TIMEOUT_S:.0f} s"
    except (OSError, ValueError, IndexError) as error:
        status, kind = 0, type(error).__name__
    if 200 <= status < 300:
        report.latencies_ms.append((loop.time() - scheduled) * 1000)
    else:
        report.errors += 1
        report.error_kinds[kind] += 1


async def _run(urls: list[str], rate: float, duration: float, headers: dict[str, str]) -> LoadReport:
    loop = asyncio.get_running_loop()
    report = LoadReport(rate=rate, duration=duration, load_before=os.getloadavg())
    count = int(rate * duration)
    start = loop.time() + 0.2
    tasks = []
    first_sent = last_sent = 0.0
    for i in range(count):
        scheduled = start + i / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        now = loop.time()
        report.max_lateness_ms = max(report.max_lateness_ms, (now - scheduled) * 1000)
        first_sent = first_sent or now
        last_sent = now
        tasks.append(asyncio.create_task(_one(urls[i % len(urls)], scheduled, report, headers)))
        report.sent += 1
    await asyncio.gather(*tasks)
    report.wall_s = loop.time() - start
    report.send_span_s = last_sent - first_sent
    report.load_after = os.getloadavg()
    return report


def run_open_loop(urls: list[str], rate: float, duration: float, headers: dict[str, str] | None = None) -> LoadReport:
    """Send ``rate × duration`` GET requests to ``urls`` (in order, wrapping) at fixed arrival times."""
    if not urls:
        raise ValueError("no URLs")
    return asyncio.run(_run(urls, rate, duration, headers or {}))


def highest_rate(
    make_urls: object,
    *,
    p95_ms: float = 150.0,
    start: float = 50.0,
    step: float = 25.0,
    limit: float = 400.0,
    duration: float = 10.0,
    pause: float = 2.0,
    headers: dict[str, str] | None = None,
) -> tuple[float, list[LoadReport]]:
    """Raise the fixed rate in ``step``s until p95 > ``p95_ms`` or an error; returns the last rate that held.

    ``make_urls(count)`` must return ``count`` fresh URLs for each step (so distinct queries stay distinct).
    """
    reports = []
    best = 0.0
    rate = start
    while rate <= limit:
        report = run_open_loop(make_urls(int(rate * duration)), rate, duration, headers)  # type: ignore[operator]
        reports.append(report)
        print("  " + report.summary(), flush=True)
        if not report.holds(p95_ms):
            break
        best = rate
        rate += step
        time.sleep(pause)
    return best, reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urlfile", help="file with one absolute URL a line")
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--duration", type=float, default=60.0)
    args = parser.parse_args()
    with open(args.urlfile, encoding="utf-8") as handle:
        urls = [line.strip() for line in handle if line.strip()]
    print(run_open_loop(urls, args.rate, args.duration).summary())


if __name__ == "__main__":
    main()
