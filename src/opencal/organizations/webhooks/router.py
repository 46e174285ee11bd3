"""`/v2/organizations/{orgId}/webhooks`: the organization's own webhooks (ORG_ADMIN, or a custom role
granting the route's `webhook.*` permission).

The generic webhook operations do the work; this family only says whose webhooks they reach. A
webhook of another owner answers 403, as Cal.com's IsWebhookInOrg guard does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.webhooks import service
from opencal.webhooks.schemas import (
    CreateWebhookInputDto,
    TeamWebhookOutputResponseDto,
    TeamWebhooksOutputResponseDto,
    UpdateWebhookInputDto,
)

router = APIRouter(prefix="/v2/organizations/{orgId}/webhooks", tags=["Orgs / Webhooks"])
Page = Annotated[SkipTake, Depends(skip_take_params(250))]
WebhookId = Annotated[str, Path(description="The unique identifier of the webhook")]


def organization_access(org_id: int) -> service.OwnerAccess:
    """The organization's own webhooks; the route's declaration has already let the caller in."""
    return service.OwnerAccess(owner=service.WebhookOwner("team", org_id), organization_triggers=True)


@router.get(
    "",
    operation_id="OrganizationsWebhooksController_getAllOrganizationWebhooks",
    summary="Get all webhooks",
    response_model=TeamWebhooksOutputResponseDto,
)
async def get_webhooks(
    ctx: Ctx, orgId: IntId, page: Page, _: Authorized = Requires("ORG_ADMIN", "webhook.read")
) -> Any:
    box = await ctx.secret_box()
    return success(await service.list_webhooks(ctx.db, box, organization_access(orgId), skip=page.skip, take=page.take))


@router.post(
    "",
    operation_id="OrganizationsWebhooksController_createOrganizationWebhook",
    summary="Create a webhook",
    response_model=TeamWebhookOutputResponseDto,
    status_code=201,
)
async def create_webhook(
    ctx: Ctx, orgId: IntId, body: CreateWebhookInputDto, _: Authorized = Requires("ORG_ADMIN", "webhook.create")
) -> Any:
    return success(await service.create_webhook(ctx.db, await ctx.secret_box(), organization_access(orgId), body))


@router.get(
    "/{webhookId}",
    operation_id="OrganizationsWebhooksController_getOrganizationWebhook",
    summary="Get a webhook",
    response_model=TeamWebhookOutputResponseDto,
)
async def get_webhook(
    ctx: Ctx, orgId: IntId, webhookId: WebhookId, _: Authorized = Requires("ORG_ADMIN", "webhook.read")
) -> Any:
    return success(await service.get_webhook(ctx.db, await ctx.secret_box(), organization_access(orgId), webhookId))


@router.delete(
    "/{webhookId}",
    operation_id="OrganizationsWebhooksController_deleteWebhook",
    summary="Delete a webhook",
    response_model=TeamWebhookOutputResponseDto,
)
async def delete_webhook(
    ctx: Ctx, orgId: IntId, webhookId: WebhookId, _: Authorized = Requires("ORG_ADMIN", "webhook.delete")
) -> Any:
    box = await ctx.secret_box()
    return success(await service.delete_webhook(ctx.db, box, organization_access(orgId), webhookId))


@router.patch(
    "/{webhookId}",
    operation_id="OrganizationsWebhooksController_updateOrgWebhook",
    summary="Update a webhook",
    response_model=TeamWebhookOutputResponseDto,
)
async def update_webhook(
    ctx: Ctx,
    orgId: IntId,
    webhookId: WebhookId,
    body: UpdateWebhookInputDto,
    _: Authorized = Requires("ORG_ADMIN", "webhook.update"),
) -> Any:
    box = await ctx.secret_box()
    return success(await service.update_webhook(ctx.db, box, organization_access(orgId), webhookId, body))
