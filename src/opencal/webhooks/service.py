"""Webhook CRUD, generic over the owner (BEHAVIOR.md §5.1).

A webhook belongs to exactly one `WebhookOwner`: a user, an event type, a team or organization (both
`team`), or a platform OAuth client. A family of routes describes how its caller reaches webhooks with
an `OwnerAccess` and then calls the generic operations below, each one transaction:

    access = OwnerAccess(
        owner=WebhookOwner("team", org_id),
        authorize=check_caller,          # async (session) -> None; raises 403/404 before anything is read
        foreign=lambda webhook: ...,     # the error for an existing webhook of another owner (None: allowed)
        organization_triggers=True,      # may subscribe to organization-only triggers
    )
    await create_webhook(db, box, access, body)            # -> output dict (route answers 201)
    await list_webhooks(db, box, access, skip=0, take=250) # -> [output dict]
    await get_webhook(db, box, access, webhook_id)         # -> output dict
    await update_webhook(db, box, access, webhook_id, body)
    await delete_webhook(db, box, access, webhook_id)      # -> output dict of the deleted webhook
    await delete_all_webhooks(db, access)                  # -> how many were deleted

`box` is `await ctx.secret_box()` (webhook secrets are stored encrypted, needed in the clear to sign).
An output dict carries the owner's field (`userId`, `eventTypeId`, `teamId` or `oAuthClientId`), so it
validates against the matching `*WebhookOutputDto` of `opencal.webhooks.schemas`. `user_access` and
`event_type_access` are the families served by `opencal.webhooks.router`; team, organization and
OAuth-client routes add an `OwnerAccess` factory of their own and a router, nothing else.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from opencal.core import clock
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import ApiError, BadRequest, Conflict, Forbidden, NotFound
from opencal.core.security import SecretBox
from opencal.models import EventType, Webhook
from opencal.webhooks.schemas import CreateWebhookInputDto, UpdateWebhookInputDto
from opencal.webhooks.triggers import ORGANIZATION_ONLY_TRIGGERS, WEBHOOK_VERSION

OwnerKind = Literal["user", "event_type", "team", "oauth_client"]


@dataclass(frozen=True, slots=True)
class _KindInfo:
    column: InstrumentedAttribute[Any]  # the owning column
    output_field: str  # the output field naming the owner
    noun: str  # in messages


_KINDS: dict[OwnerKind, _KindInfo] = {
    "user": _KindInfo(Webhook.user_id, "userId", "user"),
    "event_type": _KindInfo(Webhook.event_type_id, "eventTypeId", "event type"),
    "team": _KindInfo(Webhook.team_id, "teamId", "team"),
    "oauth_client": _KindInfo(Webhook.oauth_client_id, "oAuthClientId", "OAuth client"),
}


@dataclass(frozen=True, slots=True)
class WebhookOwner:
    kind: OwnerKind
    id: int | str

    @property
    def column(self) -> InstrumentedAttribute[Any]:
        return _KINDS[self.kind].column

    def matches(self) -> ColumnElement[bool]:
        condition: ColumnElement[bool] = self.column == self.id
        return condition

    def owns(self, webhook: Webhook) -> bool:
        return bool(getattr(webhook, self.column.key) == self.id)

    def assign(self, webhook: Webhook) -> None:
        setattr(webhook, self.column.key, self.id)


@dataclass(frozen=True, slots=True)
class OwnerAccess:
    owner: WebhookOwner
    authorize: Callable[[AsyncSession], Awaitable[None]] | None = None
    foreign: Callable[[Webhook], ApiError | None] = lambda _webhook: Forbidden("Forbidden resource")
    organization_triggers: bool = False


# -- owner families served here -----------------------------------------------------------------


def user_access(principal: Principal) -> OwnerAccess:
    """`/v2/webhooks`: the caller's own webhooks; another user's is 403 (system admins may act on it)."""

    def foreign(webhook: Webhook) -> ApiError | None:
        if principal.is_system_admin and webhook.user_id is not None:
            return None
        return Forbidden("Forbidden resource")

    return OwnerAccess(owner=WebhookOwner("user", principal.user_id), foreign=foreign)


def event_type_access(principal: Principal, event_type_id: int) -> OwnerAccess:
    """`/v2/event-types/{eventTypeId}/webhooks`: only the event type's owner, with Cal.com's messages."""
    guard = "IsUserEventTypeWebhookGuard"

    async def authorize(session: AsyncSession) -> None:
        found = (
            await session.execute(select(EventType.id, EventType.owner_id).where(EventType.id == event_type_id))
        ).first()
        if found is None:
            raise NotFound(f"{guard} - Event type ({event_type_id}) not found")
        if found.owner_id != principal.user_id:
            raise Forbidden(f"{guard} - User ({principal.user_id}) is not the owner of event type ({event_type_id})")

    def foreign(webhook: Webhook) -> ApiError:
        if webhook.event_type_id is None:
            return BadRequest(f"{guard} - Webhook ({webhook.id}) is not associated with an event type")
        return Forbidden(f"{guard} - Webhook ({webhook.id}) is not associated with event type ({event_type_id})")

    return OwnerAccess(owner=WebhookOwner("event_type", event_type_id), authorize=authorize, foreign=foreign)


# -- operations ----------------------------------------------------------------------------------


async def create_webhook(
    db: Database, box: SecretBox, access: OwnerAccess, body: CreateWebhookInputDto
) -> dict[str, Any]:
    _check_triggers_allowed(access, body.triggers)
    async with db.write() as session:
        await _authorize(session, access)
        await _ensure_url_free(session, access.owner, body.subscriberUrl)
        webhook = Webhook(
            id=str(uuid.uuid4()),
            subscriber_url=body.subscriberUrl,
            triggers=list(body.triggers),
            active=body.active,
            payload_template=body.payloadTemplate,
            secret=box.encrypt(body.secret) if body.secret is not None else None,
            version=body.version or WEBHOOK_VERSION,
            created_at=clock.now(),
        )
        access.owner.assign(webhook)
        session.add(webhook)
        await _flush(session, access.owner)
        return webhook_output(webhook, box)


async def list_webhooks(
    db: Database, box: SecretBox, access: OwnerAccess, *, skip: int, take: int
) -> list[dict[str, Any]]:
    async with db.read() as session:
        await _authorize(session, access)
        webhooks = await session.scalars(
            select(Webhook)
            .where(access.owner.matches())
            .order_by(Webhook.created_at, Webhook.id)
            .offset(skip)
            .limit(take)
        )
        return [webhook_output(webhook, box) for webhook in webhooks]


async def get_webhook(db: Database, box: SecretBox, access: OwnerAccess, webhook_id: str) -> dict[str, Any]:
    async with db.read() as session:
        await _authorize(session, access)
        webhook = await _reachable_webhook(session, access, webhook_id)
        return webhook_output(webhook, box)


async def update_webhook(
    db: Database, box: SecretBox, access: OwnerAccess, webhook_id: str, body: UpdateWebhookInputDto
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if body.triggers is not None:
        _check_triggers_allowed(access, body.triggers)
    async with db.write() as session:
        await _authorize(session, access)
        webhook = await _reachable_webhook(session, access, webhook_id)
        owner = _owner_of(webhook)
        if body.subscriberUrl is not None and body.subscriberUrl != webhook.subscriber_url:
            await _ensure_url_free(session, owner, body.subscriberUrl)
            webhook.subscriber_url = body.subscriberUrl
        if body.triggers is not None:
            webhook.triggers = list(body.triggers)
        if body.active is not None:
            webhook.active = body.active
        if "payloadTemplate" in changes:
            webhook.payload_template = body.payloadTemplate
        if "secret" in changes:
            webhook.secret = box.encrypt(body.secret) if body.secret is not None else None
        if body.version is not None:
            webhook.version = body.version
        await _flush(session, owner)
        return webhook_output(webhook, box)


async def delete_webhook(db: Database, box: SecretBox, access: OwnerAccess, webhook_id: str) -> dict[str, Any]:
    async with db.write() as session:
        await _authorize(session, access)
        webhook = await _reachable_webhook(session, access, webhook_id)
        output = webhook_output(webhook, box)
        await session.delete(webhook)
        return output


async def delete_all_webhooks(db: Database, access: OwnerAccess) -> int:
    async with db.write() as session:
        await _authorize(session, access)
        deleted = await session.execute(delete(Webhook).where(access.owner.matches()).returning(Webhook.id))
        return len(deleted.all())


def webhook_output(webhook: Webhook, box: SecretBox) -> dict[str, Any]:
    """The webhook as the `*WebhookOutputDto` of its owner's kind shows it (secret in the clear)."""
    owner = _owner_of(webhook)
    return {
        "payloadTemplate": webhook.payload_template,
        _KINDS[owner.kind].output_field: owner.id,
        "id": webhook.id,
        "triggers": list(webhook.triggers),
        "subscriberUrl": webhook.subscriber_url,
        "active": webhook.active,
        "secret": box.decrypt(webhook.secret) if webhook.secret is not None else None,
    }


