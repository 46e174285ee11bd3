"""The `cal-api-version` header: one path, several versions (BEHAVIOR.md §1.5).

A route declares the versions it serves with `versions(...)` in its `openapi_extra`, on a router
created with `route_class=VersionedRoute` (`create_app` refuses a route that declares versions
without it); the route class then matches a request only when the request's version is one of them, so the router falls
through to the next route registered for the same path. Routes without a declaration are
version-neutral. A missing or unknown header means `2024-04-15`, as in Cal.com.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

V2024_04_15 = "2024-04-15"
V2024_06_11 = "2024-06-11"
V2024_06_14 = "2024-06-14"
V2024_08_13 = "2024-08-13"
V2024_09_04 = "2024-09-04"
KNOWN_VERSIONS = frozenset({V2024_04_15, V2024_06_11, V2024_06_14, V2024_08_13, V2024_09_04})
DEFAULT_VERSION = V2024_04_15
HEADER = "cal-api-version"
_EXTRA_KEY = "x-cal-api-versions"
_HEADER_BYTES = HEADER.encode()


def request_version(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == _HEADER_BYTES:
            version = value.decode("latin-1").strip()
            return version if version in KNOWN_VERSIONS else DEFAULT_VERSION
    return DEFAULT_VERSION


def versions(*served: str, documented: str | None = None, required_description: str | None = None) -> dict[str, Any]:
    """`openapi_extra` for a versioned route; documents the header as the official document does."""
    unknown = set(served) - KNOWN_VERSIONS
    if unknown:
        raise ValueError(f"unknown cal-api-version values: {sorted(unknown)}")
    shown = documented or served[0]
    description = required_description or (
        f"Must be set to {shown}. If not set to this value, the endpoint will default to an older version."
    )
    return {
        _EXTRA_KEY: list(served),
        "parameters": [
            {
                "name": HEADER,
                "in": "header",
                "description": description,
                "required": True,
                "schema": {"type": "string", "default": shown},
            }
        ],
    }


def unversioned_routes(routes: Iterable[BaseRoute]) -> list[str]:
    """Routes that declare versions but are not `VersionedRoute`s (their router lacks
    `route_class=VersionedRoute`), which would silently answer for every version."""
    found: list[str] = []
    for route in routes:
        original = getattr(route, "original_router", None)  # an included router
        if original is not None:
            found.extend(unversioned_routes(original.routes))
        elif (getattr(route, "openapi_extra", None) or {}).get(_EXTRA_KEY) and not isinstance(route, VersionedRoute):
            found.append(f"{sorted(getattr(route, 'methods', []))} {getattr(route, 'path', '?')}")
    return found


class VersionedRoute(APIRoute):
    """An APIRoute that also matches on the `cal-api-version` header when it declares versions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        served: Iterable[str] | None = (self.openapi_extra or {}).get(_EXTRA_KEY)
        self.api_versions: frozenset[str] | None = frozenset(served) if served else None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is Match.NONE or self.api_versions is None:
            return match, child_scope
        if request_version(scope) in self.api_versions:
            return match, child_scope
        return Match.NONE, {}
