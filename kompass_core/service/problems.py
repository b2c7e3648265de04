"""Errors as RFC 9457 problem details: the command line's one-line messages, never a traceback.

Every response that is not a success goes through :func:`problem`, so a
client sees one shape (``application/problem+json``) whatever failed, and
each of kompass's :class:`~kompass_core.Problem` keeps its key path, line
and the exact line the command line prints.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.responses import Response

from kompass_core import KompassError, Problem

MEDIA_TYPE = "application/problem+json"
LOG = logging.getLogger("kompass.service")

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
          405: "Method not allowed", 413: "Content too large", 415: "Unsupported media type",
          422: "Invalid input", 500: "Internal error", 503: "Service unavailable"}
"""The title of each status this service answers with (RFC 9457 ``title``)."""

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object",
            "required": ["message", "path", "text"],
            "properties": {
                "message": {"type": "string"},
                "path": {"type": "string"},
                "line": {"type": ["integer", "null"]},
                "text": {"type": "string"},
            },
        }},
    },
}
"""The JSON Schema of every problem body (declared in the OpenAPI document)."""


def problem(status: int, detail: str, problems: Sequence[Problem] = (),
            headers: Mapping[str, str] | None = None) -> Response:
    """A problem-details response; ``problems`` become its ``errors`` list."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
            "detail": detail,
            "errors": [{"message": p.message, "path": p.path, "line": p.line, "text": str(p)}
                       for p in problems]}
    return Response(json.dumps(body, ensure_ascii=False, indent=2) + "\n", status,
                    headers=dict(headers or {}), media_type=MEDIA_TYPE)


def from_error(err: KompassError) -> Response:
    """An input error (422): one line per problem, as the command line prints them."""
    return problem(422, "\n".join(str(p) for p in err.problems), err.problems)


def internal(exc: BaseException, where: str) -> Response:
    """A bug: logged with its frames but not its message (it may hold user data); a plain 500."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    LOG.error("internal error in %s: %s\n%s", where, type(exc).__name__, frames)
    return problem(500, "an internal error happened; it is logged on the server (a bug: "
                        "please report it)")
