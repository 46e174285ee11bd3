"""A real HTTP receiver on 127.0.0.1 for webhook tests and benchmarks.

It records every request (method, path, headers, raw body, arrival time) and answers from a script:
`Receiver(statuses=[500, 500])` answers 500 twice, then `default_status` (200) for ever. It speaks
just enough HTTP/1.1 (Content-Length bodies, keep-alive) for httpx and runs on the test's own event
loop, so a dispatcher in the test or in a subprocess can deliver to it.

    async with Receiver(statuses=[500]) as receiver:
        ... subscriber_url = receiver.url ...
        [request] = await receiver.wait_for(1)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

_REASONS = {200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 404: "Not Found", 500: "Server Error"}


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    received_at: float  # time.perf_counter() on arrival of the whole request

    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
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
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def answer(self, *statuses: int) -> None:
        """The next answers, before falling back to `default_status`."""
        self._script.extend(statuses)

    async def __aenter__(self) -> Receiver:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._server.wait_closed()

    async def wait_for(self, count: int, timeout: float = 30.0) -> list[ReceivedRequest]:  # noqa: ASYNC109
        """The first `count` requests, waiting for them to arrive (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(lambda: len(self.requests) >= count)
        return self.requests[:count]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    return
                method, path, _ = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status = self._script.popleft() if self._script else self.default_status
                async with self._arrived:
                    self.requests.append(ReceivedRequest(method, path, headers, body, time.perf_counter()))
                    self._arrived.notify_all()
                if self.delay_seconds:
                    await asyncio.sleep(self.delay_seconds)
                head = (
                    f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(self.response_body)}\r\n\r\n"
                )
                writer.write(head.encode("latin-1") + self.response_body)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._connections.discard(task)
            writer.close()
