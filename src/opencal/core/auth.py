"""Who is calling: credential resolution into a `Principal` (BEHAVIOR.md §2.1–2.2).

Credentials are tried in Cal.com's order: OAuth client id + secret headers, then the bearer token
(an API key when it starts with `cal_` or the configured prefix, otherwise one of the registered
token resolvers, e.g. managed-user access tokens). Domains that add a kind of credential register a
resolver on the `Authenticator`; routers only ever see a `Principal`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Annotated, Literal

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import select

from opencal.config import Settings
from opencal.core import clock
from opencal.core.db import Database
from opencal.core.errors import Unauthorized
from opencal.core.security import hash_api_key
from opencal.models import ApiKey, Team, User

CredentialKind = Literal["api_key", "oauth_client", "access_token"]

AUTH_PREFIX = "ApiAuthStrategy - "
NO_CREDENTIALS = (
    AUTH_PREFIX + "No authentication method provided. Either pass an API key as 'Bearer' header or "
    "OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers"
)
API_KEY_INVALID = AUTH_PREFIX + "api key - Your api key is not valid"
API_KEY_EXPIRED = AUTH_PREFIX + "api key - Your api key is expired"
ACCESS_TOKEN_INVALID = AUTH_PREFIX + "Invalid Access Token"
ONLY_CLIENT_ID = AUTH_PREFIX + "Only 'x-cal-client-id' header provided. Please also provide 'x-cal-secret-key' header."
ONLY_SECRET = AUTH_PREFIX + "Only 'x-cal-secret-key' header provided. Please also provide 'x-cal-client-id' header."


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller, acting as `user_id` within `organization_id`."""

    user_id: int
    kind: CredentialKind
    # The request's "current organization": the key's team/org, the OAuth client's org, or the user's.
    organization_id: int | None = None
    team_id: int | None = None
    oauth_client_id: str | None = None
    # OAuth permission bits; None means unrestricted (API keys act with the owner's full rights).
    permissions: int | None = None
    is_system_admin: bool = False


@dataclass(frozen=True, slots=True)
class Credentials:
    """The raw credential material of one request."""

    bearer: str | None
    client_id: str | None
    client_secret: str | None
    origin: str | None


ClientResolver = Callable[[Credentials, Database, Settings], Awaitable[Principal]]
TokenResolver = Callable[[str, Credentials, Database, Settings], Awaitable[Principal | None]]


def read_credentials(headers: Mapping[str, str], path_params: Mapping[str, str]) -> Credentials:
    authorization = headers.get("authorization", "").strip()
    # Cal.com accepts the key with or without "Bearer " (the official MCP server sends it bare).
    bearer = authorization[7:].strip() if authorization[:7].lower() == "bearer " else authorization
    return Credentials(
        bearer=bearer or None,
        client_id=headers.get("x-cal-client-id") or path_params.get("clientId"),
        client_secret=headers.get("x-cal-secret-key"),
        origin=headers.get("origin"),
    )


class Authenticator:
    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings
        self._client_resolver: ClientResolver | None = None
        self._token_resolvers: list[TokenResolver] = []

    def use_client_resolver(self, resolver: ClientResolver) -> None:
        self._client_resolver = resolver

    def add_token_resolver(self, resolver: TokenResolver) -> None:
        self._token_resolvers.append(resolver)

    def is_api_key(self, token: str) -> bool:
        return token.startswith("cal_") or token.startswith(self._settings.api_key_prefix)

    async def authenticate(self, credentials: Credentials) -> Principal | None:
        """The principal, None when no credential was given, or Unauthorized for a bad one."""
        if credentials.client_secret and credentials.client_id:
            if self._client_resolver is None:
                raise Unauthorized(f"{AUTH_PREFIX}oAuth client - Client with ID {credentials.client_id} not found")
            return await self._client_resolver(credentials, self._db, self._settings)
        if credentials.bearer:
            if self.is_api_key(credentials.bearer):
                return await self._api_key_principal(credentials.bearer)
            for resolver in self._token_resolvers:
                principal = await resolver(credentials.bearer, credentials, self._db, self._settings)
                if principal is not None:
                    return principal
            raise Unauthorized(ACCESS_TOKEN_INVALID)
        if credentials.client_secret:
            raise Unauthorized(ONLY_SECRET)
        return None

    async def _api_key_principal(self, api_key: str) -> Principal:
        hashed = hash_api_key(api_key, self._settings.api_key_prefix)
        async with self._db.read() as session:
            row = (
                await session.execute(
                    select(ApiKey.expires_at, ApiKey.team_id, User.id, User.organization_id, User.is_system_admin)
                    .join(User, User.id == ApiKey.user_id)
                    .where(ApiKey.hashed_key == hashed)
                )
            ).first()
            if row is None:
                raise Unauthorized(API_KEY_INVALID)
            expires_at, team_id, user_id, user_org_id, is_admin = row
            # Expiry is compared by calendar day, as Cal.com does.
            if expires_at is not None and clock.now().astimezone(UTC).date() > expires_at.date():
                raise Unauthorized(API_KEY_EXPIRED)
            organization_id = user_org_id
            if team_id is not None:
                team = await session.get(Team, team_id)
                if team is not None:
                    organization_id = team.id if team.is_organization else (team.parent_id or organization_id)
        return Principal(
            user_id=user_id,
            kind="api_key",
            organization_id=organization_id,
            team_id=team_id,
            is_system_admin=is_admin,
        )


# Documents the header in /docs ("Authorize" button); the value itself is read in `_resolve`.
_authorization_doc = APIKeyHeader(
    name="Authorization",
    auto_error=False,
    description="`Bearer <token>` where `<token>` is an API key prefixed with cal_ or a managed user access token",
)


async def _resolve(request: Request) -> Principal | None:
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    authenticator: Authenticator = request.app.state.context.authenticator
    principal = await authenticator.authenticate(read_credentials(request.headers, request.path_params))
    request.state.principal = principal
    return principal


async def optional_principal(
    request: Request, _doc: Annotated[str | None, Security(_authorization_doc)] = None
) -> Principal | None:
    return await _resolve(request)


async def required_principal(
    request: Request, _doc: Annotated[str | None, Security(_authorization_doc)] = None
) -> Principal:
    principal = await _resolve(request)
    if principal is None:
        if request.headers.get("x-cal-client-id"):
            raise Unauthorized(ONLY_CLIENT_ID)
        raise Unauthorized(NO_CREDENTIALS)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(required_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
