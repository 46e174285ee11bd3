from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from opencal.core.auth import OptionalPrincipal, Principal
from opencal.core.context import Ctx
from opencal.core.envelope import success
from opencal.core.params import IntId
from opencal.core.versioning import V2024_04_15, V2024_06_11, V2024_06_14, VersionedRoute, versions
from opencal.event_types import legacy, private_links, service
from opencal.event_types.schemas import (
    CreateEventTypeInput_2024_06_14,
    CreateEventTypeOutput_2024_06_14,
    CreatePrivateLinkInput,
    CreatePrivateLinkOutput,
    DeleteEventTypeOutput_2024_06_14,
    DeletePrivateLinkOutput,
    GetEventTypeOutput_2024_06_14,
    GetEventTypesOutput_2024_06_14,
    GetPrivateLinksOutput,
    UpdateEventTypeInput_2024_06_14,
    UpdateEventTypeOutput_2024_06_14,
    UpdatePrivateLinkBody,
    UpdatePrivateLinkOutput,
)
from opencal.platform.permissions import Permission, require_permission

router = APIRouter(prefix="/v2/event-types", tags=["Event Types"], route_class=VersionedRoute)
private_links_router = APIRouter(
    prefix="/v2/event-types/{eventTypeId}/private-links", tags=["Event Types Private Links"]
)

EventTypeReader = Annotated[Principal, require_permission(Permission.EVENT_TYPE_READ)]
EventTypeWriter = Annotated[Principal, require_permission(Permission.EVENT_TYPE_WRITE)]
VERSION = versions(V2024_06_14)


@router.post(
    "",
    operation_id="EventTypesController_2024_06_14_createEventType",
    summary="Create an event type",
    response_model=CreateEventTypeOutput_2024_06_14,
    status_code=201,
    openapi_extra=VERSION,
    response_model_exclude_unset=True,
)
async def create_event_type(ctx: Ctx, principal: EventTypeWriter, body: CreateEventTypeInput_2024_06_14) -> Any:
    return success(await service.create_for_user(ctx.db, principal.user_id, body, ctx.settings.base_url))


@router.get(
    "",
    operation_id="EventTypesController_2024_06_14_getEventTypes",
    summary="Get all event types",
    description="Hidden event types are returned only if authentication is provided and it belongs to the event "
    "type owner. Use the optional `sortCreatedAt` query parameter to order results by creation date (by ID).",
    response_model=GetEventTypesOutput_2024_06_14,
    openapi_extra=VERSION,
    response_model_exclude_unset=True,
)
async def get_event_types(
    ctx: Ctx,
    principal: OptionalPrincipal,
    username: Annotated[
        str | None,
        Query(
            description="The username of the user to get event types for. If only username provided will get "
            "all event types."
        ),
    ] = None,
    eventSlug: Annotated[
        str | None,
        Query(
            description="Slug of event type to return. Notably, if eventSlug is provided then username must be "
            "provided too, because multiple users can have event with same slug."
        ),
    ] = None,
    usernames: Annotated[
        str | None,
        Query(
            description="Get dynamic event type for multiple usernames separated by comma. e.g `usernames=alice,bob`"
        ),
    ] = None,
    orgSlug: Annotated[
        str | None,
        Query(
            description="slug of the user's organization if he is in one, orgId is not required if using this parameter"
        ),
    ] = None,
    orgId: Annotated[
        int | None,
        Query(
            description="ID of the organization of the user you want the get the event-types of, orgSlug is not "
            "needed when using this parameter"
        ),
    ] = None,
    sortCreatedAt: Annotated[
        Literal["asc", "desc"] | None,
        Query(description="Sort event types by creation date. When not provided, no explicit ordering is applied."),
    ] = None,
) -> Any:
    query = service.EventTypesQuery(
        username=username,
        event_slug=eventSlug,
        usernames=[name.strip() for name in usernames.split(",") if name.strip()] if usernames else None,
        org_slug=orgSlug,
        org_id=orgId,
        sort_created_at=sortCreatedAt,
    )
    viewer = principal.user_id if principal is not None else None
    return success(await service.list_event_types(ctx.db, query, viewer, ctx.settings.base_url))


