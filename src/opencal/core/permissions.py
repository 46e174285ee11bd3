"""Who may call an organization or team route, in one place (BEHAVIOR.md §2.5).

A route declares what it needs with `Requires(minimum, permission=...)` as a parameter default:

    async def get_all_teams(access: Authorized = Requires("ORG_ADMIN", permission="team.read")): ...

The dependency both enforces the rule (before the request body is validated, as Cal.com's guards
run before its validation pipes) and makes it readable from the route table (`declared_access`),
which is what the permission-matrix test derives its expectations from.

The checks run in Cal.com's order:
1. authentication (401);
2. `orgId` must be an organization (403 "IsOrgGuard ...", never 404), the caller a member of it (403);
3. `teamId` must be a team of that organization (404);
4. a custom role of the caller's membership (of the team, or of its organization) granting the
   route's permission string lets the request through;
5. otherwise the membership role must reach the route's minimum role; an ADMIN/OWNER of an
   organization may act on every team of it ("org > team").
System admins pass steps 4-5. Services that check inside their own transaction call
`require_organization` / `require_team`, which apply the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.auth import CurrentPrincipal, Principal
from opencal.core.context import get_db
from opencal.core.errors import BadRequest, Forbidden, NotFound
from opencal.models import Membership, RolePermission, Team

Role = Literal["OWNER", "ADMIN", "MEMBER"]
MinimumRole = Literal[
    "ORG_OWNER", "ORG_ADMIN", "ORG_MEMBER", "TEAM_OWNER", "TEAM_ADMIN", "TEAM_MEMBER", "AUTHENTICATED"
]
_RANK: dict[str, int] = {"OWNER": 0, "ADMIN": 1, "MEMBER": 2}

ANY_PERMISSION = "*.*"
# Cal.com's permission strings (`resource.action`) a custom role may grant, by where the role lives.
ORGANIZATION_PERMISSIONS: tuple[str, ...] = (
    ANY_PERMISSION,
    "role.create",
    "role.read",
    "role.update",
    "role.delete",
    "eventType.create",
    "eventType.read",
    "eventType.update",
    "eventType.delete",
    "team.create",
    "team.read",
    "team.update",
    "team.delete",
    "team.invite",
    "team.remove",
    "team.listMembers",
    "team.listMembersPrivate",
    "team.changeMemberRole",
    "team.impersonate",
    "organization.create",
    "organization.read",
    "organization.listMembers",
    "organization.listMembersPrivate",
    "organization.invite",
    "organization.remove",
    "organization.manageBilling",
    "organization.changeMemberRole",
    "organization.impersonate",
    "organization.passwordReset",
    "organization.update",
    "booking.read",
    "booking.readOrgBookings",
    "booking.readRecordings",
    "booking.update",
    "booking.readOrgAuditLogs",
    "insights.read",
    "workflow.create",
    "workflow.read",
    "workflow.update",
    "workflow.delete",
    "organization.attributes.read",
    "organization.attributes.update",
    "organization.attributes.delete",
    "organization.attributes.create",
    "organization.attributes.editUsers",
    "routingForm.create",
    "routingForm.read",
    "routingForm.update",
    "routingForm.delete",
    "webhook.create",
    "webhook.read",
    "webhook.update",
    "webhook.delete",
    "watchlist.create",
    "watchlist.read",
    "watchlist.update",
    "watchlist.delete",
    "featureOptIn.read",
    "featureOptIn.update",
)
TEAM_PERMISSIONS: tuple[str, ...] = (
    "role.create",
    "role.read",
    "role.update",
    "role.delete",
    "eventType.create",
    "eventType.read",
    "eventType.update",
    "eventType.delete",
    "team.read",
    "team.update",
    "team.delete",
    "team.invite",
    "team.remove",
    "team.listMembers",
    "team.listMembersPrivate",
    "team.changeMemberRole",
    "team.impersonate",
    "booking.read",
    "booking.readTeamBookings",
    "booking.readRecordings",
    "booking.update",
    "booking.readTeamAuditLogs",
    "insights.read",
    "workflow.create",
    "workflow.read",
    "workflow.update",
    "workflow.delete",
    "routingForm.create",
    "routingForm.read",
    "routingForm.update",
    "routingForm.delete",
    "webhook.create",
    "webhook.read",
    "webhook.update",
    "webhook.delete",
    "featureOptIn.read",
    "featureOptIn.update",
)
# Permissions routes may require although no custom role can list them (only "*.*" grants them),
# exactly as in Cal.com.
_ROUTE_ONLY_PERMISSIONS = frozenset({"organization.editUsers", "organization.delete"})


def split_permission(permission: str) -> tuple[str, str]:
    """`organization.attributes.read` -> (`organization.attributes`, `read`)."""
    resource, _, action = permission.rpartition(".")
    return resource, action


def role_at_least(role: str | None, minimum: Role) -> bool:
    return role is not None and _RANK.get(role, 99) <= _RANK[minimum]


@dataclass(frozen=True, slots=True)
class Access:
    """What a route needs: a minimum role (Cal.com's ORG_*/TEAM_* names) and, optionally, the
    permission string a custom role may grant instead."""

    minimum: MinimumRole
    permission: str | None = None

    def __post_init__(self) -> None:
        if self.minimum not in get_args(MinimumRole):
            raise ValueError(f"unknown minimum role {self.minimum!r}")
        known = set(ORGANIZATION_PERMISSIONS) | set(TEAM_PERMISSIONS) | _ROUTE_ONLY_PERMISSIONS
        if self.permission is not None and self.permission not in known:
            raise ValueError(f"unknown permission {self.permission!r}")

    @property
    def scope(self) -> Literal["organization", "team", "user"]:
        if self.minimum.startswith("ORG_"):
            return "organization"
        if self.minimum.startswith("TEAM_"):
            return "team"
        return "user"

    @property
    def role(self) -> Role:
        role = self.minimum.partition("_")[2]
        assert role in _RANK, self.minimum
        return cast(Role, role)


@dataclass(frozen=True, slots=True)
class Authorized:
    """The caller, allowed on the organization/team of the path (ids None when absent)."""

    principal: Principal
    org_id: int | None
    team_id: int | None

    @property
    def user_id(self) -> int:
        return self.principal.user_id


@dataclass(frozen=True, slots=True)
class Grant:
    """The organization and team rows an authorization loaded."""

    org: Team | None
    team: Team | None


@dataclass(frozen=True, slots=True)
class _Member:
    role: str
    custom_role_id: str | None


async def membership_role(session: AsyncSession, team_id: int, user_id: int) -> str | None:
    """The accepted role of a user in a team or organization, or None."""
    role: str | None = await session.scalar(
        select(Membership.role).where(
            Membership.team_id == team_id, Membership.user_id == user_id, Membership.accepted.is_(True)
        )
    )
    return role


async def _memberships(session: AsyncSession, user_id: int, team_ids: Iterable[int | None]) -> dict[int, _Member]:
    wanted = {team_id for team_id in team_ids if team_id is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Membership.team_id, Membership.role, Membership.custom_role_id).where(
            Membership.user_id == user_id, Membership.team_id.in_(wanted), Membership.accepted.is_(True)
        )
    )
    return {team_id: _Member(role, custom_role_id) for team_id, role, custom_role_id in rows}


async def custom_roles_grant(session: AsyncSession, role_ids: Iterable[str | None], permission: str) -> bool:
    """True when one of the custom roles grants `permission` (directly, by `resource.*` or `*.*`)."""
    ids = {role_id for role_id in role_ids if role_id is not None}
    if not ids:
        return False
    resource, action = split_permission(permission)
    granted = await session.scalar(
        select(RolePermission.id)
        .where(
            RolePermission.role_id.in_(ids),
            (
                ((RolePermission.resource == resource) & RolePermission.action.in_((action, "*")))
                | ((RolePermission.resource == "*") & (RolePermission.action == "*"))
            ),
        )
        .limit(1)
    )
    return granted is not None


def _not_an_organization(org_id: int) -> Forbidden:
    return Forbidden(f"IsOrgGuard - provided organization id={org_id} does not represent any existing organization.")


async def authorize(
    session: AsyncSession, principal: Principal, access: Access, *, org_id: int | None, team_id: int | None
) -> Grant:
    """Apply `access` to the organization/team of a request; raises Forbidden/NotFound, else the rows."""
    if access.scope == "user":
        return Grant(None, None)
    if access.scope == "organization" and org_id is None:
        raise ValueError(f"{access.minimum} needs an organization id in the path")
    if access.scope == "team" and team_id is None:
        raise ValueError(f"{access.minimum} needs a team id in the path")

    org: Team | None = None
    if org_id is not None:
        org = await session.get(Team, org_id)
        if org is None or not org.is_organization:
            raise _not_an_organization(org_id)
    team: Team | None = None
    if team_id is not None:
        team = await session.get(Team, team_id)

    members = await _memberships(
        session, principal.user_id, (org_id, team_id, team.parent_id if team is not None else None)
    )
    if org is not None and org.id not in members and not principal.is_system_admin:
        raise Forbidden(f"RolesGuard - User is not a member of the organization with id={org.id}.")
    if team_id is not None and (team is None or team.is_organization or (org is not None and team.parent_id != org.id)):
        # A team of another organization is reported exactly like a missing one.
        raise NotFound(f"IsTeamInOrg - Team ({team_id}) not found." if org else f"Team with id={team_id} not found")
    if principal.is_system_admin:
        return Grant(org, team)

    target = team if team is not None else org
    assert target is not None
    parent = members.get(target.parent_id) if target.parent_id is not None else None
    own = members.get(target.id)
    if access.permission is not None and await custom_roles_grant(
        session, (m.custom_role_id for m in (own, parent) if m is not None), access.permission
    ):
        return Grant(org, team)

    if access.scope == "organization":
        assert org is not None
        if not role_at_least(members[org.id].role, access.role):
            raise Forbidden(
                f"RolesGuard - user with id={principal.user_id} does not have the minimum required "
                f"role={access.minimum} within organization with id={org.id}."
            )
        return Grant(org, team)

    assert team is not None
    if parent is not None and role_at_least(parent.role, "ADMIN"):
        return Grant(org, team)  # org > team
    if own is None:
        if org is not None:
            raise Forbidden(
                f"RolesGuard - User is not part of the team with id={team.id} and/or, is not an admin nor an "
                f"owner of the organization with id={org.id}."
            )
        raise Forbidden(f"RolesGuard - User is not a member of the team with id={team.id}.")
    if not role_at_least(own.role, access.role):
        within = f"organization with id={org.id} team with id={team.id}" if org else f"team with id={team.id}"
        raise Forbidden(
            f"RolesGuard - user with id={principal.user_id} does not have the minimum required "
            f"role={access.minimum} within {within}."
        )
    return Grant(org, team)


async def require_organization(
    session: AsyncSession, principal: Principal, org_id: int, minimum: Role, *, permission: str | None = None
) -> Team:
    """The organization `org_id` when the caller holds at least `minimum` in it (or the permission)."""
    access = Access(cast(MinimumRole, f"ORG_{minimum}"), permission)
    grant = await authorize(session, principal, access, org_id=org_id, team_id=None)
    assert grant.org is not None
    return grant.org


async def require_team(
    session: AsyncSession,
    principal: Principal,
    team_id: int,
    minimum: Role,
    *,
    org_id: int | None = None,
    permission: str | None = None,
) -> Team:
    """The team `team_id` (of organization `org_id` when given) when the caller may act on it."""
    access = Access(cast(MinimumRole, f"TEAM_{minimum}"), permission)
    grant = await authorize(session, principal, access, org_id=org_id, team_id=team_id)
    assert grant.team is not None
    return grant.team


# -- route declarations -----------------------------------------------------------------------


def _path_id(request: Request, name: str) -> int | None:
    value = request.path_params.get(name)
    if value is None or isinstance(value, int):
        return value
    if not str(value).isdigit():
        raise BadRequest(f"{name}: Validation failed (numeric string is expected)")
    return int(value)


class AccessGuard:
    """The dependency behind `Requires`: checks `access` against the path's `orgId`/`teamId`."""

    def __init__(self, access: Access) -> None:
        self.access = access

    async def __call__(self, request: Request, principal: CurrentPrincipal) -> Authorized:
        org_id = _path_id(request, "orgId")
        team_id = _path_id(request, "teamId")
        async with get_db(request).read() as session:
            await authorize(session, principal, self.access, org_id=org_id, team_id=team_id)
        return Authorized(principal, org_id, team_id)


def Requires(minimum: MinimumRole, permission: str | None = None) -> Any:
    """Declare and enforce what a route needs; use as a parameter default (`= Requires(...)`)."""
    return Depends(AccessGuard(Access(minimum, permission)))


def declared_access(route: APIRoute) -> Access | None:
    """The access a route declared with `Requires`, or None."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, AccessGuard):
            return dependency.call.access
        pending.extend(dependency.dependencies)
    return None
