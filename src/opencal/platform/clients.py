"""OAuth clients of a platform organization: creation (API and CLI), reads, updates, deletion."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, NotFound
from opencal.core.security import new_cuid, sha256_hex
from opencal.models import OAuthClient, Team
from opencal.platform.access import require_client, require_platform_role
from opencal.platform.permissions import parse_permissions, permission_names
from opencal.platform.schemas import CreateOAuthClientInput, UpdateOAuthClientInput

# Input field -> column, for the fields an update may change.
_UPDATABLE = {
    "logo": "logo",
    "name": "name",
    "redirectUris": "redirect_uris",
    "bookingRedirectUri": "booking_redirect_uri",
    "bookingCancelRedirectUri": "booking_cancel_redirect_uri",
    "bookingRescheduleRedirectUri": "booking_reschedule_redirect_uri",
    "areEmailsEnabled": "are_emails_enabled",
    "areDefaultEventTypesEnabled": "are_default_event_types_enabled",
    "areCalendarEventsEnabled": "are_calendar_events_enabled",
}


async def create_client(
    session: AsyncSession,
    *,
    organization_id: int,
    name: str,
    redirect_uris: list[str],
    permissions: int,
    are_default_event_types_enabled: bool,
    are_calendar_events_enabled: bool = True,
    are_emails_enabled: bool = False,
    logo: str | None = None,
    booking_redirect_uri: str | None = None,
    booking_cancel_redirect_uri: str | None = None,
    booking_reschedule_redirect_uri: str | None = None,
) -> tuple[OAuthClient, str]:
    """A new client of the organization and its secret, which is returned here and never again.

    An organization with an OAuth client is a platform organization, so it is marked as one.
    """
    org = await session.get(Team, organization_id)
    if org is None or not org.is_organization:
        raise NotFound(f"Organization with id={organization_id} not found")
    if not redirect_uris:
        raise BadRequest("redirectUris must contain at least one URI")
    org.is_platform = True
    secret = secrets.token_urlsafe(32)
    client = OAuthClient(
        id=new_cuid(),
        organization_id=organization_id,
        name=name,
        secret_hash=sha256_hex(secret),
        redirect_uris=redirect_uris,
        permissions=permissions,
        logo=logo,
        booking_redirect_uri=booking_redirect_uri,
        booking_cancel_redirect_uri=booking_cancel_redirect_uri,
        booking_reschedule_redirect_uri=booking_reschedule_redirect_uri,
        are_emails_enabled=are_emails_enabled,
        are_default_event_types_enabled=are_default_event_types_enabled,
        are_calendar_events_enabled=are_calendar_events_enabled,
    )
    session.add(client)
    await session.flush()
    return client, secret


def client_output(client: OAuthClient) -> dict[str, Any]:
    """PlatformOAuthClientDto, without the secret (only its hash is kept)."""
    out: dict[str, Any] = {
        "id": client.id,
        "name": client.name,
        "permissions": permission_names(client.permissions),
        "logo": client.logo,
        "redirectUris": list(client.redirect_uris),
        "organizationId": client.organization_id,
        "createdAt": iso_utc(client.created_at),
        "areEmailsEnabled": client.are_emails_enabled,
        "areDefaultEventTypesEnabled": client.are_default_event_types_enabled,
        "areCalendarEventsEnabled": client.are_calendar_events_enabled,
    }
    # Cal.com leaves unset redirect URIs out of the object rather than sending null.
    for field, value in (
        ("bookingRedirectUri", client.booking_redirect_uri),
        ("bookingCancelRedirectUri", client.booking_cancel_redirect_uri),
        ("bookingRescheduleRedirectUri", client.booking_reschedule_redirect_uri),
    ):
        if value is not None:
            out[field] = value
    return out


async def create(db: Database, principal: Principal, body: CreateOAuthClientInput) -> dict[str, Any]:
    async with db.write() as session:
        org = await require_platform_role(session, principal, "ADMIN")
        client, secret = await create_client(
            session,
            organization_id=org.id,
            name=body.name,
            redirect_uris=body.redirectUris,
            permissions=parse_permissions(list(body.permissions)),
            logo=body.logo,
            booking_redirect_uri=body.bookingRedirectUri,
            booking_cancel_redirect_uri=body.bookingCancelRedirectUri,
            booking_reschedule_redirect_uri=body.bookingRescheduleRedirectUri,
            are_emails_enabled=bool(body.areEmailsEnabled),
            are_default_event_types_enabled=body.areDefaultEventTypesEnabled,
            are_calendar_events_enabled=body.areCalendarEventsEnabled,
        )
        return {"clientId": client.id, "clientSecret": secret}


async def list_clients(db: Database, principal: Principal) -> list[dict[str, Any]]:
    async with db.read() as session:
        org = await require_platform_role(session, principal, "MEMBER")
        clients = await session.scalars(
            select(OAuthClient)
            .where(OAuthClient.organization_id == org.id)
            .order_by(OAuthClient.created_at, OAuthClient.id)
        )
        return [client_output(client) for client in clients]


async def get_client(db: Database, principal: Principal, client_id: str) -> dict[str, Any]:
    async with db.read() as session:
        return client_output(await require_client(session, principal, client_id, "MEMBER"))


async def update_client(
    db: Database, principal: Principal, client_id: str, body: UpdateOAuthClientInput
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if "redirectUris" in changes and not changes["redirectUris"]:
        raise BadRequest("redirectUris must contain at least one URI")
    async with db.write() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        for field, value in changes.items():
            # Explicit nulls clear optional URIs and the logo; they never clear a required column.
            if value is None and field not in ("logo", *(f for f in _UPDATABLE if f.startswith("booking"))):
                continue
            setattr(client, _UPDATABLE[field], value)
        await session.flush()
        return client_output(client)


async def delete_client(db: Database, principal: Principal, client_id: str) -> dict[str, Any]:
    """Delete a client; its managed users, tokens and webhooks go with it."""
    async with db.write() as session:
        client = await require_client(session, principal, client_id, "ADMIN")
        out = client_output(client)
        await session.delete(client)
        return out
