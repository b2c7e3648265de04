"""How a route is declared once (path, parameters, body, answer) and run safely.

Each :class:`Endpoint` is both a Starlette route and its OpenAPI operation
(:mod:`kompass_core.service.openapi`), so the document cannot drift from the
code. :func:`handler` is the one boundary every request passes: the token
for writes, the body size limit, the time limit (the work runs in a thread)
and the mapping of every failure to a problem detail.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anyio
import attrs
from starlette.requests import Request
from starlette.responses import Response

from kompass_core import MAX_INPUT_BYTES, InputError, KompassError, Problem, Profile, Registry
from kompass_core.service.problems import from_error, internal, problem

BODY = "request body"
"""The name problems of a request's body are placed in (where the command line names a file)."""
JSON = "application/json"


@attrs.frozen
class Settings:
    """What ``kompass serve`` was started with; fixed for the server's life."""

    registry: Registry
    db: str | None = None
    """The store as given (a path, or whatever the store accepts); None: its default."""
    token: str | None = attrs.field(default=None, repr=False)
    time_limit: float = 30.0
    cors_origins: tuple[str, ...] = ()
    profiles: Mapping[str, Profile] = attrs.field(factory=dict)
    """The profiles the server was started with (``--profile FILE``), by name."""


@attrs.frozen
class Param:
    """A query parameter: its name, JSON Schema, and whether it is required or repeatable."""

    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False
    repeat: bool = False


@attrs.frozen
class Call:
    """One request as the work sees it: settings, body bytes, query and path values."""

    settings: Settings
    body: bytes
    query: Mapping[str, list[str]]
    path: Mapping[str, str]

    def one(self, name: str) -> str | None:
        """The last value of query parameter ``name``, if given."""
        values = self.query.get(name)
        return values[-1] if values else None

    def number(self, name: str, default: int, top: int) -> int:
        """Query parameter ``name`` as a whole number from 0 to ``top``, else ``default``."""
        text = self.one(name)
        if text is None:
            return default
        if not text.isdigit() or int(text) > top:
            raise InputError(Problem(f"{text[:40]} is not a whole number from 0 to {top}",
                                     keys=(name,)))
        return int(text)

    def year(self, name: str) -> int | None:
        """Query parameter ``name`` as a year (0 to 9999), if given."""
        text = self.one(name)
        if text is None:
            return None
        if not text.isdigit() or int(text) > 9999:
            raise InputError(Problem(f"{text[:40]} is not a year (0 to 9999)", keys=(name,)))
        return int(text)

    def text(self) -> str:
        """The body as UTF-8 text (a BOM is allowed), or one problem."""
        try:
            return self.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(Problem(f"not UTF-8 text (byte {exc.start})", file=BODY)) from None

    def json(self) -> Any:
        """The body parsed as JSON, or one problem naming the line."""
        try:
            return json.loads(self.text())
        except json.JSONDecodeError as exc:
            raise InputError(Problem(f"not valid JSON: {exc.msg}", file=BODY, line=exc.lineno)
                             ) from None


@attrs.frozen
class Reply:
    """What the work answers: the body and its media type."""

    body: str | bytes
    media_type: str = JSON


def json_reply(data: Any) -> Reply:
    """``data`` as indented UTF-8 JSON, as the command line prints it."""
    return Reply(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@attrs.frozen
class Endpoint:
    """One operation: where it is, what it takes, what it answers, and the work."""

    method: str
    path: str
    name: str
    summary: str
    work: Callable[[Call], Reply]
    query: tuple[Param, ...] = ()
    body: dict[str, Any] | None = None
    answers: Mapping[str, dict[str, Any]] = attrs.field(factory=lambda: {JSON: {}})
    write: bool = False


def _authorized(request: Request, settings: Settings) -> Response | None:
    """None if the request may write; else the problem (403 read-only, 401 no or bad token)."""
    if settings.token is None:
        return problem(403, "this server is read-only: start it with KOMPASS_TOKEN set to "
                            "allow writes")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                             settings.token.encode()):
        return problem(401, "writing needs the server's token: Authorization: Bearer TOKEN",
                       headers={"WWW-Authenticate": "Bearer"})
    return None


async def _body(request: Request) -> bytes | Response:
    """The body, or a 413 problem past the limit kompass sets for files (read no further)."""
    too_large = problem(413, f"{BODY}: larger than the limit of {MAX_INPUT_BYTES} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
        return too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            return too_large
        chunks.append(chunk)
    return b"".join(chunks)


def handler(endpoint: Endpoint, settings: Settings
            ) -> Callable[[Request], Any]:
    """The Starlette endpoint of ``endpoint``: checks, the work in a thread, problems."""
    where = f"{endpoint.method} {endpoint.path}"

    async def run(request: Request) -> Response:
        try:
            if endpoint.write and (refused := _authorized(request, settings)) is not None:
                return refused
            body = await _body(request) if endpoint.body is not None else b""
            if isinstance(body, Response):
                return body
            query = {k: request.query_params.getlist(k) for k in request.query_params}
            call = Call(settings, body, query, dict(request.path_params))
            check_query(call, endpoint.query)
            try:
                with anyio.fail_after(settings.time_limit):
                    reply = await anyio.to_thread.run_sync(endpoint.work, call,
                                                           abandon_on_cancel=True)
            except TimeoutError:
                return problem(503, f"the request took longer than the limit of "
                                    f"{settings.time_limit:g} s", headers={"Retry-After": "1"})
            return Response(reply.body, media_type=reply.media_type)
        except KompassError as err:
            return from_error(err)
        except Exception as exc:  # the last line of defence: no traceback for clients
            return internal(exc, where)

    return run


def check_query(call: Call, params: Sequence[Param]) -> None:
    """Refuse a missing required parameter or a value not among its choices, as argparse does."""
    for param in params:
        values = call.query.get(param.name, [])
        if param.required and not values:
            raise InputError(f"query parameter {param.name!r} is required")
        choices = param.schema.get("enum") or param.schema.get("items", {}).get("enum")
        for value in values if choices else ():
            if value not in choices:
                raise InputError(f"query parameter {param.name!r}: {value!r} is not one of "
                                 f"{', '.join(choices)}")
