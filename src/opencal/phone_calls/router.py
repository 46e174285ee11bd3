"""`POST .../event-types/{eventTypeId}/create-phone-call` under `/v2/teams/{teamId}` and
`/v2/organizations/{orgId}/teams/{teamId}` (version-neutral, as in Cal.com).

Both need a team admin (or an admin of the team's organization); on the organization route a custom
role granting `eventType.update` is enough, as Cal.com's PBAC guard allows.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from opencal.core.context import Ctx
from opencal.core.envelope import success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.phone_calls import service
from opencal.phone_calls.schemas import CreatePhoneCallInput, CreatePhoneCallOutput

teams_router = APIRouter(prefix="/v2/teams/{teamId}", tags=["Teams / Event Types"])
organizations_router = APIRouter(prefix="/v2/organizations/{orgId}", tags=["Orgs / Teams / Event Types"])

SUMMARY = "Create a phone call"


@teams_router.post(
    "/event-types/{eventTypeId}/create-phone-call",
    operation_id="TeamsEventTypesController_createPhoneCall",
    summary=SUMMARY,
    response_model=CreatePhoneCallOutput,
    status_code=201,
)
async def create_team_phone_call(
    ctx: Ctx,
    teamId: IntId,
    eventTypeId: IntId,
    body: CreatePhoneCallInput,
    access: Authorized = Requires("TEAM_ADMIN"),
) -> Any:
    data = await service.create_phone_call(
        ctx.db, ctx.settings, access.user_id, team_id=teamId, event_type_id=eventTypeId, body=body
    )
    return success(data)


@organizations_router.post(
    "/teams/{teamId}/event-types/{eventTypeId}/create-phone-call",
    operation_id="OrganizationsEventTypesController_createPhoneCall",
    summary=SUMMARY,
    response_model=CreatePhoneCallOutput,
    status_code=201,
)
async def create_org_team_phone_call(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    eventTypeId: IntId,
    body: CreatePhoneCallInput,
    access: Authorized = Requires("TEAM_ADMIN", "eventType.update"),
) -> Any:
    data = await service.create_phone_call(
        ctx.db, ctx.settings, access.user_id, team_id=teamId, event_type_id=eventTypeId, body=body
    )
    return success(data)
