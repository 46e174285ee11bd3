"""Cal Video rooms: a Daily room for every accepted booking at a Cal Video location.

A room is opened after the booking is committed, never inside its write transaction (a slow or
unreachable Daily must not hold the host locks), and recorded in a short transaction of its own: a
`daily_video` booking reference (uid and meeting id: the room name; meeting URL: the room's URL;
meeting password: the organizer's owner token, encrypted) and the room URL as the booking's
`videoCallUrl`, which the booking's `location` then shows. A provider that fails leaves the booking
as it is, without a room, and is logged. A rescheduled booking moves its room along (Daily extends
it to the new time) and the new booking refers to it.

Rooms are made as Cal.com makes them: public with knocking, prejoin, chat, screen sharing and
picture-in-picture, expiring 14 days after the booking ends; organizers who belong to a team get
transcription storage, and cloud recording when the deployment has Daily's scale plan.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.conferencing.daily import DailyClient, DailyError, Room
from opencal.config import Settings
from opencal.core import clock
from opencal.core.context import Ctx
from opencal.core.db import Database
from opencal.core.security import SecretBox
from opencal.models import Booking, BookingReference, Membership, Team
from opencal.models.bookings import ACCEPTED

CAL_VIDEO_LOCATION = "integrations:daily"
DAILY_VIDEO = "daily_video"
VIDEO_CALL_URL = "videoCallUrl"
ROOM_LIFETIME_AFTER_END = timedelta(days=14)
# Rooms of one request (a recurring series) are opened a few at a time.
CONCURRENT_ROOMS = 4

log = logging.getLogger("opencal.conferencing")


@dataclass(frozen=True)
class _Plan:
    booking_id: int
    end: datetime
    in_team: bool
    moved_room: str | None


@dataclass(frozen=True)
class _Opened:
    booking_id: int
    room: Room
    owner_token: str


@dataclass(frozen=True)
class CalVideo:
    """Daily as this deployment configured it."""

    api_key: str
    api_url: str
    timeout_seconds: float
    scale_plan: bool
    region: str | None
    box: SecretBox

    @classmethod
    def from_settings(cls, settings: Settings, box: SecretBox) -> CalVideo | None:
        if not settings.daily_api_key:
            return None
        return cls(
            api_key=settings.daily_api_key,
            api_url=settings.daily_api_url,
            timeout_seconds=settings.daily_timeout_seconds,
            scale_plan=settings.daily_scale_plan,
            region=settings.daily_region,
            box=box,
        )

    def client(self) -> DailyClient:
        return DailyClient(self.api_key, self.api_url, timeout_seconds=self.timeout_seconds)

    def room_body(self, end: datetime, *, in_team: bool) -> dict[str, Any]:
        """What `POST /rooms` (and `POST /rooms/{name}`) is sent for a booking ending at `end`."""
        properties: dict[str, Any] = {"geo": self.region} if self.region else {}
        properties.update(
            enable_prejoin_ui=True,
            enable_knocking=True,
            enable_screenshare=True,
            enable_chat=True,
            enable_pip_ui=True,
            exp=round((end + ROOM_LIFETIME_AFTER_END).timestamp()),
        )
        if self.scale_plan and in_team:
            properties["enable_recording"] = "cloud"
        properties["enable_transcription_storage"] = in_team
        if in_team:
            properties["permissions"] = {"canAdmin": ["transcription"]}
        return {"privacy": "public", "properties": properties}

    async def open_rooms(
        self, db: Database, booking_ids: Iterable[int], *, moved_from: int | None = None
    ) -> dict[int, str]:
        """Rooms for those of the (committed) bookings that are accepted, at a Cal Video location and
        without one yet; `moved_from`: the booking a rescheduled one replaces, whose room it takes
        over. Answers the room URL of each booking that got one."""
        try:
            plans = await self._plans(db, set(booking_ids), moved_from)
            if not plans:
                return {}
            gate = asyncio.Semaphore(CONCURRENT_ROOMS)
            async with self.client() as daily:
                results = await asyncio.gather(*(self._open(daily, plan, gate) for plan in plans))
            opened = [result for result in results if result is not None]
            if opened:
                await self._record(db, opened)
        except SQLAlchemyError:
            log.exception("Cal Video rooms of bookings %s could not be recorded", sorted(set(booking_ids)))
            return {}
        return {result.booking_id: result.room.url for result in opened}

    async def _plans(self, db: Database, booking_ids: set[int], moved_from: int | None) -> list[_Plan]:
        if not booking_ids:
            return []
        async with db.read() as session:
            rows = (
                await session.execute(
                    select(Booking.id, Booking.end_time, Booking.user_id).where(
                        Booking.id.in_(booking_ids), Booking.location == CAL_VIDEO_LOCATION, Booking.status == ACCEPTED
                    )
                )
            ).all()
            if not rows:  # the common case: no Cal Video booking among them
                return []
            equipped = set(
                await session.scalars(
                    select(BookingReference.booking_id).where(
                        BookingReference.booking_id.in_(booking_ids), BookingReference.type == DAILY_VIDEO
                    )
                )
            )
            wanted = [row for row in rows if row.id not in equipped]
            if not wanted:
                return []
            organizers = {row.user_id for row in wanted if row.user_id is not None}
            in_team = set(
                await session.scalars(
                    select(Membership.user_id)
                    .join(Team, Team.id == Membership.team_id)
                    .where(Membership.user_id.in_(organizers), Team.slug.is_not(None))
                )
            )
            moved_room = await last_room(session, moved_from) if moved_from is not None else None
        return [
            _Plan(row.id, row.end_time, row.user_id in in_team, moved_room if len(wanted) == 1 else None)
            for row in sorted(wanted, key=lambda row: row.end_time)
        ]

    async def _open(self, daily: DailyClient, plan: _Plan, gate: asyncio.Semaphore) -> _Opened | None:
        body = self.room_body(plan.end, in_team=plan.in_team)
        async with gate:
            try:
                room: Room | None = None
                if plan.moved_room is not None:
                    try:
                        room = await daily.update_room(plan.moved_room, body)
                    except DailyError as exc:
                        log.warning("Cal Video room %s could not be moved, opening a new one: %s", plan.moved_room, exc)
                if room is None:
                    room = await daily.create_room(body)
                token = await daily.create_meeting_token(
                    {"room_name": room.name, "exp": room.config.exp, "is_owner": True, "enable_recording_ui": False}
                )
            except DailyError as exc:
                log.warning("no Cal Video room for booking %s: %s", plan.booking_id, exc)
                return None
        return _Opened(plan.booking_id, room, token)

    async def _record(self, db: Database, opened: list[_Opened]) -> None:
        now = clock.now()
        async with db.write() as session:
            for result in opened:
                booking = await session.get(Booking, result.booking_id)
                if booking is None:
                    continue
                session.add(
                    BookingReference(
                        booking_id=booking.id,
                        type=DAILY_VIDEO,
                        uid=result.room.name,
                        meeting_id=result.room.name,
                        meeting_url=result.room.url,
                        meeting_password=self.box.encrypt(result.owner_token),
                    )
                )
                booking.metadata_ = {**(booking.metadata_ or {}), VIDEO_CALL_URL: result.room.url}
                booking.updated_at = now


async def last_room(session: AsyncSession, booking_id: int) -> str | None:
    """The room name of the booking's latest Cal Video reference (Cal.com reads the last one)."""
    room: str | None = await session.scalar(
        select(BookingReference.meeting_id)
        .where(BookingReference.booking_id == booking_id, BookingReference.type == DAILY_VIDEO)
        .order_by(BookingReference.id.desc())
        .limit(1)
    )
    return room


def show_rooms(outputs: Any, urls: dict[int, str]) -> None:
    """Booking outputs (one, or a list) made before their rooms existed now show the room URLs."""
    for output in outputs if isinstance(outputs, list) else [outputs]:
        url = urls.get(output.get("id"))
        if url is not None:
            output["location"] = output["meetingUrl"] = url


async def _cal_video(ctx: Ctx) -> CalVideo | None:
    if not ctx.settings.daily_api_key:
        return None
    return CalVideo.from_settings(ctx.settings, await ctx.secret_box())


# The configured Cal Video provider of a request, None when the deployment has none.
CalVideoProvider = Annotated[CalVideo | None, Depends(_cal_video)]
