"""Structured logs: one JSON object per line on stdout, each carrying the request id and user id.

docs/admin/deploy.md, Logs. ``LOG_FORMAT=json`` (the default with DEBUG off) formats every record
with ``JsonFormatter``; ``RequestLogMiddleware`` gives each request an id (the ``X-Request-ID``
nginx sends, when it is a plain token, else a new one), answers it in the ``X-Request-ID`` header,
and writes one ``request`` line when the answer leaves: method, view name, status, duration, the
staff user's numeric id. No names, no query strings, no form data, no card numbers: what could
identify a reader stays out of the logs (PDPA); a path's numeric ids are the only references.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("bkklib_request_id", default="")
user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar("bkklib_user_id", default=None)

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
_TOKEN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Attributes every LogRecord has; anything else was passed in ``extra=`` and goes into the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}

logger = logging.getLogger("bkklib.request")


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time (UTC), level, logger, message, request and user id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if rid := request_id.get():
            line["request_id"] = rid
        if (uid := user_id.get()) is not None:
            line["user_id"] = uid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def new_request_id(sent: str | None) -> str:
    """Return the id a proxy sent when it is a plain token, else a fresh one."""
    if sent and _TOKEN.match(sent):
        return sent
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Give each request an id, answer it in ``X-Request-ID``, log one line per request (after auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = new_request_id(request.META.get(REQUEST_ID_HEADER))
        request.request_id = rid
        rid_token, uid_token = request_id.set(rid), user_id.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                user_id.set(user.pk)
            match = getattr(request, "resolver_match", None)
            logger.info("request", extra={
                "method": request.method, "view": match.view_name if match else None,
                "status": response.status_code, "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            })
            response["X-Request-ID"] = rid
            return response
        finally:
            request_id.reset(rid_token)
            user_id.reset(uid_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Once authentication ran: lines logged while the view works carry the staff user's id too."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id.set(user.pk)


def logging_config(*, level: str, fmt: str) -> dict:
    """Return Django's LOGGING: JSON lines (``fmt="json"``) or plain text on stdout at ``level``."""
    formatter = {"()": "bkklib.core.logs.JsonFormatter"} if fmt == "json" else {
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                                 "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own request and server loggers would repeat each 4xx/5xx with the path; the
            # request line above already says it (and errors still come through with a traceback).
            "django.server": {"level": "ERROR"},
            # A handler of its own: run_huey then adds none in its format (each line would come twice).
            "huey": {"level": level, "handlers": ["console"], "propagate": False},
        },
    }
