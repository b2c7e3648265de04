"""The OpenAPI 3.1 document, built from the same :class:`Endpoint` list as the routes.

Nothing is declared twice: a route added to the app is in the document,
and tests/test_service.py checks both ways.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from kompass_core.service.endpoints import Endpoint
from kompass_core.service.problems import MEDIA_TYPE, SCHEMA as PROBLEM


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    params: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", endpoint.path)]
    params += [{"name": p.name, "in": "query", "required": p.required,
                "description": p.description, "schema": p.schema,
                **({"style": "form", "explode": True} if p.repeat else {})}
               for p in endpoint.query]
    operation: dict[str, Any] = {
        "operationId": endpoint.name, "summary": endpoint.summary,
        "responses": {
            "200": {"description": "success",
                    "content": {media: {"schema": schema}
                                for media, schema in endpoint.answers.items()}},
            "default": {"description": "a problem (RFC 9457)",
                        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/"
                                                            "Problem"}}}}}}
    if params:
        operation["parameters"] = params
    if endpoint.body is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": endpoint.body}}}
    if endpoint.write:
        operation["security"] = [{"bearer": []}]
    return operation


def document(endpoints: Sequence[Endpoint], version: str) -> dict[str, Any]:
    """The OpenAPI document of ``endpoints``."""
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {"title": "kompass", "version": version,
                 "description": "The kompass engine over HTTP (docs/service.md)."},
        "paths": paths,
        "components": {"schemas": {"Problem": PROBLEM},
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
