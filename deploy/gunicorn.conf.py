"""gunicorn settings of the web process — the one configuration used by deploy/teilhabe-web.service,
scripts/stack_test.py and the benchmarks (decision 0110). Command-line options override it (the tests pass
their own ``--bind``).

``preload_app``: the master imports the platform and loads what every request reads (the directory's search
index, decision 0061) *before* it forks the workers, so a worker answers its first request at once and the
workers share those pages copy-on-write instead of each reading two million index rows under traffic.
Consequence: ``systemctl reload`` (HUP) restarts the workers from the master's loaded code; after a code
update use ``systemctl restart``.
"""

from __future__ import annotations

import os
from typing import Any

# Web workers give memory back: replaced when a request left them >10 % above their warm memory (decision 0160).
from teilhabe.core.gunicorn_hooks import post_fork, post_request  # noqa: F401 - gunicorn reads these names

bind = os.environ.get("TEILHABE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TEILHABE_WEB_WORKERS", "2"))
threads = 4
timeout = 120
graceful_timeout = 30
forwarded_allow_ips = "127.0.0.1"
backlog = 2048
preload_app = True


def when_ready(server: Any) -> None:
    """In the master, after the application is imported and before the first worker is forked."""
    from teilhabe.directory.searchmemory import preload

    preload(server.log)
