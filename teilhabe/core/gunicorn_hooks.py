"""gunicorn hooks for the web process (loaded by deploy/gunicorn.conf.py before Django is set up).

Memory: a register import is checked and committed inside the web worker that received the upload, which
loads DuckDB and pyarrow into it (the soak of issue 16: +28 % after one import). CPython rarely gives such
memory back, so a worker that a request left more than ``TEILHABE_WEB_RECYCLE_GROWTH`` per cent (default 10;
0 = never) above its warm figure finishes its open requests and exits; the master forks a fresh one at once
(with ``preload_app`` from its already loaded application, so the new worker answers within milliseconds).
The warm figure is taken after ``WARM_REQUESTS`` requests, when the per-process caches (offer cards, option
lists, the search index's patches) are filled, so normal warm-up never triggers a restart. Same rule as the
task worker's (docs/decisions/0160-process-recycling.md).
"""

from __future__ import annotations

import os
from typing import Any

import psutil

GROWTH = float(os.environ.get("TEILHABE_WEB_RECYCLE_GROWTH", "10"))
WARM_REQUESTS = 200
# The bounded per-process caches (stored fragments, language links, templates) go on filling after the warm
# figure is taken when traffic spreads over many pages: measured +16 MB (+9 %) between the 200th and the
# 1,800th request of one worker over all public pages, which replaced workers again and again under plain
# public traffic (issue 17: p95 854 ms instead of 43 ms). A register import adds far more (DuckDB, pyarrow).
SLACK_BYTES = 32 * 2**20


def _resident() -> int:
    return int(psutil.Process().memory_info().rss)


def post_fork(server: Any, worker: Any) -> None:
    worker.teilhabe_requests = 0
    worker.teilhabe_warm_rss = 0


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    if not GROWTH:
        return
    worker.teilhabe_requests = getattr(worker, "teilhabe_requests", 0) + 1
    if worker.teilhabe_requests == WARM_REQUESTS:
        worker.teilhabe_warm_rss = _resident()
        return
    warm = getattr(worker, "teilhabe_warm_rss", 0)
    if warm and _resident() > warm * (1 + GROWTH / 100) + SLACK_BYTES:
        worker.log.info("Web-Worker %s über %.0f %% Speicherzuwachs: wird ersetzt.", worker.pid, GROWTH)
        worker.alive = False
