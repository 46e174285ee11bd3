"""Custom roles of an organization or of one of its teams, and their permission strings.

A role belongs to one team row (the organization's for organization roles); a role of another
organization or team is a 404. Permissions keep the order they were granted in. A member holding a
role (`Membership.custom_role_id`) may do what its permissions allow (`core.permissions`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core import clock
from opencal.core.db import Database
from opencal.core.envelope import SkipTake, iso_utc
from opencal.core.errors import BadRequest, NotFound
from opencal.core.permissions import ORGANIZATION_PERMISSIONS, TEAM_PERMISSIONS, split_permission
from opencal.core.security import new_cuid
from opencal.models import Membership, Role, RolePermission


@dataclass(frozen=True, slots=True)
class RoleScope:
    """Where roles live: the organization or team row `team_id`, named `owner_field` in outputs."""

    team_id: int
    owner_field: Literal["organizationId", "teamId"]
    allowed: frozenset[str]

    @classmethod
    def organization(cls, org_id: int) -> RoleScope:
        return cls(org_id, "organizationId", frozenset(ORGANIZATION_PERMISSIONS))

    @classmethod
    def team(cls, team_id: int) -> RoleScope:
        return cls(team_id, "teamId", frozenset(TEAM_PERMISSIONS))


def invalid_permission(permission: str) -> str:
    return (
        f"Permission '{permission}' must be a valid permission string in format 'resource.action' "
        "(e.g., 'eventType.read', 'booking.create')"
    )


def permission_strings(role: Role) -> list[str]:
    return [f"{p.resource}.{p.action}" for p in role.permissions]


def role_output(role: Role, scope: RoleScope) -> dict[str, Any]:
    """OrgRoleOutput / TeamRoleOutput."""
    return {
        "id": role.id,
        "name": role.name,
        "color": role.color,
        "description": role.description,
        scope.owner_field: role.team_id,
        "type": role.type,
        "permissions": permission_strings(role),
        "createdAt": iso_utc(role.created_at),
        "updatedAt": iso_utc(role.updated_at),
    }


def _check(scope: RoleScope, permissions: Iterable[str]) -> None:
    for permission in permissions:
        if permission not in scope.allowed:
            raise BadRequest(invalid_permission(permission))


async def _load(session: AsyncSession, scope: RoleScope, role_id: str) -> Role:
    role: Role | None = await session.scalar(select(Role).where(Role.id == role_id, Role.team_id == scope.team_id))
    if role is None:
        raise NotFound(f"Role with id {role_id} within team id {scope.team_id} not found")
    return role


async def _ensure_name_free(session: AsyncSession, scope: RoleScope, name: str, except_id: str | None = None) -> None:
    query = select(Role.id).where(Role.team_id == scope.team_id, Role.name == name)
    if except_id is not None:
        query = query.where(Role.id != except_id)
    if await session.scalar(query) is not None:
        raise BadRequest(f'Role with name "{name}" already exists')


async def _set_permissions(session: AsyncSession, role: Role, permissions: Iterable[str]) -> None:
    """Make the role's permissions exactly `permissions` (deduplicated, in the given order)."""
    role.permissions.clear()
    await session.flush()
    for permission in dict.fromkeys(permissions):
        resource, action = split_permission(permission)
        role.permissions.append(RolePermission(resource=resource, action=action))
    role.updated_at = clock.now()
    await session.flush()


async def _flush_named(session: AsyncSession, name: str) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise BadRequest(f'Role with name "{name}" already exists') from exc


# -- roles --------------------------------------------------------------------------------------


async def create_role(
    db: Database, scope: RoleScope, *, name: str, color: str | None, description: str | None, permissions: list[str]
) -> dict[str, Any]:
    _check(scope, permissions)
    async with db.write() as session:
        await _ensure_name_free(session, scope, name)
        role = Role(
            id=new_cuid(), team_id=scope.team_id, name=name, color=color, description=description, permissions=[]
        )
        session.add(role)
        await _flush_named(session, name)
        await _set_permissions(session, role, permissions)
        return role_output(role, scope)


async def list_roles(db: Database, scope: RoleScope, page: SkipTake) -> list[dict[str, Any]]:
    async with db.read() as session:
        roles = await session.scalars(
            select(Role)
            .where(Role.team_id == scope.team_id)
            .order_by(Role.created_at, Role.id)
            .offset(page.skip)
            .limit(page.take)
        )
        return [role_output(role, scope) for role in roles]


async def get_role(db: Database, scope: RoleScope, role_id: str) -> dict[str, Any]:
    async with db.read() as session:
        return role_output(await _load(session, scope, role_id), scope)


async def update_role(db: Database, scope: RoleScope, role_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply the given fields; `permissions`, when given, replaces the whole set."""
    permissions = changes.get("permissions")
    if permissions is not None:
        _check(scope, permissions)
    async with db.write() as session:
        role = await _load(session, scope, role_id)
        if changes.get("name") is not None and changes["name"] != role.name:
            await _ensure_name_free(session, scope, changes["name"], except_id=role.id)
            role.name = changes["name"]
        for field in ("color", "description"):
            if field in changes:
                setattr(role, field, changes[field])
        role.updated_at = clock.now()
        await _flush_named(session, role.name)
        if permissions is not None:
            await _set_permissions(session, role, permissions)
        return role_output(role, scope)


async def delete_role(db: Database, scope: RoleScope, role_id: str) -> dict[str, Any]:
    """Delete the role; members holding it keep their membership role only."""
    async with db.write() as session:
        role = await _load(session, scope, role_id)
        output = role_output(role, scope)
        await session.delete(role)
        return output


# -- permissions --------------------------------------------------------------------------------


async def list_permissions(db: Database, scope: RoleScope, role_id: str) -> list[str]:
    async with db.read() as session:
        return permission_strings(await _load(session, scope, role_id))


async def add_permissions(db: Database, scope: RoleScope, role_id: str, permissions: list[str]) -> list[str]:
    _check(scope, permissions)
    async with db.write() as session:
        role = await _load(session, scope, role_id)
        await _set_permissions(session, role, [*permission_strings(role), *permissions])
        return permission_strings(role)


async def set_permissions(db: Database, scope: RoleScope, role_id: str, permissions: list[str]) -> list[str]:
    _check(scope, permissions)
    async with db.write() as session:
        role = await _load(session, scope, role_id)
        await _set_permissions(session, role, permissions)
        return permission_strings(role)


async def remove_permissions(db: Database, scope: RoleScope, role_id: str, permissions: list[str]) -> None:
    _check(scope, permissions)
    async with db.write() as session:
        role = await _load(session, scope, role_id)
        removed = set(permissions)
        await _set_permissions(session, role, [p for p in permission_strings(role) if p not in removed])


# -- holders ------------------------------------------------------------------------------------


async def assign_role(session: AsyncSession, membership_id: int, role_id: str | None) -> Membership:
    """Give a membership a custom role of its own team or organization (None takes it away)."""
    membership = await session.get(Membership, membership_id)
    if membership is None:
        raise NotFound(f"Membership with id {membership_id} not found")
    if role_id is not None:
        await _load(session, RoleScope.team(membership.team_id), role_id)
    membership.custom_role_id = role_id
    await session.flush()
    return membership
