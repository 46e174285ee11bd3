"""`/v2/organizations/{orgId}/teams`: the organization's teams, their memberships and invitation links."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from opencal.core.context import Ctx
from opencal.core.envelope import SkipTake, skip_take_params, success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.teams import service
from opencal.organizations.teams.schemas import (
    CreateOrgTeamDto,
    CreateOrgTeamMembershipDto,
    OrgMeTeamsOutputResponseDto,
    OrgTeamMembershipOutputResponseDto,
    OrgTeamMembershipsOutputResponseDto,
    OrgTeamsOutputResponseDto,
    UpdateOrgTeamMembershipDto,
)
from opencal.teams import invites, memberships
from opencal.teams.schemas import CreateInviteOutputDto, OrgTeamOutputResponseDto, UpdateOrgTeamDto

router = APIRouter(prefix="/v2/organizations/{orgId}/teams")

Page = Annotated[SkipTake, Depends(skip_take_params(250))]
# `{teamId:int}` on the one-segment team routes, so that literal siblings served by other routers
# (`/teams/event-types`, ...) are never captured here whatever the registration order.
TEAM = "/{teamId:int}"
TAG = "Orgs / Teams"
MEMBERSHIPS_TAG = "Orgs / Teams / Memberships"


@router.get(
    "",
    tags=[TAG],
    operation_id="OrganizationsTeamsController_getAllTeams",
    summary="Get all teams",
    response_model=OrgTeamsOutputResponseDto,
)
async def get_all_teams(ctx: Ctx, orgId: IntId, page: Page, _: Authorized = Requires("ORG_ADMIN", "team.read")) -> Any:
    return success(await service.list_org_teams(ctx.db, orgId, page))


@router.post(
    "",
    tags=[TAG],
    operation_id="OrganizationsTeamsController_createTeam",
    summary="Create a team",
    response_model=OrgTeamOutputResponseDto,
    status_code=201,
)
async def create_team(
    ctx: Ctx, orgId: IntId, body: CreateOrgTeamDto, access: Authorized = Requires("ORG_ADMIN", "team.create")
) -> Any:
    return success(await service.create_org_team(ctx.db, access, body))


@router.get(
    "/me",
    tags=[TAG],
    operation_id="OrganizationsTeamsController_getMyTeams",
    summary="Get teams membership for user",
    response_model=OrgMeTeamsOutputResponseDto,
)
async def get_my_teams(
    ctx: Ctx, orgId: IntId, page: Page, access: Authorized = Requires("ORG_MEMBER", "team.read")
) -> Any:
    return success(await service.list_my_teams(ctx.db, access, page))


@router.get(
    TEAM,
    tags=[TAG],
    operation_id="OrganizationsTeamsController_getTeam",
    summary="Get a team",
    response_model=OrgTeamOutputResponseDto,
)
async def get_team(ctx: Ctx, orgId: IntId, teamId: IntId, _: Authorized = Requires("TEAM_ADMIN", "team.read")) -> Any:
    return success(await service.get_org_team(ctx.db, orgId, teamId))


@router.delete(
    TEAM,
    tags=[TAG],
    operation_id="OrganizationsTeamsController_deleteTeam",
    summary="Delete a team",
    response_model=OrgTeamOutputResponseDto,
)
async def delete_team(
    ctx: Ctx, orgId: IntId, teamId: IntId, _: Authorized = Requires("ORG_ADMIN", "team.delete")
) -> Any:
    return success(await service.delete_org_team(ctx.db, orgId, teamId))


@router.patch(
    TEAM,
    tags=[TAG],
    operation_id="OrganizationsTeamsController_updateTeam",
    summary="Update a team",
    response_model=OrgTeamOutputResponseDto,
)
async def update_team(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    body: UpdateOrgTeamDto,
    _: Authorized = Requires("ORG_ADMIN", "team.update"),
) -> Any:
    return success(await service.update_org_team(ctx.db, orgId, teamId, body))


# -- memberships --------------------------------------------------------------------------------


@router.get(
    "/{teamId}/memberships",
    tags=[MEMBERSHIPS_TAG],
    operation_id="OrganizationsTeamsMembershipsController_getAllOrgTeamMemberships",
    summary="Get all memberships",
    response_model=OrgTeamMembershipsOutputResponseDto,
)
async def get_all_org_team_memberships(
    ctx: Ctx, orgId: IntId, teamId: IntId, page: Page, _: Authorized = Requires("TEAM_ADMIN", "team.listMembers")
) -> Any:
    return success(await memberships.list_memberships(ctx.db, teamId, page))


@router.post(
    "/{teamId}/memberships",
    tags=[MEMBERSHIPS_TAG],
    operation_id="OrganizationsTeamsMembershipsController_createOrgTeamMembership",
    summary="Create a membership",
    response_model=OrgTeamMembershipOutputResponseDto,
    status_code=201,
)
async def create_org_team_membership(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    body: CreateOrgTeamMembershipDto,
    access: Authorized = Requires("TEAM_ADMIN", "team.invite"),
) -> Any:
    return success(await memberships.create_membership(ctx.db, teamId, body, access.principal))


@router.get(
    "/{teamId}/memberships/{membershipId}",
    tags=[MEMBERSHIPS_TAG],
    operation_id="OrganizationsTeamsMembershipsController_getOrgTeamMembership",
    summary="Get a membership",
    response_model=OrgTeamMembershipOutputResponseDto,
)
async def get_org_team_membership(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    membershipId: IntId,
    _: Authorized = Requires("TEAM_ADMIN", "team.listMembers"),
) -> Any:
    return success(await memberships.get_membership(ctx.db, teamId, membershipId))


@router.delete(
    "/{teamId}/memberships/{membershipId}",
    tags=[MEMBERSHIPS_TAG],
    operation_id="OrganizationsTeamsMembershipsController_deleteOrgTeamMembership",
    summary="Delete a membership",
    response_model=OrgTeamMembershipOutputResponseDto,
)
async def delete_org_team_membership(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    membershipId: IntId,
    _: Authorized = Requires("TEAM_ADMIN", "team.remove"),
) -> Any:
    return success(await memberships.delete_membership(ctx.db, teamId, membershipId))


@router.patch(
    "/{teamId}/memberships/{membershipId}",
    tags=[MEMBERSHIPS_TAG],
    operation_id="OrganizationsTeamsMembershipsController_updateOrgTeamMembership",
    summary="Update a membership",
    response_model=OrgTeamMembershipOutputResponseDto,
)
async def update_org_team_membership(
    ctx: Ctx,
    orgId: IntId,
    teamId: IntId,
    membershipId: IntId,
    body: UpdateOrgTeamMembershipDto,
    _: Authorized = Requires("TEAM_ADMIN", "team.changeMemberRole"),
) -> Any:
    return success(await memberships.update_membership(ctx.db, teamId, membershipId, body))


# -- invite -------------------------------------------------------------------------------------


@router.post(
    "/{teamId}/invite",
    tags=["Orgs / Teams / Invite"],
    operation_id="OrganizationsTeamsInviteController_createInvite",
    summary="Create team invite link",
    response_model=CreateInviteOutputDto,
    status_code=200,
)
async def create_invite(
    ctx: Ctx, orgId: IntId, teamId: IntId, access: Authorized = Requires("TEAM_ADMIN", "team.invite")
) -> Any:
    return success(await invites.create_invite(ctx.db, ctx.settings.base_url, teamId, access.user_id))
