"""Managed-user access and refresh tokens (BEHAVIOR.md §2.4).

Tokens are HS256 JWTs signed with a key derived from the server's secret key. Their payload carries what Cal.com's
carry (`type`, `clientId`, `ownerId`, `userId`, `expiresAt` in epoch milliseconds, `iat`) plus a
random `jti`, so two tokens issued in the same second differ. Only a hash of each token is stored
(`platform_tokens`): a token is valid while its row exists and has not expired, so deleting the
row revokes it.
"""

from __future__ import annotations

import calendar
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core import clock
from opencal.core.security import sha256_hex
from opencal.models.platform import ACCESS_TOKEN, REFRESH_TOKEN, PlatformToken

ALGORITHM = "HS256"
ACCESS_TOKEN_LIFETIME = timedelta(minutes=60)
TokenType = Literal["access_token", "refresh_token"]
_KIND: dict[TokenType, str] = {"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN}


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    refresh_expires_at: datetime

    def keys_output(self) -> dict[str, Any]:
        """The `KeysDto` object."""
        return {
            "accessToken": self.access_token,
            "refreshToken": self.refresh_token,
            "accessTokenExpiresAt": epoch_ms(self.access_expires_at),
            "refreshTokenExpiresAt": epoch_ms(self.refresh_expires_at),
        }


@dataclass(frozen=True, slots=True)
class TokenClaims:
    type: str
    client_id: str
    owner_id: int
    expires_at: datetime


def epoch_ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


def hash_token(token: str) -> str:
    return sha256_hex(token)


def access_expiry(now: datetime) -> datetime:
    """60 minutes ahead, truncated to the start of that minute."""
    return (now + ACCESS_TOKEN_LIFETIME).replace(second=0, microsecond=0)


def refresh_expiry(now: datetime) -> datetime:
    """One calendar year ahead (29 February becomes 28), truncated to the start of that day (UTC)."""
    now = now.astimezone(UTC)
    year = now.year + 1
    day = min(now.day, calendar.monthrange(year, now.month)[1])
    return datetime(year, now.month, day, tzinfo=UTC)


def _signing_key(secret_key: str) -> bytes:
    """A key for these tokens alone, derived from the server's secret key (any length)."""
    return hashlib.sha256(b"opencal-platform-tokens:" + secret_key.encode()).digest()


def _sign(token_type: TokenType, client_id: str, user_id: int, expires_at: datetime, now: datetime, key: str) -> str:
    payload = {
        "type": token_type,
        "clientId": client_id,
        "ownerId": user_id,
        "userId": user_id,
        "expiresAt": epoch_ms(expires_at),
        "iat": int(now.timestamp()),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(payload, _signing_key(key), algorithm=ALGORITHM)


def decode(token: str, key: str) -> TokenClaims | None:
    """The claims of a token this server signed, None for anything else (a foreign or forged token)."""
    # Validity is `expiresAt` against opencal's clock (and the stored row), not pyjwt's own checks.
    try:
        payload = jwt.decode(
            token,
            _signing_key(key),
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError:
        return None
    token_type, client_id, owner_id, expires_ms = (
        payload.get("type"),
        payload.get("clientId"),
        payload.get("ownerId"),
        payload.get("expiresAt"),
    )
    if token_type not in _KIND or not isinstance(client_id, str) or not isinstance(owner_id, int):
        return None
    if not isinstance(expires_ms, int):
        return None
    return TokenClaims(token_type, client_id, owner_id, datetime.fromtimestamp(expires_ms / 1000, tz=UTC))


async def issue_pair(session: AsyncSession, *, client_id: str, user_id: int, key: str) -> TokenPair:
    """Sign a new access and refresh token for a managed user and store their hashes."""
    now = clock.now()
    access_at, refresh_at = access_expiry(now), refresh_expiry(now)
    access = _sign("access_token", client_id, user_id, access_at, now, key)
    refresh = _sign("refresh_token", client_id, user_id, refresh_at, now, key)
    session.add_all(
        [
            PlatformToken(
                client_id=client_id,
                user_id=user_id,
                kind=ACCESS_TOKEN,
                token_hash=hash_token(access),
                expires_at=access_at,
            ),
            PlatformToken(
                client_id=client_id,
                user_id=user_id,
                kind=REFRESH_TOKEN,
                token_hash=hash_token(refresh),
                expires_at=refresh_at,
            ),
        ]
    )
    await session.flush()
    return TokenPair(access, refresh, access_at, refresh_at)


async def delete_expired_access_tokens(session: AsyncSession, client_id: str, user_id: int | None = None) -> None:
    query = delete(PlatformToken).where(
        PlatformToken.client_id == client_id,
        PlatformToken.kind == ACCESS_TOKEN,
        PlatformToken.expires_at <= clock.now(),
    )
    if user_id is not None:
        query = query.where(PlatformToken.user_id == user_id)
    await session.execute(query)


async def delete_refresh_tokens(session: AsyncSession, client_id: str, user_id: int) -> None:
    await session.execute(
        delete(PlatformToken).where(
            PlatformToken.client_id == client_id,
            PlatformToken.user_id == user_id,
            PlatformToken.kind == REFRESH_TOKEN,
        )
    )
