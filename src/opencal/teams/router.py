"""`/v2/teams`: the caller's teams, their memberships and invitation links."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import CsvList, IntId
from opencal.core.permissions import Authorized, Requires
from opencal.teams import invites, memberships, service
from opencal.teams.schemas import (
    CreateInviteOutputDto,
    CreateTeamInput,
    CreateTeamMembershipInput,
    CreateTeamMembershipOutput,
    CreateTeamOutput,
    DeleteTeamMembershipOutput,
    GetTeamMembershipOutput,
    GetTeamMembershipsOutput,
    GetTeamOutput,
    GetTeamsOutput,
    OrgTeamOutputResponseDto,
    UpdateOrgTeamDto,
    UpdateTeamMembershipInput,
    UpdateTeamMembershipOutput,
    UpdateTeamOutput,
)

router = APIRouter(prefix="/v2/teams")

Page = Annotated[SkipTake, Depends(skip_take_params(250))]
MAX_EMAIL_FILTERS = 20
Emails = Annotated[
    list[str] | None,
    CsvList,
    Query(
        max_length=MAX_EMAIL_FILTERS,
        description="Filter team memberships by email addresses. If you want to filter by multiple emails, separate "
        "them with a comma (max 20 emails for performance).",
    ),
]


@router.post(
    "",
    tags=["Teams"],
    operation_id="TeamsController_createTeam",
    summary="Create a team",
    response_model=CreateTeamOutput,
    status_code=201,
)
async def create_team(ctx: Ctx, body: CreateTeamInput, access: Authorized = Requires("AUTHENTICATED")) -> Any:
    return success(await service.create_user_team(ctx.db, access.user_id, body))


@router.get(
    "", tags=["Teams"], operation_id="TeamsController_getTeams", summary="Get teams", response_model=GetTeamsOutput
)
async def get_teams(ctx: Ctx, access: Authorized = Requires("AUTHENTICATED")) -> Any:
    return success(await service.list_user_teams(ctx.db, access.user_id))


@router.get(
    "/{teamId}",
    tags=["Teams"],
    operation_id="TeamsController_getTeam",
    summary="Get a team",
    response_model=GetTeamOutput,
)
async def get_team(ctx: Ctx, teamId: IntId, _: Authorized = Requires("TEAM_MEMBER", "team.read")) -> Any:
    return success(await service.get_team(ctx.db, teamId))


@router.patch(
    "/{teamId}",
    tags=["Teams"],
    operation_id="TeamsController_updateTeam",
    summary="Update a team",
    response_model=UpdateTeamOutput,
)
async def update_team(
    ctx: Ctx, teamId: IntId, body: UpdateOrgTeamDto, _: Authorized = Requires("TEAM_OWNER", "team.update")
) -> Any:
    return success(await service.update_team_by_id(ctx.db, teamId, body))


@router.delete(
    "/{teamId}",
    tags=["Teams"],
    operation_id="TeamsController_deleteTeam",
    summary="Delete a team",
    response_model=OrgTeamOutputResponseDto,
)
async def delete_team(ctx: Ctx, teamId: IntId, _: Authorized = Requires("TEAM_OWNER", "team.delete")) -> Any:
    return success(await service.delete_team(ctx.db, teamId))


# -- memberships --------------------------------------------------------------------------------


@router.post(
    "/{teamId}/memberships",
    tags=["Teams / Memberships"],
    operation_id="TeamsMembershipsController_createTeamMembership",
    summary="Create a membership",
    response_model=CreateTeamMembershipOutput,
    status_code=201,
)
async def create_team_membership(
    ctx: Ctx, teamId: IntId, body: CreateTeamMembershipInput, access: Authorized = Requires("TEAM_ADMIN", "team.invite")
) -> Any:
    return success(await memberships.create_membership(ctx.db, teamId, body, access.principal))


@router.get(
    "/{teamId}/memberships",
    tags=["Teams / Memberships"],
    operation_id="TeamsMembershipsController_getTeamMemberships",
    summary="Get all memberships",
    description="Retrieve team memberships with optional filtering by email addresses. Supports pagination.",
    response_model=GetTeamMembershipsOutput,
)
async def get_team_memberships(
    ctx: Ctx,
    teamId: IntId,
    page: Page,
    emails: Emails = None,
    _: Authorized = Requires("TEAM_ADMIN", "team.listMembers"),
) -> Any:
    return success(await memberships.list_memberships(ctx.db, teamId, page, emails))


@router.get(
    "/{teamId}/memberships/{membershipId}",
    tags=["Teams / Memberships"],
    operation_id="TeamsMembershipsController_getTeamMembership",
    summary="Get a membership",
    response_model=GetTeamMembershipOutput,
)
async def get_team_membership(
    ctx: Ctx, teamId: IntId, membershipId: IntId, _: Authorized = Requires("TEAM_ADMIN", "team.listMembers")
) -> Any:
    return success(await memberships.get_membership(ctx.db, teamId, membershipId))


@router.patch(
    "/{teamId}/memberships/{membershipId}",
    tags=["Teams / Memberships"],
    operation_id="TeamsMembershipsController_updateTeamMembership",
    summary="Update membership",
    response_model=UpdateTeamMembershipOutput,
)
async def update_team_membership(
    ctx: Ctx,
    teamId: IntId,
    membershipId: IntId,
    body: UpdateTeamMembershipInput,
    _: Authorized = Requires("TEAM_ADMIN", "team.changeMemberRole"),
) -> Any:
    return success(await memberships.update_membership(ctx.db, teamId, membershipId, body))


@router.delete(
    "/{teamId}/memberships/{membershipId}",
    tags=["Teams / Memberships"],
    operation_id="TeamsMembershipsController_deleteTeamMembership",
    summary="Delete a membership",
    response_model=DeleteTeamMembershipOutput,
)
async def delete_team_membership(
    ctx: Ctx, teamId: IntId, membershipId: IntId, _: Authorized = Requires("TEAM_ADMIN", "team.remove")
) -> Any:
    return success(await memberships.delete_membership(ctx.db, teamId, membershipId))


# -- invite -------------------------------------------------------------------------------------


@router.post(
    "/{teamId}/invite",
    tags=["Teams / Invite"],
    operation_id="TeamsInviteController_createInvite",
    summary="Create team invite link",
    response_model=CreateInviteOutputDto,
    status_code=200,
)
async def create_invite(ctx: Ctx, teamId: IntId, access: Authorized = Requires("TEAM_ADMIN", "team.invite")) -> Any:
    return success(await invites.create_invite(ctx.db, ctx.settings.base_url, teamId, access.user_id))
