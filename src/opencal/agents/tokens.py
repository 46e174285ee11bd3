"""Bearer tokens of the agent-account API: HS256 JWTs signed with the server's secret key.

A token names the organization it acts for in its `org_id` claim. A token without that claim is
an operator token: each request then names the organization with the `org_id` query parameter.
Tokens are signed with a key derived from the server secret for this purpose alone, and carry
their own audience: no other token the server issues is accepted here, nor the other way round.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from opencal.core import clock

ALGORITHM = "HS256"
ISSUER = "opencal"
AUDIENCE = "opencal:agents"
ORGANIZATION_CLAIM = "org_id"
DEFAULT_TTL = timedelta(hours=24)


class InvalidToken(Exception):
    pass


def _signing_key(secret_key: str) -> bytes:
    return hashlib.sha256(("opencal-agent-tokens:" + secret_key).encode()).digest()


@dataclass(frozen=True, slots=True)
class AgentTokenClaims:
    # The organization claim as carried (a string in the seed API); None for an operator token.
    organization_id: str | None
    expires_at: datetime


def issue_token(secret_key: str, *, organization_id: int | None, ttl: timedelta = DEFAULT_TTL) -> str:
    issued = clock.now()
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": f"organization:{organization_id}" if organization_id is not None else "operator",
        "iat": int(issued.timestamp()),
        "exp": int((issued + ttl).timestamp()),
    }
    if organization_id is not None:
        claims[ORGANIZATION_CLAIM] = str(organization_id)
    return jwt.encode(claims, _signing_key(secret_key), algorithm=ALGORITHM)


def read_token(secret_key: str, token: str) -> AgentTokenClaims:
    try:
        # Time claims are checked against our clock below, not PyJWT's.
        claims = jwt.decode(
            token,
            _signing_key(secret_key),
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"verify_exp": False, "verify_iat": False, "require": ["exp", "aud", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(f"Invalid token: {exc}") from exc
    try:
        expires_at = datetime.fromtimestamp(int(claims["exp"]), tz=UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidToken("Invalid token: exp is not a timestamp") from exc
    if clock.now() >= expires_at:
        raise InvalidToken("Token expired")
    organization = claims.get(ORGANIZATION_CLAIM)
    return AgentTokenClaims(
        organization_id=None if organization in (None, "") else str(organization), expires_at=expires_at
    )
