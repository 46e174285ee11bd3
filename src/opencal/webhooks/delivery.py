"""One delivery attempt: the request Cal.com would send (BEHAVIOR.md §5.3) and its outcome."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from opencal import __version__
from opencal.core.envelope import iso_utc
from opencal.webhooks.template import compact_json, render

JSON_CONTENT = "application/json"
FORM_CONTENT = "application/x-www-form-urlencoded"
NO_SECRET = "no-secret-provided"
SIGNATURE_HEADER = "X-Cal-Signature-256"
VERSION_HEADER = "X-Cal-Webhook-Version"
USER_AGENT = f"opencal-webhooks/{__version__}"
EXCERPT_CHARS = 1000


@dataclass(frozen=True, slots=True)
class OutgoingRequest:
    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    status_code: int | None
    duration_ms: int
    response_excerpt: str | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def build_request(
    *,
    subscriber_url: str,
    secret: str | None,
    payload_template: str | None,
    version: str,
    trigger: str,
    created_at: datetime,
    payload: dict[str, Any],
) -> OutgoingRequest:
    created = iso_utc(created_at)
    content_type = JSON_CONTENT
    if payload_template:
        # The template decides the content type: JSON when the template itself parses as JSON.
        template_is_json = _js_truthy(_parse_json(payload_template))
        rendered = render(payload_template, {**payload, "triggerEvent": trigger, "createdAt": created})
        if template_is_json:
            # Re-serialised, so the body is compact JSON; text that no longer parses becomes `false`.
            rendered = compact_json(_parse_json(rendered))
        else:
            content_type = FORM_CONTENT
        body = rendered
    else:
        body = compact_json({"triggerEvent": trigger, "createdAt": created, "payload": payload})
    raw = body.encode()
    return OutgoingRequest(
        url=subscriber_url,
        body=raw,
        headers={
            "Content-Type": content_type,
            SIGNATURE_HEADER: sign(secret, raw),
            VERSION_HEADER: version,
        },
    )


def sign(secret: str | None, body: bytes) -> str:
    """Lowercase hex HMAC-SHA256 of the raw body, or Cal.com's marker when the webhook has no secret."""
    if not secret:
        return NO_SECRET
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def send(client: httpx.AsyncClient, request: OutgoingRequest, *, timeout_seconds: float) -> AttemptOutcome:
    """POST once, never following redirects, keeping the start of the answer."""
    started = time.perf_counter()
    try:
        async with client.stream(
            "POST", request.url, content=request.body, headers=request.headers, timeout=timeout_seconds
        ) as response:
            excerpt = await _excerpt(response)
            status: int | None = response.status_code
            error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        status, excerpt, error = None, None, f"{type(exc).__name__}: {exc}".rstrip(": ")
    return AttemptOutcome(
        status_code=status,
        duration_ms=round((time.perf_counter() - started) * 1000),
        response_excerpt=excerpt,
        error=error,
    )


def new_http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(follow_redirects=False, headers={"User-Agent": USER_AGENT})


async def _excerpt(response: httpx.Response) -> str | None:
    limit = EXCERPT_CHARS * 4  # bytes enough for EXCERPT_CHARS characters of UTF-8
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    text = b"".join(chunks)[:limit].decode(response.encoding or "utf-8", errors="replace")
    return text[:EXCERPT_CHARS] or None


def _parse_json(text: str) -> Any:
    """`JSON.parse`, or False when the text is not JSON (as Cal.com's helper answers)."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _js_truthy(value: Any) -> bool:
    if value is None or value is False or value == "":
        return False
    return not (isinstance(value, int | float) and not isinstance(value, bool) and value == 0)
