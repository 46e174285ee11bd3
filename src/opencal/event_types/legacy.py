"""`GET /v2/event-types` before cal-api-version 2024-06-14: the caller's event types in groups.

One group for the caller's own event types, then one per team the caller is an accepted member of
(organizations excluded). Each event type is its stored row under Cal.com's database names
(`length`, `locations: [{"type": "integrations:daily"}]`, ...), which AI-agent toolkits read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.permissions import role_at_least
from opencal.event_types import mapping
from opencal.event_types.service import hosts_of, stored_state
from opencal.models import EventType, EventTypePrivateLink, Membership, Team
from opencal.models.event_types import MANAGED
from opencal.users.service import get_user

_ROLE_ORDER = ("OWNER", "ADMIN", "MEMBER")


async def _legacy_rows(session: AsyncSession, rows: Sequence[EventType]) -> list[dict[str, Any]]:
    ids = [row.id for row in rows]
    hosts = await hosts_of(session, ids)
    links: dict[int, list[dict[str, Any]]] = {}
    children: dict[int, list[int]] = {}
    if ids:
        for link in await session.scalars(
            select(EventTypePrivateLink)
            .where(EventTypePrivateLink.event_type_id.in_(ids))
            .order_by(EventTypePrivateLink.id)
        ):
            links.setdefault(link.event_type_id, []).append(
                {
                    "id": link.id,
                    "link": link.link,
                    "expiresAt": iso_utc(link.expires_at),
                    "maxUsageCount": link.max_usage_count,
                    "usageCount": link.usage_count,
                }
            )
        for child_id, parent_id in await session.execute(
            select(EventType.id, EventType.parent_id).where(EventType.parent_id.in_(ids)).order_by(EventType.id)
        ):
            if parent_id is not None:
                children.setdefault(parent_id, []).append(child_id)
    result = []
    for row in rows:
        host_ids = [host.user_id for host in hosts.get(row.id, [])]
        user_ids = host_ids or ([row.owner_id] if row.owner_id is not None else [])
        result.append(
            mapping.legacy_event_type(
                stored_state(row),
                user_ids=user_ids,
                hashed_links=links.get(row.id, []),
                children=children.get(row.id, []),
            )
        )
    return result


def _ordered(statement: Any) -> Any:
    return statement.order_by(EventType.position.desc(), EventType.id.asc())


async def event_type_groups(db: Database, user_id: int, base_url: str) -> dict[str, Any]:
    async with db.read() as session:
        user = await get_user(session, user_id)
        own = await session.scalars(
            _ordered(
                select(EventType).where(
                    EventType.owner_id == user.id,
                    EventType.team_id.is_(None),
                    EventType.scheduling_type.is_distinct_from(MANAGED),
                )
            )
        )
        groups: list[dict[str, Any]] = [
            {
                "teamId": None,
                "bookerUrl": base_url,
                "membershipRole": None,
                "profile": {"slug": user.username, "name": user.name, "image": user.avatar_url},
                "metadata": {"membershipCount": 1, "readOnly": False},
                "eventTypes": await _legacy_rows(session, list(own)),
            }
        ]
        memberships = (
            await session.execute(
                select(Membership.role, Team)
                .join(Team, Team.id == Membership.team_id)
                .where(Membership.user_id == user.id, Membership.accepted.is_(True))
                .order_by(Team.id)
            )
        ).all()
        roles = {team.id: role for role, team in memberships}
        for role, team in memberships:
            if team.is_organization:
                continue
            # An organization admin acts on its teams with the organization role when it is higher.
            org_role = roles.get(team.parent_id) if team.parent_id is not None else None
            if org_role is not None and _ROLE_ORDER.index(org_role) < _ROLE_ORDER.index(role):
                role = org_role
            statement = select(EventType).where(
                EventType.team_id == team.id, (EventType.owner_id.is_(None)) | (EventType.owner_id == user.id)
            )
            if not role_at_least(role, "ADMIN"):
                statement = statement.where(EventType.scheduling_type.is_distinct_from(MANAGED))
            members = await session.scalar(
                select(func.count()).select_from(Membership).where(Membership.team_id == team.id)
            )
            groups.append(
                {
                    "teamId": team.id,
                    "parentId": team.parent_id,
                    "bookerUrl": base_url,
                    "membershipRole": role,
                    "profile": {
                        "image": team.logo_url,
                        "name": team.name,
                        "slug": (team.slug if team.parent_id else f"team/{team.slug}") if team.slug else None,
                    },
                    "metadata": {"membershipCount": members or 0, "readOnly": False},
                    "eventTypes": await _legacy_rows(session, list(await session.scalars(_ordered(statement)))),
                }
            )
        profiles = [
            {
                **group["profile"],
                **group["metadata"],
                "teamId": group["teamId"],
                "membershipRole": group["membershipRole"],
            }
            for group in groups
        ]
        return {"eventTypeGroups": groups, "profiles": profiles}
