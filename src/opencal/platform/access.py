"""Who may manage a platform organization's OAuth clients, managed users and client webhooks.

Cal.com's order: the caller's current organization (its API key's organization, its own, or the
OAuth client's when it authenticates with client credentials) must be a platform organization in
which the caller holds the route's role; then the OAuth client in the path must belong to it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import Principal
from opencal.core.errors import ApiError, Forbidden, NotFound
from opencal.core.permissions import Role, require_organization
from opencal.models import OAuthClient, Team, Webhook
from opencal.webhooks.service import OwnerAccess, WebhookOwner


async def require_platform_role(session: AsyncSession, principal: Principal, minimum: Role) -> Team:
    """The caller's current organization when it is a platform organization where they hold `minimum`."""
    org_id = principal.organization_id
    if org_id is None:
        raise Forbidden("OrganizationRolesGuard - No organization associated with the user.")
    org = await session.get(Team, org_id)
    if org is None or not org.is_platform:
        raise Forbidden("OrganizationRolesGuard - Organization is not a platform (SHP).")
    return await require_organization(session, principal, org_id, minimum)


async def require_client(session: AsyncSession, principal: Principal, client_id: str, minimum: Role) -> OAuthClient:
    """The OAuth client `client_id` of the caller's platform organization."""
    org = await require_platform_role(session, principal, minimum)
    client = await session.get(OAuthClient, client_id)
    if client is None:
        raise NotFound("OAuthClientGuard - OAuth client not found.")
    if client.organization_id != org.id and not principal.is_system_admin:
        raise Forbidden(
            f"OAuthClientGuard - forbidden. oAuth client with id={client_id} does not belong to the "
            f"organization with id={org.id}."
        )
    return client


def client_webhook_access(principal: Principal, client_id: str, minimum: Role) -> OwnerAccess:
    """How `/v2/oauth-clients/{clientId}/webhooks` reaches the webhooks owned by an OAuth client."""

    async def authorize(session: AsyncSession) -> None:
        await require_client(session, principal, client_id, minimum)

    def foreign(_webhook: Webhook) -> ApiError:
        return Forbidden("IsOAuthClientWebhookGuard - Webhook does not belong to this oAuthClient")

    return OwnerAccess(owner=WebhookOwner("oauth_client", client_id), authorize=authorize, foreign=foreign)
