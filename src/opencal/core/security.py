"""Hashing of what is only compared, encryption of what must be used in the clear later."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from opencal.core.db import Database
from opencal.models import AppSecret

_ALPHABET = string.ascii_lowercase + string.digits
SIGNING_KEY_NAME = "signing_key"


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def constant_time_equals(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_api_key(prefix: str) -> str:
    """`<prefix><32 lowercase hex>` from 16 random bytes, as Cal.com makes them."""
    return prefix + secrets.token_hex(16)


def hash_api_key(api_key: str, prefix: str) -> str:
    """Cal.com stores sha256 of the key without its configured prefix."""
    raw = api_key[len(prefix) :] if api_key.startswith(prefix) else api_key
    return sha256_hex(raw)


def new_cuid() -> str:
    """A cuid-shaped id (25 chars starting with 'c'), the shape Cal.com uses for string ids."""
    return "c" + "".join(secrets.choice(_ALPHABET) for _ in range(24))


def new_uid(length: int = 22) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))


class SecretBox:
    """Symmetric encryption keyed by the server's secret key (webhook secrets, credentials)."""

    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(("opencal-encryption:" + secret_key).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("stored secret cannot be decrypted with this server's secret key") from exc


async def load_or_create_secret_key(db: Database, configured: str | None) -> str:
    """The configured key, else the one persisted on first start (race-safe across processes)."""
    if configured:
        return configured
    async with db.write() as session:
        candidate = secrets.token_urlsafe(48)
        insert = sqlite_insert if db.is_sqlite else pg_insert
        await session.execute(insert(AppSecret).values(key=SIGNING_KEY_NAME, value=candidate).on_conflict_do_nothing())
        value = await session.scalar(select(AppSecret.value).where(AppSecret.key == SIGNING_KEY_NAME))
    assert value is not None
    return value
