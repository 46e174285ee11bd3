"""Which organization a request of the agent-account API acts for.

The bearer JWT's `org_id` claim decides; the `org_id` query parameter is read only when the token
carries no organization (an operator token).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from opencal.agents.errors import InvalidRequest, Unauthenticated
from opencal.agents.service import require_organization
from opencal.agents.tokens import InvalidToken, read_token
from opencal.core.context import Ctx


async def organization_id(
    request: Request,
    ctx: Ctx,
    org_id: Annotated[
        str | None,
        Query(description="Fallback organization ID, used only when the token does not name one"),
    ] = None,
) -> int:
    authorization = request.headers.get("authorization", "").strip()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Missing bearer token: send `Authorization: Bearer <JWT>`")
    try:
        claims = read_token(await ctx.secret_key(), token.strip())
    except InvalidToken as exc:
        raise Unauthenticated(str(exc)) from exc
    if claims.organization_id is not None:
        if not claims.organization_id.isdigit():
            raise Unauthenticated("Invalid token: org_id is not an organization id")
        organization = int(claims.organization_id)
    elif org_id is None or not org_id.strip():
        raise InvalidRequest("org_id is required: the token does not name an organization")
    elif not org_id.strip().isdigit():
        raise InvalidRequest("org_id must be an organization id (an integer)")
    else:
        organization = int(org_id.strip())
    await require_organization(ctx.db, organization)
    return organization


OrganizationId = Annotated[int, Depends(organization_id)]
