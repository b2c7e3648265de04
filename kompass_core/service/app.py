"""The ASGI application of ``kompass serve``, and running it with uvicorn.

Plugins are loaded once, when the app is made: a plugin that fails is
disabled (as on the command line) and ``/health`` says so. CORS is off
unless origins are given; the bind address defaults to loopback.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kompass_core import Profile, Registry, default_registry, load_profile, unstructure
from kompass_core.service import engine, store, teams
from kompass_core.service.endpoints import Call, Endpoint, Reply, Settings, handler, json_reply
from kompass_core.service.openapi import document
from kompass_core.service.problems import problem

TOKEN_VARIABLE = "KOMPASS_TOKEN"


def _version() -> str:
    import kompass_core

    return str(kompass_core.__version__)


def _health(call: Call) -> Reply:
    registry = call.settings.registry
    return json_reply({"status": "ok", "version": _version(),
                       "plugins": unstructure(registry.plugins()),
                       "problems": [f"plugin {name!r} {reason}"
                                    for name, reason in sorted(registry.problems.items())]
                       + list(registry.skipped)})


def endpoints() -> list[Endpoint]:
    """Every operation of the service, in the order the document lists them."""
    return [Endpoint("GET", "/health", "health",
                     "Liveness, version, and each plugin's status (a failed one is disabled)",
                     _health, answers={"application/json": {"type": "object"}}),
            *engine.endpoints(), *teams.endpoints(), *store.endpoints()]


def create_app(registry: Registry | None = None, *, db: str | Path | None = None,
               token: str | None = None, time_limit: float = 30.0,
               cors_origins: tuple[str, ...] = (), profiles: Sequence[Profile] = ()) -> Any:
    """The kompass ASGI app (a Starlette application), ready for any ASGI server.

    ``registry`` defaults to the installed one, loaded now; ``db`` is the
    results store (default: the command line's); ``token`` allows writes
    (default: ``$KOMPASS_TOKEN``; without one the store is read-only);
    ``profiles`` are the weighting profiles ``POST /score?profile=NAME`` may name.
    """
    token = token if token is not None else os.environ.get(TOKEN_VARIABLE) or None
    registry = registry or default_registry()
    registry.plugins()  # load every plugin now: a failure shows at start and in /health
    settings = Settings(registry, str(db) if db is not None else None, token, time_limit,
                        cors_origins, {p.name: p for p in profiles})
    made: dict[str, Reply] = {}
    operations = [*endpoints(), Endpoint("GET", "/openapi.json", "openapi",
                                         "This OpenAPI 3.1 document", lambda _: made["doc"],
                                         answers={"application/json": {"type": "object"}})]
    made["doc"] = json_reply(document(operations, _version()))
    routes = [Route(e.path, handler(e, settings), methods=[e.method], name=e.name)
              for e in operations]

    async def http_error(_request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return problem(status, str(exc.detail) if isinstance(exc, HTTPException) else "error",
                       headers=getattr(exc, "headers", None))

    middleware = [Middleware(CORSMiddleware, allow_origins=list(cors_origins),
                             allow_methods=["GET", "POST", "DELETE"],
                             allow_headers=["Authorization", "Content-Type"])] \
        if cors_origins else []
    return Starlette(routes=routes, middleware=middleware,
                     exception_handlers={HTTPException: http_error})


def serve(host: str = "127.0.0.1", port: int = 8000, *, db: str | Path | None = None,
          cors_origins: tuple[str, ...] = (), time_limit: float = 30.0,
          profiles: Sequence[str | Path] = ()) -> None:
    """Run the service with uvicorn until interrupted (``kompass serve``); ``profiles`` are
    profile files, read once now."""
    import uvicorn

    app = create_app(db=db, cors_origins=cors_origins, time_limit=time_limit,
                     profiles=[load_profile(p) for p in profiles])
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
