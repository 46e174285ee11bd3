"""A Cal.com API v2 server seen through one set of credentials: this server in-process, or any
Cal.com-compatible server over HTTP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from starlette.types import ASGIApp

REMOTE_TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class CalApiError(Exception):
    """The server answered with an error; `body` is its error envelope as received."""

    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body
        self.message = error_message(body) or f"HTTP {status}"
        super().__init__(self.message)


def error_message(body: Any) -> str | None:
    """The human message of a Cal.com error body (`error.message`, else a top-level `message`)."""
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    message = error.get("message") if isinstance(error, dict) else body.get("message")
    return message if isinstance(message, str) else None


def response_body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


class CalApi:
    def __init__(self, http: httpx.AsyncClient, headers: Mapping[str, str]) -> None:
        self._http = http
        self._headers = dict(headers)

    async def envelope(
        self,
        method: str,
        path: str,
        *,
        version: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> dict[str, Any]:
        """The whole success body (lists carry `pagination` beside `data`); CalApiError otherwise."""
        headers = dict(self._headers)
        if version:
            headers["cal-api-version"] = version
        response = await self._http.request(method, path, headers=headers, params=params, json=json)
        body = response_body(response)
        if response.status_code >= 400:
            raise CalApiError(response.status_code, body)
        return body if isinstance(body, dict) else {"data": body}

    async def request(
        self,
        method: str,
        path: str,
        *,
        version: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """The `data` of the success envelope."""
        return (await self.envelope(method, path, version=version, params=params, json=json)).get("data")


def bearer(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}


def in_process_client(app: ASGIApp, base_url: str) -> httpx.AsyncClient:
    """Requests served by `app` itself, without a network round trip."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, timeout=None)


def remote_client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, timeout=REMOTE_TIMEOUT)


def same_server(url: str, base_url: str) -> bool:
    """Whether `url` names the server at `base_url` (scheme, host and port; case-insensitive)."""
    a, b = httpx.URL(url.rstrip("/")), httpx.URL(base_url.rstrip("/"))
    return (a.scheme, a.host, a.port, a.path.rstrip("/")) == (b.scheme, b.host, b.port, b.path.rstrip("/"))
