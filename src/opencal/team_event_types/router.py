"""Team event types under `/v2/teams/{teamId}` and `/v2/organizations/{orgId}/teams/{teamId}`, their private
links and webhooks, the team and organization booking lists, and booking reassignment.

Team admins (and admins of the team's organization) write, team members read; `createPhoneCall`
lives in `opencal.phone_calls`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse

from opencal.bookings.listing import BookingFilters, Direction, ListStatus, parse_ids
from opencal.bookings.schemas import BookingReferencesOutput_2024_08_13, GetBookingsOutput_2024_08_13, ReferenceType
from opencal.core.auth import Principal
from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import CsvList, IntId
from opencal.core.permissions import Authorized, Requires
from opencal.core.versioning import V2024_08_13, VersionedRoute, versions
from opencal.event_types.schemas import (
    CreatePrivateLinkInput,
    CreatePrivateLinkOutput,
    DeletePrivateLinkOutput,
    GetPrivateLinksOutput,
    UpdatePrivateLinkBody,
    UpdatePrivateLinkOutput,
)
from opencal.platform.permissions import Permission, require_permission
from opencal.team_event_types import bookings, private_links, reassign, service
from opencal.team_event_types.schemas import (
    CreateTeamEventTypeInput_2024_06_14,
    CreateTeamEventTypeOutput,
    DeleteTeamEventTypeOutput,
    GetTeamEventTypeOutput,
    GetTeamEventTypesOutput,
    ReassignBookingOutput_2024_08_13,
    ReassignToUserBookingInput_2024_08_13,
    UpdateTeamEventTypeInput_2024_06_14,
    UpdateTeamEventTypeOutput,
)
from opencal.team_event_types.webhooks import team_event_type_access
from opencal.webhooks import service as webhooks
from opencal.webhooks.schemas import (
    CreateWebhookInputDto,
    DeleteManyWebhooksOutputResponseDto,
    EventTypeWebhookOutputResponseDto,
    EventTypeWebhooksOutputResponseDto,
    UpdateWebhookInputDto,
)

teams_router = APIRouter(prefix="/v2/teams/{teamId}")
organizations_router = APIRouter(prefix="/v2/organizations/{orgId}")
# Answers only to `cal-api-version: 2024-08-13`, like the other booking operations.
reassign_router = APIRouter(prefix="/v2/bookings", tags=["Bookings"], route_class=VersionedRoute)

TEAM_TAG = "Teams / Event Types"
ORG_TAG = "Orgs / Teams / Event Types"
ORG_LINKS_TAG = "Orgs / Teams / Event Types / Private Links"
WEBHOOKS_TAG = "Teams / Event Types / Webhooks"
SORT_DESCRIPTION = (
    'Use the optional `sortCreatedAt` query parameter to order results by creation date (by ID). Accepts "asc" '
    '(oldest first) or "desc" (newest first). When not provided, no explicit ordering is applied.'
)

Creator = Requires("TEAM_ADMIN", "eventType.create")
Reader = Requires("TEAM_MEMBER", "eventType.read")
Updater = Requires("TEAM_ADMIN", "eventType.update")
Deleter = Requires("TEAM_ADMIN", "eventType.delete")
EventSlug = Annotated[str | None, Query(description="Slug of team event type to return.")]
HostsLimit = Annotated[
    int | None,
    Query(
        ge=1,
        description="Specifies the maximum number of hosts to include in the response. This limit helps optimize "
        "performance. If not provided, all Hosts will be fetched.",
    ),
]
SortCreatedAt = Annotated[
    Literal["asc", "desc"] | None,
    Query(description="Sort event types by creation date. When not provided, no explicit ordering is applied."),
]
WebhookId = Annotated[str, Path(description="The unique identifier of the webhook")]
WebhookPage = Annotated[SkipTake, Depends(skip_take_params(250))]
BookingsPage = Annotated[SkipTake, Depends(skip_take_params(100))]


# -- /v2/teams/{teamId}/event-types ---------------------------------------------------------------


@teams_router.post(
    "/event-types",
    tags=[TEAM_TAG],
    operation_id="TeamsEventTypesController_createTeamEventType",
    summary="Create an event type",
    response_model=CreateTeamEventTypeOutput,
    status_code=201,
    response_model_exclude_unset=True,
)
async def create_team_event_type(
    ctx: Ctx, teamId: IntId, body: CreateTeamEventTypeInput_2024_06_14, access: Authorized = Creator
) -> Any:
    return success(await service.create_team_event_type(ctx.db, access.user_id, teamId, body))


@teams_router.get(
    "/event-types/{eventTypeId}",
    tags=[TEAM_TAG],
    operation_id="TeamsEventTypesController_getTeamEventType",
    summary="Get an event type",
    response_model=GetTeamEventTypeOutput,
    response_model_exclude_unset=True,
)
async def get_team_event_type(ctx: Ctx, teamId: IntId, eventTypeId: IntId, _: Authorized = Reader) -> Any:
    return success(await service.get_team_event_type(ctx.db, teamId, eventTypeId))


@teams_router.get(
    "/event-types",
    tags=[TEAM_TAG],
    operation_id="TeamsEventTypesController_getTeamEventTypes",
    summary="Get team event types",
    description=SORT_DESCRIPTION,
    response_model=GetTeamEventTypesOutput,
    response_model_exclude_unset=True,
)
async def get_team_event_types(
    ctx: Ctx,
    teamId: IntId,
    eventSlug: EventSlug = None,
    hostsLimit: HostsLimit = None,
    sortCreatedAt: SortCreatedAt = None,
    _: Authorized = Reader,
) -> Any:
    return success(
        await service.list_team_event_types(
            ctx.db, teamId, event_slug=eventSlug, hosts_limit=hostsLimit, sort=sortCreatedAt
        )
    )


@teams_router.patch(
    "/event-types/{eventTypeId}",
    tags=[TEAM_TAG],
    operation_id="TeamsEventTypesController_updateTeamEventType",
    summary="Update a team event type",
    response_model=UpdateTeamEventTypeOutput,
    response_model_exclude_unset=True,
)
async def update_team_event_type(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    body: UpdateTeamEventTypeInput_2024_06_14,
    access: Authorized = Updater,
) -> Any:
    return success(await service.update_team_event_type(ctx.db, access.user_id, teamId, eventTypeId, body))


@teams_router.delete(
    "/event-types/{eventTypeId}",
    tags=[TEAM_TAG],
    operation_id="TeamsEventTypesController_deleteTeamEventType",
    summary="Delete a team event type",
    response_model=DeleteTeamEventTypeOutput,
)
async def delete_team_event_type(ctx: Ctx, teamId: IntId, eventTypeId: IntId, _: Authorized = Deleter) -> Any:
    return success(await service.delete_team_event_type(ctx.db, teamId, eventTypeId))


# -- /v2/organizations/{orgId}/teams/{teamId}/event-types -----------------------------------------


@organizations_router.post(
    "/teams/{teamId}/event-types",
    tags=[ORG_TAG],
    operation_id="OrganizationsEventTypesController_createTeamEventType",
    summary="Create an event type",
    response_model=CreateTeamEventTypeOutput,
    status_code=201,
    response_model_exclude_unset=True,
)
async def create_org_team_event_type(
    ctx: Ctx, orgId: IntId, teamId: IntId, body: CreateTeamEventTypeInput_2024_06_14, access: Authorized = Creator
) -> Any:
    return success(await service.create_team_event_type(ctx.db, access.user_id, teamId, body))


@organizations_router.get(
    "/teams/{teamId}/event-types/{eventTypeId}",
    tags=[ORG_TAG],
    operation_id="OrganizationsEventTypesController_getTeamEventType",
    summary="Get an event type",
    response_model=GetTeamEventTypeOutput,
    response_model_exclude_unset=True,
)
async def get_org_team_event_type(
    ctx: Ctx, orgId: IntId, teamId: IntId, eventTypeId: IntId, _: Authorized = Reader
) -> Any:
    return success(await service.get_team_event_type(ctx.db, teamId, eventTypeId))


@organizations_router.get(
    "/teams/{teamId}/event-types",
    tags=[ORG_TAG],
    operation_id="OrganizationsEventTypesController_getTeamEventTypes",
    summary="Get team event types",
    description=SORT_DESCRIPTION,
    response_model=GetTeamEventTypesOutput,
    response_model_exclude_unset=True,
)
async def get_org_team_event_types(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    eventSlug: EventSlug = None,
    hostsLimit: HostsLimit = None,
    sortCreatedAt: SortCreatedAt = None,
    _: Authorized = Reader,
) -> Any:
    return success(
        await service.list_team_event_types(
            ctx.db, teamId, event_slug=eventSlug, hosts_limit=hostsLimit, sort=sortCreatedAt
        )
    )


@organizations_router.get(
    "/teams/event-types",
    tags=[ORG_TAG],
    operation_id="OrganizationsEventTypesController_getTeamsEventTypes",
    summary="Get all team event types",
    description=SORT_DESCRIPTION,
    response_model=GetTeamEventTypesOutput,
    response_model_exclude_unset=True,
)
async def get_org_teams_event_types(
    ctx: Ctx,
    orgId: IntId,
    page: WebhookPage,
    sortCreatedAt: SortCreatedAt = None,
    _: Authorized = Requires("ORG_ADMIN", "eventType.read"),
) -> Any:
    return success(
        await service.list_organization_team_event_types(
            ctx.db, orgId, skip=page.skip, take=page.take, sort=sortCreatedAt
        )
    )


@organizations_router.patch(
    "/teams/{teamId}/event-types/{eventTypeId}",
    tags=[ORG_TAG],
    operation_id="OrganizationsEventTypesController_updateTeamEventType",
    summary="Update a team event type",
    response_model=UpdateTeamEventTypeOutput,
    response_model_exclude_unset=True,
)
async def update_org_team_event_type(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    eventTypeId: IntId,
    body: UpdateTeamEventTypeInput_2024_06_14,
    access: Authorized = Updater,
) -> Any:
    return success(await service.update_team_event_type(ctx.db, access.user_id, teamId, eventTypeId, body))


@organizations_router.delete(
    "/teams/{teamId}/event-types/{eventTypeId}",
    tags=[ORG_TAG],
    operation_id="OrganizationsEventTypesController_deleteTeamEventType",
    summary="Delete a team event type",
    response_model=DeleteTeamEventTypeOutput,
)
async def delete_org_team_event_type(
    ctx: Ctx, orgId: IntId, teamId: IntId, eventTypeId: IntId, _: Authorized = Deleter
) -> Any:
    return success(await service.delete_team_event_type(ctx.db, teamId, eventTypeId))


# -- private links of organization team event types -----------------------------------------------

LINKS = "/teams/{teamId}/event-types/{eventTypeId}/private-links"
LinkWriter = Requires("TEAM_ADMIN", "eventType.update")
LinkReader = Requires("TEAM_ADMIN", "eventType.read")


@organizations_router.post(
    LINKS,
    tags=[ORG_LINKS_TAG],
    operation_id="OrganizationsEventTypesPrivateLinksController_createPrivateLink",
    summary="Create a private link for a team event type",
    response_model=CreatePrivateLinkOutput,
    status_code=201,
    response_model_exclude_unset=True,
)
async def create_private_link(
    ctx: Ctx, orgId: IntId, teamId: IntId, eventTypeId: IntId, body: CreatePrivateLinkInput, _: Authorized = LinkWriter
) -> Any:
    return success(await private_links.create_link(ctx.db, teamId, eventTypeId, body, ctx.settings.base_url))


@organizations_router.get(
    LINKS,
    tags=[ORG_LINKS_TAG],
    operation_id="OrganizationsEventTypesPrivateLinksController_getPrivateLinks",
    summary="Get all private links for a team event type",
    response_model=GetPrivateLinksOutput,
    response_model_exclude_unset=True,
)
async def get_private_links(
    ctx: Ctx, orgId: IntId, teamId: IntId, eventTypeId: IntId, _: Authorized = LinkReader
) -> Any:
    return success(await private_links.list_links(ctx.db, teamId, eventTypeId, ctx.settings.base_url))


@organizations_router.patch(
    LINKS + "/{linkId}",
    tags=[ORG_LINKS_TAG],
    operation_id="OrganizationsEventTypesPrivateLinksController_updatePrivateLink",
    summary="Update a private link for a team event type",
    response_model=UpdatePrivateLinkOutput,
    response_model_exclude_unset=True,
)
async def update_private_link(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    eventTypeId: IntId,
    linkId: str,
    body: UpdatePrivateLinkBody,
    _: Authorized = LinkWriter,
) -> Any:
    return success(await private_links.update_link(ctx.db, teamId, eventTypeId, linkId, body, ctx.settings.base_url))


@organizations_router.delete(
    LINKS + "/{linkId}",
    tags=[ORG_LINKS_TAG],
    operation_id="OrganizationsEventTypesPrivateLinksController_deletePrivateLink",
    summary="Delete a private link for a team event type",
    response_model=DeletePrivateLinkOutput,
)
async def delete_private_link(
    ctx: Ctx, orgId: IntId, teamId: IntId, eventTypeId: IntId, linkId: str, _: Authorized = LinkWriter
) -> Any:
    return success(await private_links.delete_link(ctx.db, teamId, eventTypeId, linkId))


# -- /v2/teams/{teamId}/event-types/{eventTypeId}/webhooks ----------------------------------------

WEBHOOKS = "/event-types/{eventTypeId}/webhooks"


@teams_router.post(
    WEBHOOKS,
    tags=[WEBHOOKS_TAG],
    operation_id="TeamsEventTypesWebhooksController_createTeamEventTypeWebhook",
    summary="Create a webhook for a team event type",
    response_model=EventTypeWebhookOutputResponseDto,
    status_code=201,
)
async def create_webhook(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    body: CreateWebhookInputDto,
    _: Authorized = Requires("TEAM_ADMIN", "webhook.create"),
) -> Any:
    access = team_event_type_access(teamId, eventTypeId)
    return success(await webhooks.create_webhook(ctx.db, await ctx.secret_box(), access, body))


@teams_router.get(
    WEBHOOKS,
    tags=[WEBHOOKS_TAG],
    operation_id="TeamsEventTypesWebhooksController_getTeamEventTypeWebhooks",
    summary="Get all webhooks for a team event type",
    response_model=EventTypeWebhooksOutputResponseDto,
)
async def get_webhooks(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    page: WebhookPage,
    _: Authorized = Requires("TEAM_MEMBER", "webhook.read"),
) -> Any:
    access = team_event_type_access(teamId, eventTypeId)
    box = await ctx.secret_box()
    return success(await webhooks.list_webhooks(ctx.db, box, access, skip=page.skip, take=page.take))


@teams_router.delete(
    WEBHOOKS,
    tags=[WEBHOOKS_TAG],
    operation_id="TeamsEventTypesWebhooksController_deleteAllTeamEventTypeWebhooks",
    summary="Delete all webhooks for a team event type",
    response_model=DeleteManyWebhooksOutputResponseDto,
)
async def delete_all_webhooks(
    ctx: Ctx, teamId: IntId, eventTypeId: IntId, _: Authorized = Requires("TEAM_ADMIN", "webhook.delete")
) -> Any:
    deleted = await webhooks.delete_all_webhooks(ctx.db, team_event_type_access(teamId, eventTypeId))
    return success(f"{deleted} webhooks deleted")


@teams_router.patch(
    WEBHOOKS + "/{webhookId}",
    tags=[WEBHOOKS_TAG],
    operation_id="TeamsEventTypesWebhooksController_updateTeamEventTypeWebhook",
    summary="Update a webhook for a team event type",
    response_model=EventTypeWebhookOutputResponseDto,
)
async def update_webhook(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    webhookId: WebhookId,
    body: UpdateWebhookInputDto,
    _: Authorized = Requires("TEAM_ADMIN", "webhook.update"),
) -> Any:
    access = team_event_type_access(teamId, eventTypeId)
    return success(await webhooks.update_webhook(ctx.db, await ctx.secret_box(), access, webhookId, body))


@teams_router.get(
    WEBHOOKS + "/{webhookId}",
    tags=[WEBHOOKS_TAG],
    operation_id="TeamsEventTypesWebhooksController_getTeamEventTypeWebhook",
    summary="Get a webhook for a team event type",
    response_model=EventTypeWebhookOutputResponseDto,
)
async def get_webhook(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    webhookId: WebhookId,
    _: Authorized = Requires("TEAM_MEMBER", "webhook.read"),
) -> Any:
    access = team_event_type_access(teamId, eventTypeId)
    return success(await webhooks.get_webhook(ctx.db, await ctx.secret_box(), access, webhookId))


@teams_router.delete(
    WEBHOOKS + "/{webhookId}",
    tags=[WEBHOOKS_TAG],
    operation_id="TeamsEventTypesWebhooksController_deleteTeamEventTypeWebhook",
    summary="Delete a webhook for a team event type",
    response_model=EventTypeWebhookOutputResponseDto,
)
async def delete_webhook(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    webhookId: WebhookId,
    _: Authorized = Requires("TEAM_ADMIN", "webhook.delete"),
) -> Any:
    access = team_event_type_access(teamId, eventTypeId)
    return success(await webhooks.delete_webhook(ctx.db, await ctx.secret_box(), access, webhookId))


# -- booking lists --------------------------------------------------------------------------------

Statuses = Annotated[
    list[ListStatus] | None,
    CsvList,
    Query(
        description="Filter bookings by status. If you want to filter by multiple statuses, separate them with a comma."
    ),
]
Sort = Annotated[Direction | None, Query()]
SortKey = Literal["start", "end", "created", "updated"]


def team_filters(
    status: Statuses = None,
    attendeeEmail: Annotated[str | None, Query(description="Filter bookings by the attendee's email address.")] = None,
    attendeeName: Annotated[str | None, Query(description="Filter bookings by the attendee's name.")] = None,
    bookingUid: Annotated[str | None, Query(description="Filter bookings by the booking Uid.")] = None,
    eventTypeIds: Annotated[
        str | None,
        Query(
            description="Filter bookings by event type ids belonging to the team. Event type ids must be separated "
            "by a comma."
        ),
    ] = None,
    eventTypeId: Annotated[
        str | None, Query(description="Filter bookings by event type id belonging to the team.")
    ] = None,
    afterStart: Annotated[str | None, Query(description="Filter bookings with start after this date string.")] = None,
    beforeEnd: Annotated[str | None, Query(description="Filter bookings with end before this date string.")] = None,
    sortStart: Sort = None,
    sortEnd: Sort = None,
    sortCreated: Sort = None,
) -> BookingFilters:
    """The filters of the team booking lists."""
    requested: list[tuple[SortKey, Direction | None]] = [
        ("start", sortStart),
        ("end", sortEnd),
        ("created", sortCreated),
    ]
    return BookingFilters(
        statuses=status or [],
        attendee_email=attendeeEmail,
        attendee_name=attendeeName,
        booking_uid=bookingUid,
        event_type_ids=parse_ids(eventTypeIds, "eventTypeIds") or parse_ids(eventTypeId, "eventTypeId"),
        after_start=afterStart,
        before_end=beforeEnd,
        sorts=[(key, direction) for key, direction in requested if direction is not None],
    )


def organization_filters(
    base: Annotated[BookingFilters, Depends(team_filters)],
    teamsIds: Annotated[
        str | None,
        Query(description="Filter bookings by team ids that user is part of. Team ids must be separated by a comma."),
    ] = None,
    teamId: Annotated[str | None, Query(description="Filter bookings by team id that user is part of")] = None,
    afterCreatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been created after this date string.")
    ] = None,
    beforeCreatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been created before this date string.")
    ] = None,
    afterUpdatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been updated after this date string.")
    ] = None,
    beforeUpdatedAt: Annotated[
        str | None, Query(description="Filter bookings that have been updated before this date string.")
    ] = None,
    sortUpdatedAt: Sort = None,
) -> BookingFilters:
    """The filters of the organization booking lists: the team ones, plus teams, creation and update times."""
    sorts: list[tuple[SortKey, Direction]] = list(base.sorts)
    if sortUpdatedAt is not None:
        sorts.append(("updated", sortUpdatedAt))
    return BookingFilters(
        statuses=base.statuses,
        attendee_email=base.attendee_email,
        attendee_name=base.attendee_name,
        booking_uid=base.booking_uid,
        event_type_ids=base.event_type_ids,
        team_ids=parse_ids(teamsIds, "teamsIds") or parse_ids(teamId, "teamId"),
        after_start=base.after_start,
        before_end=base.before_end,
        after_created=afterCreatedAt,
        before_created=beforeCreatedAt,
        after_updated=afterUpdatedAt,
        before_updated=beforeUpdatedAt,
        sorts=sorts,
    )


TeamFilters = Annotated[BookingFilters, Depends(team_filters)]
OrganizationFilters = Annotated[BookingFilters, Depends(organization_filters)]


def _bookings_page(data: list[dict[str, Any]], pagination: dict[str, Any]) -> JSONResponse:
    return JSONResponse(success(data, pagination=pagination))


@teams_router.get(
    "/bookings",
    tags=["Teams / Bookings"],
    operation_id="TeamsBookingsController_getAllTeamBookings",
    summary="Get team bookings",
    response_model=GetBookingsOutput_2024_08_13,
)
async def get_team_bookings(
    ctx: Ctx,
    teamId: IntId,
    filters: TeamFilters,
    page: BookingsPage,
    access: Authorized = Requires("TEAM_ADMIN", "booking.readTeamBookings"),
) -> JSONResponse:
    return _bookings_page(
        *await bookings.list_team_bookings(ctx.db, access.principal, teamId, filters, skip=page.skip, take=page.take)
    )


@organizations_router.get(
    "/teams/{teamId}/bookings",
    tags=["Orgs / Teams / Bookings"],
    operation_id="OrganizationsTeamsBookingsController_getAllOrgTeamBookings",
    summary="Get organization team bookings",
    response_model=GetBookingsOutput_2024_08_13,
)
async def get_org_team_bookings(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    filters: TeamFilters,
    page: BookingsPage,
    access: Authorized = Requires("TEAM_ADMIN", "booking.readTeamBookings"),
) -> JSONResponse:
    return _bookings_page(
        *await bookings.list_team_bookings(ctx.db, access.principal, teamId, filters, skip=page.skip, take=page.take)
    )


@organizations_router.get(
    "/teams/{teamId}/bookings/{bookingUid}/references",
    tags=["Orgs / Teams / Bookings"],
    operation_id="OrganizationsTeamsBookingsController_getBookingReferences",
    summary="Get booking references",
    response_model=BookingReferencesOutput_2024_08_13,
)
async def get_org_team_booking_references(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    bookingUid: str,
    type: Annotated[ReferenceType | None, Query(description="Filter booking references by type")] = None,
    access: Authorized = Requires("TEAM_ADMIN", "booking.read"),
) -> JSONResponse:
    references = await bookings.team_booking_references(ctx.db, access.principal, teamId, bookingUid, type)
    return JSONResponse(success(references))


@organizations_router.get(
    "/bookings",
    tags=["Orgs / Bookings"],
    operation_id="OrganizationsBookingsController_getAllOrgTeamBookings",
    summary="Get organization bookings",
    response_model=GetBookingsOutput_2024_08_13,
)
async def get_org_bookings(
    ctx: Ctx,
    orgId: IntId,
    filters: OrganizationFilters,
    page: BookingsPage,
    userIds: Annotated[
        str | None, Query(description="Filter bookings by ids of users within your organization.")
    ] = None,
    access: Authorized = Requires("ORG_ADMIN", "booking.readOrgBookings"),
) -> JSONResponse:
    user_ids = parse_ids(userIds, "userIds")
    return _bookings_page(
        *await bookings.list_organization_bookings(
            ctx.db, access.principal, orgId, filters, user_ids=user_ids, skip=page.skip, take=page.take
        )
    )


@organizations_router.get(
    "/users/{userId}/bookings",
    tags=["Orgs / Users / Bookings"],
    operation_id="OrganizationsUsersBookingsController_getOrganizationUserBookings",
    summary="Get all bookings for an organization user",
    response_model=GetBookingsOutput_2024_08_13,
)
async def get_org_user_bookings(
    ctx: Ctx,
    orgId: IntId,
    userId: IntId,
    filters: OrganizationFilters,
    page: BookingsPage,
    access: Authorized = Requires("ORG_ADMIN", "booking.readOrgBookings"),
) -> JSONResponse:
    return _bookings_page(
        *await bookings.list_member_bookings(
            ctx.db, access.principal, orgId, userId, filters, skip=page.skip, take=page.take
        )
    )


# -- /v2/bookings/{bookingUid}/reassign -----------------------------------------------------------

ReassignWriter = Annotated[Principal, require_permission(Permission.BOOKING_WRITE)]
REASSIGN_DESCRIPTION = (
    "Currently only supports reassigning host for round robin bookings. The provided authorization header refers "
    "to the owner of the booking."
)


@reassign_router.post(
    "/{bookingUid}/reassign",
    operation_id="BookingsController_2024_08_13_reassignBooking",
    summary="Reassign a booking to auto-selected host",
    description=REASSIGN_DESCRIPTION,
    response_model=ReassignBookingOutput_2024_08_13,
    openapi_extra=versions(V2024_08_13),
)
async def reassign_booking(ctx: Ctx, principal: ReassignWriter, bookingUid: str) -> Any:
    return success(await reassign.reassign_booking(ctx.db, bookingUid, principal))


@reassign_router.post(
    "/{bookingUid}/reassign/{userId}",
    operation_id="BookingsController_2024_08_13_reassignBookingToUser",
    summary="Reassign a booking to a specific host",
    description=REASSIGN_DESCRIPTION,
    response_model=ReassignBookingOutput_2024_08_13,
    openapi_extra=versions(V2024_08_13),
)
async def reassign_booking_to_user(
    ctx: Ctx, principal: ReassignWriter, bookingUid: str, userId: IntId, body: ReassignToUserBookingInput_2024_08_13
) -> Any:
    return success(
        await reassign.reassign_booking(ctx.db, bookingUid, principal, to_user_id=userId, reason=body.reason)
    )
