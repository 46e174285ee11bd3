"""Rate limits per credential (BEHAVIOR.md §1.6), as a pure ASGI middleware.

Each request is counted against one bucket per window, chosen from the raw headers alone (no
database query): the API key's hash, the OAuth client id (`x-cal-client-id`, or the `{clientId}`
of `/v2/oauth-clients/...` and `/v2/oauth/...` when a client secret is sent), the access token's
hash, else the client's IP address. Counters live in memory, or in Redis when `redis_url` is set,
so that several server processes share one budget. Every response carries
`X-RateLimit-Limit-Default`, `X-RateLimit-Remaining-Default` and `X-RateLimit-Reset-Default`
(seconds until the window resets); past the limit the answer is 429 in Cal.com's error envelope.
If the counter store fails, requests are let through (and the failure logged) rather than refused.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Literal

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opencal.config import Settings
from opencal.core.errors import TooManyRequests
from opencal.core.http import error_response
from opencal.core.security import hash_api_key, sha256_hex

log = logging.getLogger("opencal.ratelimit")

Bucket = Literal["api_key", "oauth_client", "access_token", "anonymous"]
THROTTLED_MESSAGE = "Too many requests. Please try again later."
LIMIT_HEADER = "X-RateLimit-Limit-Default"
REMAINING_HEADER = "X-RateLimit-Remaining-Default"
RESET_HEADER = "X-RateLimit-Reset-Default"
EXPOSED_HEADERS = [LIMIT_HEADER, REMAINING_HEADER, RESET_HEADER, "Retry-After"]
_CLIENT_PATH = re.compile(r"^/v2/oauth(?:-clients)?/([^/]+)")
_FAILURE_LOG_INTERVAL_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (LIMIT_HEADER.encode(), str(self.limit).encode()),
            (REMAINING_HEADER.encode(), str(self.remaining).encode()),
            (RESET_HEADER.encode(), str(self.reset_seconds).encode()),
        ]


def classify(scope: Scope, api_key_prefix: str) -> tuple[Bucket, str]:
    """The bucket a request counts against and its identity within that bucket."""
    authorization = client_id = secret = None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            authorization = value.decode("latin-1").strip()
        elif name == b"x-cal-client-id":
            client_id = value.decode("latin-1").strip()
        elif name == b"x-cal-secret-key":
            secret = value
    if authorization:
        token = authorization[7:].strip() if authorization[:7].lower() == "bearer " else authorization
        if token.startswith(("cal_", api_key_prefix)):
            return "api_key", hash_api_key(token, api_key_prefix)
        return "access_token", sha256_hex(token)
    if client_id:
        return "oauth_client", client_id
    if secret and (match := _CLIENT_PATH.match(scope.get("path", ""))):
        return "oauth_client", match.group(1)
    client = scope.get("client")
    return "anonymous", client[0] if client else "unknown"


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self._settings = settings
        window = settings.rate_limit_window_seconds
        self._items: dict[Bucket, RateLimitItem] = {
            "api_key": RateLimitItemPerSecond(settings.rate_limit_api_key, window),
            "oauth_client": RateLimitItemPerSecond(settings.rate_limit_oauth_client, window),
            "access_token": RateLimitItemPerSecond(settings.rate_limit_access_token, window),
            "anonymous": RateLimitItemPerSecond(settings.rate_limit_anonymous, window),
        }
        self._storage: Storage | None = None
        self._last_failure_log = 0.0

    def _store(self) -> Storage:
        # Created on first use, inside the server's event loop (the Redis client binds to it).
        if self._storage is None:
            if self._settings.redis_url:
                self._storage = RedisStorage(
                    self._settings.redis_url,
                    implementation="redispy",
                    key_prefix=self._settings.rate_limit_key_prefix,
                )
            else:
                self._storage = MemoryStorage()
        return self._storage

    async def decide(self, bucket: Bucket, identity: str) -> Decision:
        """Count one request in its fixed window and say whether it is within the limit."""
        item = self._items[bucket]
        store = self._store()
        key = item.key_for(bucket, identity)
        hits = await store.incr(key, item.get_expiry())
        expires_at = await store.get_expiry(key)
        return Decision(
            allowed=hits <= item.amount,
            limit=item.amount,
            remaining=max(0, item.amount - hits),
            reset_seconds=max(1, math.ceil(expires_at - time.time())),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            decision = await self.decide(*classify(scope, self._settings.api_key_prefix))
        except Exception:
            self._log_failure()
            await self.app(scope, receive, send)
            return
        extra = decision.headers()
        if not decision.allowed:
            exc = TooManyRequests(THROTTLED_MESSAGE)
            response = error_response(scope, exc.status_code, exc.error_code, exc.message, exc.details)
            response.raw_headers.extend([*extra, (b"retry-after", str(decision.reset_seconds).encode())])
            await response(scope, receive, send)
            return

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_limits)

    def _log_failure(self) -> None:
        now = time.monotonic()
        if now - self._last_failure_log >= _FAILURE_LOG_INTERVAL_SECONDS:
            self._last_failure_log = now
            log.warning("rate limit store unavailable; requests are not being limited", exc_info=True)
