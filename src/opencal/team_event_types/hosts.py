"""Who hosts a team event type: the `hosts` input checked against the team, and the host rows.

    specs = await requested_hosts(session, team, scheduling_type, hosts, assign_all)
    apply_hosts(row, specs)                                   rows updated in place, added, removed
    hosts_output(row, users)                                  the `hosts` of TeamEventTypeOutput

Collective hosts are all fixed (mandatory) at medium priority, as in Cal.com; round-robin hosts take
`mandatory`, `priority` (lowest..highest = 0..4), and the optional `weight` and `groupId`. A managed
event type has no host rows: its hosts are the owners of its per-member copies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.errors import BadRequest, NotFound
from opencal.models import EventType, Host, Membership, Team, User
from opencal.models.event_types import COLLECTIVE, MANAGED, ROUND_ROBIN
from opencal.scheduling.round_robin import DEFAULT_PRIORITY, PRIORITIES
from opencal.team_event_types.schemas import Host as HostInput

BOTH_HOSTS_AND_ALL = "Provide either hosts or assignAllTeamMembers but not both"


@dataclass(frozen=True, slots=True)
class HostSpec:
    user_id: int
    is_fixed: bool
    priority: int = DEFAULT_PRIORITY
    weight: int | None = None
    group_id: str | None = None


async def team_member_ids(session: AsyncSession, team_id: int) -> list[int]:
    """Every member of the team (invited or accepted), in the order they joined."""
    rows = await session.scalars(
        select(Membership.user_id).where(Membership.team_id == team_id).order_by(Membership.id)
    )
    return list(rows)


def check_host_choice(hosts: Sequence[HostInput] | None, assign_all: bool | None) -> None:
    if assign_all and hosts:
        raise BadRequest(BOTH_HOSTS_AND_ALL)


async def requested_hosts(
    session: AsyncSession,
    team: Team,
    scheduling_type: str,
    hosts: Sequence[HostInput] | None,
    assign_all: bool | None,
) -> list[HostSpec] | None:
    """The hosts a request asks for, checked against the team; None when it asks for no change."""
    collective = scheduling_type == COLLECTIVE
    if assign_all:
        return [HostSpec(user_id, is_fixed=collective) for user_id in await team_member_ids(session, team.id)]
    if hosts is None:
        return None
    seen: set[int] = set()
    for host in hosts:
        if host.userId in seen:
            raise BadRequest(f"hosts: user {host.userId} is listed more than once")
        seen.add(host.userId)
    members = set(await team_member_ids(session, team.id))
    strangers = [str(host.userId) for host in hosts if host.userId not in members]
    if strangers:
        raise NotFound(f"Invalid hosts: {', '.join(strangers)} are not members of team with id {team.id}.")
    if collective or scheduling_type == MANAGED:
        return [HostSpec(host.userId, is_fixed=collective) for host in hosts]
    return [
        HostSpec(
            host.userId,
            is_fixed=bool(host.mandatory),
            priority=PRIORITIES.index(host.priority or "medium"),
            weight=host.weight,
            group_id=host.groupId,
        )
        for host in hosts
    ]


def apply_hosts(row: EventType, specs: Sequence[HostSpec]) -> None:
    """Make the event's host rows match `specs`: a kept host's row is updated in place (its
    `(event_type_id, user_id)` key never goes through a delete and an insert in one flush)."""
    current = {host.user_id: host for host in row.hosts}
    wanted = {spec.user_id for spec in specs}
    for host in list(row.hosts):
        if host.user_id not in wanted:
            row.hosts.remove(host)
    for spec in specs:
        host = current.get(spec.user_id) or Host(user_id=spec.user_id)
        if host.user_id not in current:
            row.hosts.append(host)
        host.is_fixed, host.priority, host.weight, host.group_id = (
            spec.is_fixed,
            spec.priority,
            spec.weight,
            spec.group_id,
        )


def retype_hosts(row: EventType, scheduling_type: str) -> None:
    """A collective event's hosts are all fixed; becoming round robin makes them optional again."""
    for host in row.hosts:
        host.is_fixed = scheduling_type == COLLECTIVE
        if scheduling_type == COLLECTIVE:
            host.priority, host.weight, host.group_id = DEFAULT_PRIORITY, None, None


async def users_by_id(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {user.id: user for user in await session.scalars(select(User).where(User.id.in_(set(user_ids))))}


def _person(user_id: int, users: Mapping[int, User]) -> dict[str, object]:
    user = users.get(user_id)
    return {
        "userId": user_id,
        "name": (user.name if user else None) or "",
        "username": (user.username if user else None) or "",
        "avatarUrl": user.avatar_url if user else None,
    }


def hosts_output(
    row: EventType, users: Mapping[int, User], children_owners: Sequence[int] = (), limit: int | None = None
) -> list[dict[str, object]]:
    """`TeamEventTypeResponseHost` entries: round-robin hosts with their settings, others plainly."""
    if row.scheduling_type == MANAGED:
        entries = [_person(owner, users) for owner in children_owners]
    elif row.scheduling_type == ROUND_ROBIN:
        entries = []
        for host in row.hosts:
            entry = _person(host.user_id, users)
            entry["mandatory"] = host.is_fixed
            known = host.priority is not None and 0 <= host.priority < len(PRIORITIES)
            entry["priority"] = PRIORITIES[host.priority if known and host.priority is not None else DEFAULT_PRIORITY]
            if host.weight is not None:
                entry["weight"] = host.weight
            if host.group_id is not None:
                entry["groupId"] = host.group_id
            entries.append(entry)
    elif row.scheduling_type == COLLECTIVE:
        entries = [_person(host.user_id, users) for host in row.hosts]
    else:
        entries = []
    return entries if limit is None else entries[:limit]
