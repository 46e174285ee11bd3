"""What a running app holds: settings, database, authenticator and the server secret."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.security import SecretBox, load_or_create_secret_key

if TYPE_CHECKING:
    from opencal.core.auth import Authenticator


@dataclass
class AppContext:
    settings: Settings
    db: Database
    authenticator: Authenticator
    _secret_key: str | None = field(default=None, init=False)
    _box: SecretBox | None = field(default=None, init=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def secret_key(self) -> str:
        if self._secret_key is None:
            async with self._lock:
                if self._secret_key is None:
                    self._secret_key = await load_or_create_secret_key(self.db, self.settings.secret_key)
        return self._secret_key

    async def secret_box(self) -> SecretBox:
        if self._box is None:
            self._box = SecretBox(await self.secret_key())
        return self._box


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def get_db(request: Request) -> Database:
    return get_context(request).db


Ctx = Annotated[AppContext, Depends(get_context)]
Db = Annotated[Database, Depends(get_db)]
