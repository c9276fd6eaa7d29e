"""Structured logs: one JSON object per line, with the request id, and no personal data.

* ``RequestContextFilter`` adds ``request_id`` (from ``teilhabe.core.request_context``) to every record.
* ``JsonFormatter`` writes ``{"ts", "level", "logger", "msg", "request_id", ...}``. Query strings are cut
  from anything that looks like a URL (searches carry names there), e-mail addresses are masked, and for
  exceptions only the class and the frames (file, line, function) are written — never the exception text
  or local values, which may hold the data being processed.
* ``AccessLogMiddleware`` logs one line per request to ``teilhabe.access``: method, the *route pattern*
  (``staff/kiim/<int:pk>/``, not the path with ids), status and duration. No client address, no user name:
  the audit log holds who did what (DP-29), the operations log must not.

Settings: ``TEILHABE_LOG_FORMAT`` (``json`` or ``text``), ``TEILHABE_ACCESS_LOG`` (1 = on).
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

from teilhabe.core.request_context import current_request_meta

_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\"']*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
access_logger = logging.getLogger("teilhabe.access")


def scrub(text: str) -> str:
    """Remove query strings (to the end of the quoted part or line) and e-mail addresses from a log message."""
    return _EMAIL.sub("<e-mail>", _QUERY.sub(r"\1?<query>", text))


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_meta().request_id
        return True


class JsonFormatter(logging.Formatter):
    EXTRA = ("method", "route", "status", "duration_ms", "status_code")

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(message),
            "request_id": getattr(record, "request_id", "") or current_request_meta().request_id,
        }
        for key in self.EXTRA:
            value = getattr(record, key, None)
            if value is not None and not hasattr(value, "META"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["frames"] = [
                f"{frame.filename.rsplit('/site-packages/', 1)[-1]}:{frame.lineno}:{frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            ][-15:]
        return json.dumps(entry, ensure_ascii=False)


class AccessLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        access_logger.info(
            "%s %s %s",
            request.method,
            match.route if match is not None else "<unbekannt>",
            response.status_code,
            extra={
                "method": request.method,
                "route": match.route if match is not None else "",
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response
