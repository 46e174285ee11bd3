"""Out-of-office entries of organization users (BEHAVIOR.md §3.5), managed by org admins.

An entry covers whole UTC days: `start` is moved to 00:00:00.000Z of its day and `end` to
23:59:59.999Z of its day, as Cal.com does. Rules, checked in Cal.com's order: both dates or neither
on update, start not after end, no redirect loop (someone redirecting to this user over these days),
no exact duplicate (409, the entry itself included, as Cal.com), no overlap with another entry of the
user (409), no redirect to oneself, and the redirect target must be a user of the same organization.

Creating or updating an entry reports `OOO_CREATED` to the webhooks of the user, of their teams and
of their organization, in the same transaction (Cal.com's web app reports updates under that trigger
too).

For the availability core: `out_of_office_spans(session, user_ids, start, end)` gives each user's
entries as plain `OutOfOfficeSpan`s, and `out_of_office_days(...)` the UTC calendar days they cover,
ready for `availability.HostAvailability.out_of_office`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, Conflict, Forbidden
from opencal.models import Membership, OutOfOffice, User
from opencal.organizations.attributes.members import is_org_user, org_user_clause, require_org_user
from opencal.organizations.ooo.schemas import CreateOutOfOfficeEntryDto, SortOrder, UpdateOutOfOfficeEntryDto
from opencal.webhooks.outbox import enqueue_event

# Cal.com accepts exactly this shape (UTC, optional milliseconds) and answers "Invalid Date." otherwise.
_INSTANT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{3})?Z$")
_LAST_MOMENT = time(23, 59, 59, 999000)
# The emoji and reason key of each reason, as Cal.com's reason rows carry them in webhook payloads.
_REASON_DETAILS = {
    "unspecified": ("🏝️", "ooo_reasons_unspecified"),
    "vacation": ("🏝️", "ooo_reasons_vacation"),
    "travel": ("🛫", "ooo_reasons_travel"),
    "sick": ("🤒", "ooo_reasons_sick_leave"),
    "public_holiday": ("📆", "ooo_reasons_public_holiday"),
}
_REASON_IDS = {"unspecified": 1, "vacation": 2, "travel": 3, "sick": 4, "public_holiday": 5}


@dataclass(frozen=True, slots=True)
class OutOfOfficeSpan:
    """One out-of-office entry as plain data: [start, end] in UTC, and who takes the bookings."""

    user_id: int
    start: datetime
    end: datetime
    to_user_id: int | None
    reason: str


def day_of(value: str, field: str) -> date:
    """The UTC calendar day of an instant written as Cal.com accepts it."""
    match = _INSTANT.match(value)
    if match is None:
        raise BadRequest(f"{field}: Invalid Date. Expected an ISO 8601 UTC instant like 2025-05-01T00:00:00.000Z")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    try:
        datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise BadRequest(f"{field}: Invalid Date. {exc}") from exc
    return date(year, month, day)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def day_end(day: date) -> datetime:
    return datetime.combine(day, _LAST_MOMENT, tzinfo=UTC)


def ooo_output(entry: OutOfOffice) -> dict[str, Any]:
    return {
        "userId": entry.user_id,
        "toUserId": entry.to_user_id,
        "id": entry.id,
        "uuid": entry.uuid,
        "start": iso_utc(entry.start_time),
        "end": iso_utc(entry.end_time),
        "notes": entry.notes,
        "reason": entry.reason,
    }


def _sorted(
    query: Select[OutOfOffice], sort_start: SortOrder | None, sort_end: SortOrder | None
) -> Select[OutOfOffice]:
    # Cal.com lets sortEnd win when both are given.
    if sort_end is not None:
        column = OutOfOffice.end_time
        query = query.order_by(column.desc() if sort_end == "desc" else column.asc())
    elif sort_start is not None:
        column = OutOfOffice.start_time
        query = query.order_by(column.desc() if sort_start == "desc" else column.asc())
    return query.order_by(OutOfOffice.id)


# -- reads --------------------------------------------------------------------------------------


async def list_user_entries(
    db: Database,
    org_id: int,
    user_id: int,
    *,
    skip: int,
    take: int,
    sort_start: SortOrder | None,
    sort_end: SortOrder | None,
) -> list[dict[str, Any]]:
    async with db.read() as session:
        await require_org_user(session, org_id, user_id)
        query = _sorted(select(OutOfOffice).where(OutOfOffice.user_id == user_id), sort_start, sort_end)
        entries = await session.scalars(query.offset(skip).limit(take))
        return [ooo_output(e) for e in entries]


async def list_org_entries(
    db: Database,
    org_id: int,
    *,
    skip: int,
    take: int,
    sort_start: SortOrder | None,
    sort_end: SortOrder | None,
    email: str | None,
) -> list[dict[str, Any]]:
    async with db.read() as session:
        query = select(OutOfOffice).join(User, User.id == OutOfOffice.user_id).where(org_user_clause(org_id))
        if email:
            query = query.where(func.lower(User.email) == email.lower())
        entries = await session.scalars(_sorted(query, sort_start, sort_end).offset(skip).limit(take))
        return [ooo_output(e) for e in entries]


# -- writes -------------------------------------------------------------------------------------


async def create_entry(db: Database, org_id: int, user_id: int, body: CreateOutOfOfficeEntryDto) -> dict[str, Any]:
    start = day_start(day_of(body.start, "start"))
    end = day_end(day_of(body.end, "end"))
    async with db.write() as session:
        await require_org_user(session, org_id, user_id)
        await _check_entry(session, org_id, user_id, start, end, body.toUserId, dates_given=True, entry_id=None)
        entry = OutOfOffice(
            uuid=str(uuid.uuid4()),
            user_id=user_id,
            to_user_id=body.toUserId,
            start_time=start,
            end_time=end,
            reason=body.reason or "unspecified",
            notes=body.notes,
        )
        session.add(entry)
        await session.flush()
        await _announce(session, org_id, entry)
        return ooo_output(entry)


async def update_entry(
    db: Database, org_id: int, user_id: int, ooo_id: int, body: UpdateOutOfOfficeEntryDto
) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True)
    if ("start" in changes) != ("end" in changes) or (body.start is None) != (body.end is None):
        raise BadRequest("Please specify both ooo start and end time.")
    new_start = day_start(day_of(body.start, "start")) if body.start is not None else None
    new_end = day_end(day_of(body.end, "end")) if body.end is not None else None
    async with db.write() as session:
        await require_org_user(session, org_id, user_id)
        entry = await _entry_of(session, user_id, ooo_id)
        start = new_start or entry.start_time
        end = new_end or entry.end_time
        to_user_id = changes.get("toUserId", entry.to_user_id)
        await _check_entry(
            session, org_id, user_id, start, end, to_user_id, dates_given=new_start is not None, entry_id=entry.id
        )
        entry.start_time, entry.end_time, entry.to_user_id = start, end, to_user_id
        if body.reason is not None:
            entry.reason = body.reason
        if "notes" in changes:
            entry.notes = body.notes
        await session.flush()
        await session.refresh(entry)
        await _announce(session, org_id, entry)
        return ooo_output(entry)


async def delete_entry(db: Database, org_id: int, user_id: int, ooo_id: int) -> dict[str, Any]:
    async with db.write() as session:
        await require_org_user(session, org_id, user_id)
        entry = await _entry_of(session, user_id, ooo_id)
        output = ooo_output(entry)
        await session.delete(entry)
        return output


async def _entry_of(session: AsyncSession, user_id: int, ooo_id: int) -> OutOfOffice:
    entry = await session.get(OutOfOffice, ooo_id)
    if entry is None or entry.user_id != user_id:
        # Cal.com's IsUserOOO guard: an unknown entry and someone else's are the same 403.
        raise Forbidden("This OOO entry does not belong to this user.")
    return entry


async def _check_entry(
    session: AsyncSession,
    org_id: int,
    user_id: int,
    start: datetime,
    end: datetime,
    to_user_id: int | None,
    *,
    dates_given: bool,
    entry_id: int | None,
) -> None:
    if start > end:
        raise BadRequest("Start date must be before end date.")
    overlapping = (OutOfOffice.start_time <= end) & (OutOfOffice.end_time >= start)
    loop = select(OutOfOffice.id).where(OutOfOffice.to_user_id == user_id, overlapping)
    if to_user_id is not None:
        loop = loop.where(OutOfOffice.user_id == to_user_id)
    if await session.scalar(loop.limit(1)) is not None:
        raise BadRequest("Booking redirect infinite not allowed.")
    if dates_given:
        duplicate = select(OutOfOffice.id).where(
            OutOfOffice.user_id == user_id, OutOfOffice.start_time == start, OutOfOffice.end_time == end
        )
        if await session.scalar(duplicate.limit(1)) is not None:
            raise Conflict("Ooo entry already exists.")
    other = select(OutOfOffice.id).where(OutOfOffice.user_id == user_id, overlapping)
    if entry_id is not None:
        other = other.where(OutOfOffice.id != entry_id)
    clash = await session.scalar(other.order_by(OutOfOffice.id).limit(1))
    if clash is not None:
        raise Conflict(f"Ooo entry overlaps the existing entry with id={clash}.")
    if to_user_id is not None:
        if to_user_id == user_id:
            raise BadRequest("Cannot redirect to self.")
        if not await is_org_user(session, org_id, to_user_id):
            raise BadRequest("Cannot redirect to this user.")


# -- webhooks -----------------------------------------------------------------------------------


async def _announce(session: AsyncSession, org_id: int, entry: OutOfOffice) -> None:
    """Queue `OOO_CREATED` for the webhooks of the user, their teams and the organization."""
    user = await session.get(User, entry.user_id)
    to_user = await session.get(User, entry.to_user_id) if entry.to_user_id is not None else None
    assert user is not None  # the caller checked it is an organization user
    team_ids = await session.scalars(
        select(Membership.team_id).where(Membership.user_id == user.id, Membership.accepted.is_(True))
    )
    await enqueue_event(
        session, "OOO_CREATED", ooo_created_payload(entry, user, to_user), user_id=user.id, team_ids=[*team_ids, org_id]
    )


def ooo_created_payload(entry: OutOfOffice, user: User, to_user: User | None) -> dict[str, Any]:
    """The `OOO_CREATED` payload: the entry with its user and redirect target.

    `start` and `end` keep their UTC wall-clock time, labelled with the user's offset, as Cal.com does.
    """
    emoji, reason = _REASON_DETAILS[entry.reason]
    return {
        "oooEntry": {
            "id": entry.id,
            "start": _wall_clock_in(entry.start_time, user.time_zone),
            "end": _wall_clock_in(entry.end_time, user.time_zone),
            "createdAt": iso_utc(entry.created_at),
            "updatedAt": iso_utc(entry.updated_at),
            "notes": entry.notes,
            "reason": {"emoji": emoji, "reason": reason},
            "reasonId": _REASON_IDS[entry.reason],
            "user": _person(user),
            "toUser": _person(to_user) if to_user is not None else None,
            "uuid": entry.uuid,
        }
    }


def _person(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "username": user.username,
        "email": user.email,
        "timeZone": user.time_zone,
    }


def _wall_clock_in(instant: datetime, time_zone: str) -> str:
    local = instant.astimezone(UTC).replace(tzinfo=ZoneInfo(time_zone), microsecond=0)
    return local.isoformat()


# -- for the availability core ------------------------------------------------------------------


_SPANS = (
    select(
        OutOfOffice.user_id, OutOfOffice.start_time, OutOfOffice.end_time, OutOfOffice.to_user_id, OutOfOffice.reason
    )
    .where(
        OutOfOffice.user_id.in_(bindparam("user_ids", expanding=True)),
        OutOfOffice.start_time <= bindparam("end", type_=OutOfOffice.start_time.type),
        OutOfOffice.end_time >= bindparam("start", type_=OutOfOffice.end_time.type),
    )
    .order_by(OutOfOffice.start_time, OutOfOffice.id)
)


def out_of_office_spans(
    session: Session, user_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, list[OutOfOfficeSpan]]:
    """Each user's entries touching [start, end], by start; every user id given is a key."""
    wanted = list(dict.fromkeys(user_ids))
    spans: dict[int, list[OutOfOfficeSpan]] = {u: [] for u in wanted}
    if not wanted:
        return spans
    for user_id, span_start, span_end, to_user_id, reason in session.execute(
        _SPANS, {"user_ids": wanted, "start": start, "end": end}
    ):
        spans[user_id].append(OutOfOfficeSpan(user_id, span_start, span_end, to_user_id, reason))
    return spans


def days_covered(spans: Iterable[OutOfOfficeSpan]) -> frozenset[date]:
    """The UTC calendar days the spans cover, first and last day included."""
    days: set[date] = set()
    for span in spans:
        day, last = span.start.astimezone(UTC).date(), span.end.astimezone(UTC).date()
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def out_of_office_days(
    session: Session, user_ids: Iterable[int], start: datetime, end: datetime
) -> dict[int, frozenset[date]]:
    """Each user's out-of-office days within [start, end], for `HostAvailability.out_of_office`."""
    spans = out_of_office_spans(session, user_ids, start, end)
    return {
        user_id: days_covered(
            OutOfOfficeSpan(s.user_id, max(s.start, start), min(s.end, end), s.to_user_id, s.reason) for s in user_spans
        )
        for user_id, user_spans in spans.items()
    }
