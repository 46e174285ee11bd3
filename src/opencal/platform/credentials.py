"""The two platform credentials, registered on the app's `Authenticator` (BEHAVIOR.md §2.1, §2.3, §2.4).

- OAuth client id (`x-cal-client-id` header or `{clientId}` path parameter) + `x-cal-secret-key`:
  the caller acts as the OWNER (else an ADMIN) of the client's organization, with the client's
  permission bits.
- A managed-user access token (`Authorization: Bearer <jwt>`): the caller acts as that managed
  user, with the issuing client's permission bits; a request `Origin` must match one of the
  client's redirect URIs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.config import Settings
from opencal.core import clock
from opencal.core.auth import ACCESS_TOKEN_INVALID, AUTH_PREFIX, Credentials, Principal
from opencal.core.context import AppContext
from opencal.core.db import Database
from opencal.core.errors import TokenExpired, Unauthorized
from opencal.core.security import constant_time_equals, sha256_hex
from opencal.models import Membership, OAuthClient, User
from opencal.models.platform import ACCESS_TOKEN, PlatformToken
from opencal.platform import tokens

CLIENT_PREFIX = AUTH_PREFIX + "oAuth client - "


def install(context: AppContext) -> None:
    """Teach the app's authenticator the OAuth-client and managed-user-token credentials."""

    async def client_resolver(credentials: Credentials, db: Database, _settings: Settings) -> Principal:
        return await authenticate_client(db, credentials.client_id or "", credentials.client_secret or "")

    async def token_resolver(
        token: str, credentials: Credentials, db: Database, _settings: Settings
    ) -> Principal | None:
        return await authenticate_access_token(db, token, credentials.origin, await context.secret_key())

    context.authenticator.use_client_resolver(client_resolver)
    context.authenticator.add_token_resolver(token_resolver)


async def authenticate_client(db: Database, client_id: str, secret: str) -> Principal:
    async with db.read() as session:
        client = await session.get(OAuthClient, client_id)
        if client is None:
            raise Unauthorized(f"{CLIENT_PREFIX}Client with ID {client_id} not found")
        if not constant_time_equals(client.secret_hash, sha256_hex(secret)):
            raise Unauthorized(f"{CLIENT_PREFIX}Invalid client secret")
        acting = await _organization_owner_or_admin(session, client.organization_id)
    if acting is None:
        raise Unauthorized(f"{CLIENT_PREFIX}No owner ID found for this OAuth client")
    user_id, is_system_admin = acting
    return Principal(
        user_id=user_id,
        kind="oauth_client",
        organization_id=client.organization_id,
        oauth_client_id=client.id,
        permissions=client.permissions,
        is_system_admin=is_system_admin,
    )


async def _organization_owner_or_admin(session: AsyncSession, organization_id: int) -> tuple[int, bool] | None:
    """The user an OAuth client acts as: the organization's first OWNER, else its first ADMIN."""
    for role in ("OWNER", "ADMIN"):
        row = (
            await session.execute(
                select(User.id, User.is_system_admin)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.team_id == organization_id,
                    Membership.role == role,
                    Membership.accepted.is_(True),
                )
                .order_by(Membership.id)
                .limit(1)
            )
        ).first()
        if row is not None:
            return int(row[0]), bool(row[1])
    return None


async def authenticate_access_token(db: Database, token: str, origin: str | None, key: str) -> Principal | None:
    """The managed user of a valid access token; None when the token is not one this server signed."""
    claims = tokens.decode(token, key)
    if claims is None or claims.type != "access_token":
        return None
    # The signed expiry answers first, so an expired token gets 498 even after it was purged.
    if claims.expires_at <= clock.now():
        raise TokenExpired()
    async with db.read() as session:
        row = (
            await session.execute(
                select(PlatformToken.expires_at, OAuthClient, User.organization_id, User.is_system_admin)
                .join(OAuthClient, OAuthClient.id == PlatformToken.client_id)
                .join(User, User.id == PlatformToken.user_id)
                .where(PlatformToken.token_hash == tokens.hash_token(token), PlatformToken.kind == ACCESS_TOKEN)
            )
        ).first()
    if row is None:
        raise Unauthorized(ACCESS_TOKEN_INVALID)
    expires_at, client, organization_id, is_system_admin = row
    if expires_at <= clock.now():
        raise TokenExpired()
    if origin and not is_origin_allowed(origin, client.redirect_uris):
        raise Unauthorized(
            f"{AUTH_PREFIX}access token - Invalid request origin - add the origin '{origin}' to the "
            f"'Redirect uris' of your OAuth client with ID '{client.id}'"
        )
    return Principal(
        user_id=claims.owner_id,
        kind="access_token",
        organization_id=organization_id,
        oauth_client_id=client.id,
        permissions=client.permissions,
        is_system_admin=is_system_admin,
    )


def is_origin_allowed(origin: str, redirect_uris: Sequence[str]) -> bool:
    """An origin is allowed when a redirect URI equals it, starts with it (at a URL boundary), or
    matches it as a `*` wildcard pattern."""
    origin = origin.rstrip("/")
    for uri in redirect_uris:
        if "*" in uri:
            pattern = "^" + ".*".join(re.escape(part) for part in uri.split("*")) + "$"
            if re.match(pattern, origin):
                return True
        elif uri == origin or (uri.startswith(origin) and uri[len(origin)] in "/?#"):
            return True
    return False
