"""A real HTTP receiver on 127.0.0.1 for webhook tests and benchmarks.

It records every request (method, path, headers, raw body, arrival time) and answers from a script:
`Receiver(statuses=[500, 500])` answers 500 twice, then `default_status` (200) for ever. It runs on
the test's own event loop (see `loopback.py`), so a dispatcher in the test or in a subprocess can
deliver to it.

    async with Receiver(statuses=[500]) as receiver:
        ... subscriber_url = receiver.url ...
        [request] = await receiver.wait_for(1)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from loopback import LoopbackServer, RawRequest


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    received_at: float  # time.perf_counter() on arrival of the whole request

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver(LoopbackServer):
    def __init__(
        self,
        *,
        statuses: Iterable[int] = (),
        default_status: int = 200,
        delay_seconds: float = 0.0,
        response_body: bytes = b'{"received":true}',
    ) -> None:
        self._script: deque[int] = deque(statuses)
        self.default_status = default_status
        self.delay_seconds = delay_seconds
        self.response_body = response_body
        self.requests: list[ReceivedRequest] = []
        self._arrived = asyncio.Condition()

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    def answer(self, *statuses: int) -> None:
        """The next answers, before falling back to `default_status`."""
        self._script.extend(statuses)

    async def wait_for(self, count: int, timeout: float = 30.0) -> list[ReceivedRequest]:  # noqa: ASYNC109
        """The first `count` requests, waiting for them to arrive (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)
        return self.requests[:count]

    async def respond(self, request: RawRequest) -> tuple[int, bytes]:
        status = self._script.popleft() if self._script else self.default_status
        async with self._arrived:
            self.requests.append(
                ReceivedRequest(request.method, request.target, request.headers, request.body, time.perf_counter())
            )
            self._arrived.notify_all()
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        return status, self.response_body
