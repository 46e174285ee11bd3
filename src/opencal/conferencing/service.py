"""A booking's Cal Video recordings, transcripts and meeting sessions, read from Daily.

Who may read them (Cal.com's booking access guard): the organizer; a host of the booking; for a
team event, an ADMIN/OWNER of its team or of the team's organization (or a member whose custom role
grants `booking.readTeamBookings`, `booking.readOrgBookings` there); for a managed event type's
booking, an admin of the parent's team or of its organization; for a personal event, an ADMIN/OWNER
of the organizer's organization or of any team the organizer belongs to. A custom role granting
`booking.readRecordings` on the event's team (or its organization) lets its holder read them too.
Anyone else, including for a booking uid that does not exist, is refused with 403, as in Cal.com.

The room is the one of the booking's latest `daily_video` reference; without one the answer is 404
"No Cal Video reference found". Without a configured provider the lists are empty (Cal.com answers
the same when its Daily keys are missing). A Daily failure is answered 502, never 500.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.bookings.access import ADMIN_ROLES, is_attendee
from opencal.bookings.service import booking_by_uid
from opencal.conferencing.daily import DailyClient, DailyError, Recording
from opencal.conferencing.rooms import CalVideo, last_room
from opencal.core.auth import Principal
from opencal.core.db import Database
from opencal.core.errors import BadGateway, Forbidden, NotFound
from opencal.core.permissions import custom_roles_grant
from opencal.models import Booking, BookingHost, EventType, Host, Membership, Team, User

# Recording download links stay valid 12 hours; transcript links are fetched a few at a time.
RECORDING_LINK_SECONDS = 43_200
TRANSCRIPT_BATCH = 5
RECORDINGS_FAILED = "Something went wrong! Unable to get recording"
RECORDING_LINK_FAILED = "Something went wrong! Unable to get recording access link"
TRANSCRIPTS_FAILED = "Something went wrong! Unable to get transcription access link"
SESSIONS_FAILED = "Something went wrong! Unable to get meeting information"


# -- access ---------------------------------------------------------------------------------------


async def _grants(
    session: AsyncSession, user_id: int, team_ids: Iterable[int | None], permission: str, *, by_role: bool = True
) -> bool:
    """An accepted membership of one of the teams with an ADMIN/OWNER role (when `by_role`) or a custom
    role granting `permission`."""
    wanted = {team_id for team_id in team_ids if team_id is not None}
    if not wanted:
        return False
    rows = (
        await session.execute(
            select(Membership.role, Membership.custom_role_id).where(
                Membership.user_id == user_id, Membership.team_id.in_(wanted), Membership.accepted.is_(True)
            )
        )
    ).all()
    if by_role and any(role in ADMIN_ROLES for role, _ in rows):
        return True
    return await custom_roles_grant(session, (custom_role for _, custom_role in rows), permission)


async def _is_host(session: AsyncSession, principal: Principal, booking: Booking, event_type: EventType | None) -> bool:
    """A host the booking occupies, or a host of its event type who attends it."""
    occupied = await session.scalar(
        select(func.count())
        .select_from(BookingHost)
        .where(BookingHost.booking_id == booking.id, BookingHost.user_id == principal.user_id)
    )
    if occupied:
        return True
    if event_type is None:
        return False
    hosts = set(await session.scalars(select(Host.user_id).where(Host.event_type_id == event_type.id)))
    if principal.user_id not in hosts and principal.user_id != event_type.owner_id:
        return False
    return await is_attendee(session, principal, booking)


async def _parent_team(session: AsyncSession, team_id: int) -> int | None:
    parent: int | None = await session.scalar(select(Team.parent_id).where(Team.id == team_id))
    return parent


async def _has_access(session: AsyncSession, principal: Principal, booking: Booking) -> bool:
    if principal.user_id == booking.user_id:
        return True
    user = await session.get(User, principal.user_id)
    if user is None:
        return False
    event_type = await session.get(EventType, booking.event_type_id) if booking.event_type_id is not None else None
    if await _is_host(session, principal, booking, event_type):
        return True
    if event_type is not None and event_type.team_id is not None:
        team, organization = event_type.team_id, await _parent_team(session, event_type.team_id)
        if await _grants(session, user.id, {team}, "booking.readTeamBookings"):
            return True
        if await _grants(session, user.id, {organization}, "booking.readOrgBookings"):
            return True
        # Beyond the booking's own readers, a custom role may open its recordings alone.
        return await _grants(session, user.id, {team, organization}, "booking.readRecordings", by_role=False)
    parent = await session.get(EventType, event_type.parent_id) if event_type and event_type.parent_id else None
    if parent is not None and parent.team_id is not None:
        return await _grants(
            session, user.id, {parent.team_id, await _parent_team(session, parent.team_id)}, "booking.readTeamBookings"
        )
    if booking.user_id is None:
        return False
    organizer = await session.get(User, booking.user_id)
    if organizer is None:
        return False
    if await _grants(session, user.id, {organizer.organization_id}, "booking.readOrgBookings"):
        return True
    organizer_teams = await session.scalars(
        select(Membership.team_id).where(Membership.user_id == organizer.id, Membership.accepted.is_(True))
    )
    return await _grants(session, user.id, organizer_teams, "booking.readTeamBookings")


async def _room(db: Database, uid: str, principal: Principal) -> str:
    """The Cal Video room of booking `uid`, once the caller is allowed to read it."""
    async with db.read() as session:
        booking = await booking_by_uid(session, uid)
        if booking is None or not await _has_access(session, principal, booking):
            raise Forbidden(
                f"BookingPbacGuard - user with id={principal.user_id} does not have access to booking with uid={uid}"
            )
        room = await last_room(session, booking.id)
    if not room:
        raise NotFound(f"No Cal Video reference found with booking uid {uid}")
    return room


# -- reads ----------------------------------------------------------------------------------------


def _recording(recording: Recording) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": recording.id,
        "roomName": recording.room_name,
        "startTs": recording.start_ts,
        "status": recording.status,
    }
    if recording.max_participants is not None:
        out["maxParticipants"] = recording.max_participants
    out.update({"duration": recording.duration, "shareToken": recording.share_token})
    return out


async def _with_download_link(daily: DailyClient, recording: Recording) -> dict[str, Any]:
    out = _recording(recording)
    try:
        link = await daily.recording_access_link(recording.id, valid_for_secs=RECORDING_LINK_SECONDS)
    except DailyError:
        # One link failing does not hide the others: the recording is listed with the reason.
        return {**out, "downloadLink": None, "error": RECORDING_LINK_FAILED}
    return {**out, "downloadLink": link.download_link}


async def get_recordings(db: Database, video: CalVideo | None, uid: str, principal: Principal) -> list[dict[str, Any]]:
    """`GET /v2/bookings/{uid}/recordings`: each recording of the room, with a 12-hour download link."""
    room = await _room(db, uid, principal)
    if video is None:
        return []
    async with video.client() as daily:
        try:
            recordings = await daily.list_recordings(room)
        except DailyError as exc:
            raise BadGateway(RECORDINGS_FAILED) from exc
        return list(await asyncio.gather(*(_with_download_link(daily, r) for r in recordings)))


async def _transcript_links(daily: DailyClient, transcript_ids: Sequence[str]) -> list[str]:
    links: list[str] = []
    for start in range(0, len(transcript_ids), TRANSCRIPT_BATCH):
        batch = transcript_ids[start : start + TRANSCRIPT_BATCH]
        links.extend(await asyncio.gather(*(daily.transcript_access_link(tid) for tid in batch)))
    return links


async def get_transcripts(db: Database, video: CalVideo | None, uid: str, principal: Principal) -> list[str]:
    """`GET /v2/bookings/{uid}/transcripts`: a download link for each transcript stored for the room."""
    room = await _room(db, uid, principal)
    if video is None:
        return []
    async with video.client() as daily:
        try:
            room_id = (await daily.get_room(room)).id
            transcripts = await daily.list_transcripts(room_id)
            return await _transcript_links(daily, [t.transcriptId for t in transcripts])
        except DailyError as exc:
            raise BadGateway(TRANSCRIPTS_FAILED) from exc


async def get_video_sessions(
    db: Database, video: CalVideo | None, uid: str, principal: Principal
) -> list[dict[str, Any]]:
    """`GET /v2/bookings/{uid}/conferencing-sessions`: the meeting sessions held in the room."""
    room = await _room(db, uid, principal)
    if video is None:
        return []
    async with video.client() as daily:
        try:
            meetings = await daily.list_meetings(room)
        except DailyError as exc:
            raise BadGateway(SESSIONS_FAILED) from exc
    return [
        {
            "id": meeting.id,
            "room": meeting.room,
            "startTime": meeting.start_time,
            "duration": meeting.duration,
            "ongoing": meeting.ongoing,
            "maxParticipants": meeting.max_participants,
            "participants": [
                {
                    "userId": participant.user_id,
                    "userName": participant.user_name,
                    "joinTime": participant.join_time,
                    "duration": participant.duration,
                }
                for participant in meeting.participants
            ],
        }
        for meeting in meetings
    ]
