"""DTOs of the `Orgs / Teams`, `Orgs / Teams / Memberships` and `Orgs / Teams / Invite` tags.

Team, membership and invite outputs are the shapes of `opencal.teams.schemas`.
"""

from __future__ import annotations

from opencal.core.envelope import SuccessEnvelope
from opencal.teams.schemas import (
    CreateTeamFields,
    CreateTeamMembershipInput,
    OrgTeamOutputDto,
    TeamMembershipOutput,
    UpdateTeamMembershipInput,
)


class CreateOrgTeamDto(CreateTeamFields):
    pass


class OrgTeamsOutputResponseDto(SuccessEnvelope):
    data: list[OrgTeamOutputDto]


class OrgMeTeamsOutputResponseDto(SuccessEnvelope):
    data: list[OrgTeamOutputDto]


class CreateOrgTeamMembershipDto(CreateTeamMembershipInput):
    pass


class UpdateOrgTeamMembershipDto(UpdateTeamMembershipInput):
    pass


class OrgTeamMembershipOutputResponseDto(SuccessEnvelope):
    data: TeamMembershipOutput


class OrgTeamMembershipsOutputResponseDto(SuccessEnvelope):
    data: list[TeamMembershipOutput]
