"""`/v2/webhooks` (the caller's own webhooks) and `/v2/event-types/{eventTypeId}/webhooks`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from opencal.core.auth import CurrentPrincipal
from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.webhooks import service
from opencal.webhooks.schemas import (
    CreateWebhookInputDto,
    DeleteManyWebhooksOutputResponseDto,
    EventTypeWebhookOutputResponseDto,
    EventTypeWebhooksOutputResponseDto,
    UpdateWebhookInputDto,
    UserWebhookOutputResponseDto,
    UserWebhooksOutputResponseDto,
)

router = APIRouter(prefix="/v2/webhooks", tags=["Webhooks"])

Page = Annotated[SkipTake, Depends(skip_take_params(250))]
WebhookId = Annotated[str, Path(description="The unique identifier of the webhook")]


@router.post(
    "",
    operation_id="WebhooksController_createWebhook",
    summary="Create a webhook",
    response_model=UserWebhookOutputResponseDto,
    status_code=201,
)
async def create_webhook(ctx: Ctx, principal: CurrentPrincipal, body: CreateWebhookInputDto) -> Any:
    access = service.user_access(principal)
    return success(await service.create_webhook(ctx.db, await ctx.secret_box(), access, body))


@router.get(
    "",
    operation_id="WebhooksController_getWebhooks",
    summary="Get all webhooks",
    description="Gets a paginated list of webhooks for the authenticated user.",
    response_model=UserWebhooksOutputResponseDto,
)
async def get_webhooks(ctx: Ctx, principal: CurrentPrincipal, page: Page) -> Any:
    access = service.user_access(principal)
    box = await ctx.secret_box()
    return success(await service.list_webhooks(ctx.db, box, access, skip=page.skip, take=page.take))


@router.patch(
    "/{webhookId}",
    operation_id="WebhooksController_updateWebhook",
    summary="Update a webhook",
    response_model=UserWebhookOutputResponseDto,
)
async def update_webhook(
    ctx: Ctx, principal: CurrentPrincipal, webhookId: WebhookId, body: UpdateWebhookInputDto
) -> Any:
    access = service.user_access(principal)
    return success(await service.update_webhook(ctx.db, await ctx.secret_box(), access, webhookId, body))


@router.get(
    "/{webhookId}",
    operation_id="WebhooksController_getWebhook",
    summary="Get a webhook",
    response_model=UserWebhookOutputResponseDto,
)
async def get_webhook(ctx: Ctx, principal: CurrentPrincipal, webhookId: WebhookId) -> Any:
    access = service.user_access(principal)
    return success(await service.get_webhook(ctx.db, await ctx.secret_box(), access, webhookId))


@router.delete(
    "/{webhookId}",
    operation_id="WebhooksController_deleteWebhook",
    summary="Delete a webhook",
    response_model=UserWebhookOutputResponseDto,
)
async def delete_webhook(ctx: Ctx, principal: CurrentPrincipal, webhookId: WebhookId) -> Any:
    access = service.user_access(principal)
    return success(await service.delete_webhook(ctx.db, await ctx.secret_box(), access, webhookId))


event_type_router = APIRouter(prefix="/v2/event-types/{eventTypeId}/webhooks", tags=["Event Types / Webhooks"])

EventTypeId = Annotated[IntId, Path()]


@event_type_router.post(
    "",
    operation_id="EventTypeWebhooksController_createEventTypeWebhook",
    summary="Create a webhook",
    response_model=EventTypeWebhookOutputResponseDto,
    status_code=201,
)
async def create_event_type_webhook(
    ctx: Ctx, principal: CurrentPrincipal, eventTypeId: EventTypeId, body: CreateWebhookInputDto
) -> Any:
    access = service.event_type_access(principal, eventTypeId)
    return success(await service.create_webhook(ctx.db, await ctx.secret_box(), access, body))


@event_type_router.get(
    "",
    operation_id="EventTypeWebhooksController_getEventTypeWebhooks",
    summary="Get all webhooks",
    response_model=EventTypeWebhooksOutputResponseDto,
)
async def get_event_type_webhooks(ctx: Ctx, principal: CurrentPrincipal, eventTypeId: EventTypeId, page: Page) -> Any:
    access = service.event_type_access(principal, eventTypeId)
    box = await ctx.secret_box()
    return success(await service.list_webhooks(ctx.db, box, access, skip=page.skip, take=page.take))


@event_type_router.delete(
    "",
    operation_id="EventTypeWebhooksController_deleteAllEventTypeWebhooks",
    summary="Delete all webhooks",
    response_model=DeleteManyWebhooksOutputResponseDto,
)
async def delete_all_event_type_webhooks(ctx: Ctx, principal: CurrentPrincipal, eventTypeId: EventTypeId) -> Any:
    deleted = await service.delete_all_webhooks(ctx.db, service.event_type_access(principal, eventTypeId))
    return success(f"{deleted} webhooks deleted")


@event_type_router.patch(
    "/{webhookId}",
    operation_id="EventTypeWebhooksController_updateEventTypeWebhook",
    summary="Update a webhook",
    response_model=EventTypeWebhookOutputResponseDto,
)
async def update_event_type_webhook(
    ctx: Ctx, principal: CurrentPrincipal, eventTypeId: EventTypeId, webhookId: WebhookId, body: UpdateWebhookInputDto
) -> Any:
    access = service.event_type_access(principal, eventTypeId)
    return success(await service.update_webhook(ctx.db, await ctx.secret_box(), access, webhookId, body))


@event_type_router.get(
    "/{webhookId}",
    operation_id="EventTypeWebhooksController_getEventTypeWebhook",
    summary="Get a webhook",
    response_model=EventTypeWebhookOutputResponseDto,
)
async def get_event_type_webhook(
    ctx: Ctx, principal: CurrentPrincipal, eventTypeId: EventTypeId, webhookId: WebhookId
) -> Any:
    access = service.event_type_access(principal, eventTypeId)
    return success(await service.get_webhook(ctx.db, await ctx.secret_box(), access, webhookId))


@event_type_router.delete(
    "/{webhookId}",
    operation_id="EventTypeWebhooksController_deleteEventTypeWebhook",
    summary="Delete a webhook",
    response_model=EventTypeWebhookOutputResponseDto,
)
async def delete_event_type_webhook(
    ctx: Ctx, principal: CurrentPrincipal, eventTypeId: EventTypeId, webhookId: WebhookId
) -> Any:
    access = service.event_type_access(principal, eventTypeId)
    return success(await service.delete_webhook(ctx.db, await ctx.secret_box(), access, webhookId))