@router.get(
    "",
    operation_id="EventTypesController_2024_04_15_getEventTypes",
    summary="Get all event types (legacy)",
    openapi_extra=versions(V2024_04_15, V2024_06_11),
    include_in_schema=False,
)
async def get_event_type_groups(ctx: Ctx, principal: EventTypeReader) -> Any:
    return success(await legacy.event_type_groups(ctx.db, principal.user_id, ctx.settings.base_url))


@router.get(
    "/{eventTypeId}",
    operation_id="EventTypesController_2024_06_14_getEventTypeById",
    summary="Get an event type",
    description="Returned to the event type owner, its hosts, admins of its team and admins of the owner's or the "
    "team's organization.",
    response_model=GetEventTypeOutput_2024_06_14,
    openapi_extra=VERSION,
    response_model_exclude_unset=True,
)
async def get_event_type(ctx: Ctx, principal: EventTypeReader, eventTypeId: IntId) -> Any:
    return success(await service.get_for_user(ctx.db, principal, eventTypeId, ctx.settings.base_url))


@router.patch(
    "/{eventTypeId}",
    operation_id="EventTypesController_2024_06_14_updateEventType",
    summary="Update an event type",
    response_model=UpdateEventTypeOutput_2024_06_14,
    openapi_extra=VERSION,
    response_model_exclude_unset=True,
)
async def update_event_type(
    ctx: Ctx, principal: EventTypeWriter, eventTypeId: IntId, body: UpdateEventTypeInput_2024_06_14
) -> Any:
    return success(await service.update_for_user(ctx.db, principal.user_id, eventTypeId, body, ctx.settings.base_url))


@router.delete(
    "/{eventTypeId}",
    operation_id="EventTypesController_2024_06_14_deleteEventType",
    summary="Delete an event type",
    response_model=DeleteEventTypeOutput_2024_06_14,
    openapi_extra=VERSION,
)
async def delete_event_type(ctx: Ctx, principal: EventTypeWriter, eventTypeId: IntId) -> Any:
    return success(await service.delete_for_user(ctx.db, principal.user_id, eventTypeId))


# -- private links (the official document declares no cal-api-version for them) ------------------


@private_links_router.post(
    "",
    operation_id="EventTypesPrivateLinksController_createPrivateLink",
    summary="Create a private link for an event type",
    response_model=CreatePrivateLinkOutput,
    status_code=201,
    response_model_exclude_unset=True,
)
async def create_private_link(
    ctx: Ctx, principal: EventTypeWriter, eventTypeId: IntId, body: CreatePrivateLinkInput
) -> Any:
    return success(
        await private_links.create_for_user(ctx.db, principal.user_id, eventTypeId, body, ctx.settings.base_url)
    )


@private_links_router.get(
    "",
    operation_id="EventTypesPrivateLinksController_getPrivateLinks",
    summary="Get all private links for an event type",
    response_model=GetPrivateLinksOutput,
    response_model_exclude_unset=True,
)
async def get_private_links(ctx: Ctx, principal: EventTypeReader, eventTypeId: IntId) -> Any:
    return success(await private_links.list_for_user(ctx.db, principal.user_id, eventTypeId, ctx.settings.base_url))


@private_links_router.patch(
    "/{linkId}",
    operation_id="EventTypesPrivateLinksController_updatePrivateLink",
    summary="Update a private link for an event type",
    response_model=UpdatePrivateLinkOutput,
    response_model_exclude_unset=True,
)
async def update_private_link(
    ctx: Ctx, principal: EventTypeWriter, eventTypeId: IntId, linkId: str, body: UpdatePrivateLinkBody
) -> Any:
    return success(
        await private_links.update_for_user(ctx.db, principal.user_id, eventTypeId, linkId, body, ctx.settings.base_url)
    )


@private_links_router.delete(
    "/{linkId}",
    operation_id="EventTypesPrivateLinksController_deletePrivateLink",
    summary="Delete a private link for an event type",
    response_model=DeletePrivateLinkOutput,
)
async def delete_private_link(ctx: Ctx, principal: EventTypeWriter, eventTypeId: IntId, linkId: str) -> Any:
    return success(await private_links.delete_for_user(ctx.db, principal.user_id, eventTypeId, linkId))