# -- rules ---------------------------------------------------------------------------------------


async def _authorize(session: AsyncSession, access: OwnerAccess) -> None:
    if access.authorize is not None:
        await access.authorize(session)


def _check_triggers_allowed(access: OwnerAccess, triggers: list[str]) -> None:
    if access.organization_triggers:
        return
    for trigger in triggers:
        if trigger in ORGANIZATION_ONLY_TRIGGERS:
            raise BadRequest(f"{trigger} trigger is only available for organization webhooks")


async def _reachable_webhook(session: AsyncSession, access: OwnerAccess, webhook_id: str) -> Webhook:
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound(f"Webhook ({webhook_id}) not found")
    if not access.owner.owns(webhook):
        refusal = access.foreign(webhook)
        if refusal is not None:
            raise refusal
    return webhook


def _owner_of(webhook: Webhook) -> WebhookOwner:
    for kind, info in _KINDS.items():
        owner_id = getattr(webhook, info.column.key)
        if owner_id is not None:
            return WebhookOwner(kind, owner_id)
    raise AssertionError(f"webhook {webhook.id} has no owner")  # the CHECK constraint forbids it


def _duplicate(owner: WebhookOwner) -> Conflict:
    return Conflict(f"Webhook with this subscriber url already exists for this {_KINDS[owner.kind].noun}")


async def _ensure_url_free(session: AsyncSession, owner: WebhookOwner, subscriber_url: str) -> None:
    taken = await session.scalar(select(exists().where(owner.matches(), Webhook.subscriber_url == subscriber_url)))
    if taken:
        raise _duplicate(owner)


async def _flush(session: AsyncSession, owner: WebhookOwner) -> None:
    """Flush, turning a concurrent duplicate (caught by the unique constraint) into the same 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        if _is_unique_violation(exc):
            raise _duplicate(owner) from exc
        raise


def _is_unique_violation(exc: IntegrityError) -> bool:
    # asyncpg reports SQLSTATE 23505; sqlite3 only says so in its message.
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)
