"""HTTP `GET /v2/slots` of a round-robin event type with 50 hosts over 30 days, each host with 20
bookings a week, on a real `opencal serve` process (SQLite). Prints p50 and p95 against a 150 ms p50
target. Prints figures only."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import cli, percentiles, server, sqlite_url, timed

from opencal.core.db import Database
from opencal.core.security import new_uid
from opencal.models import Attendee, Booking, BookingHost, Membership, Team
from opencal.users import bootstrap

HOSTS = 50
DAYS = 30
BOOKINGS_PER_WEEK = 20
REQUESTS = 100
TARGET_P50_MS = 150.0
FIRST_DAY = date(2050, 9, 5)  # a Monday
ZONES = ("Europe/London", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "America/Los_Angeles")
# Four one-hour bookings a working day (local time), five days a week: 20 a week.
BOOKED_HOURS = (9, 11, 13, 15)


async def populate(database_url: str) -> tuple[int, str, list[int]]:
    """An admin, a team of 50 hosts in five zones, and their bookings; (team id, admin key, host ids)."""
    db = Database(database_url)
    async with db.write() as session:
        admin = await bootstrap.create_user(session, email="admin@bench.example", username="admin", with_api_key=True)
        team = Team(name="Support", slug="support")
        session.add(team)
        await session.flush()
        session.add(Membership(team_id=team.id, user_id=admin.user.id, role="OWNER", accepted=True))
        hosts = []
        for index in range(HOSTS):
            created = await bootstrap.create_user(
                session,
                email=f"host{index}@bench.example",
                username=f"host{index}",
                name=f"Host {index}",
                time_zone=ZONES[index % len(ZONES)],
            )
            session.add(Membership(team_id=team.id, user_id=created.user.id, role="MEMBER", accepted=True))
            hosts.append(created.user)
        await session.flush()
        assert admin.api_key is not None
        team_id, api_key = team.id, admin.api_key
        host_ids = [host.id for host in hosts]
        zones = {host.id: host.time_zone for host in hosts}
    for host_id in host_ids:
        async with db.write() as session:
            await add_bookings(session, host_id, ZoneInfo(zones[host_id]))
    await db.dispose()
    return team_id, api_key, host_ids


async def add_bookings(session: AsyncSession, host_id: int, zone: ZoneInfo) -> None:
    """Four one-hour bookings each working day (host's time), from a week before to a week after."""
    day = FIRST_DAY - timedelta(days=7)
    per_week = 0
    while day <= FIRST_DAY + timedelta(days=DAYS + 7):
        if day.weekday() < 5:
            for hour in BOOKED_HOURS:
                start = datetime.combine(day, time(hour), zone).astimezone(UTC)
                booking = Booking(
                    uid=new_uid(),
                    user_id=host_id,
                    title="Busy",
                    start_time=start,
                    end_time=start + timedelta(hours=1),
                )
                booking.attendees.append(Attendee(email=f"guest{per_week}@example.com", name="Guest", time_zone="UTC"))
                session.add(booking)
                await session.flush()
                session.add(
                    BookingHost(booking_id=booking.id, user_id=host_id, start_time=start, end_time=booking.end_time)
                )
                per_week += 1
        day += timedelta(days=1)


def main() -> None:
    with sqlite_url() as url:
        cli(url, "migrate")
        team_id, api_key, host_ids = asyncio.run(populate(url))
        with server(url, OPENCAL_RATE_LIMIT_ENABLED="false") as base, httpx.Client(base_url=base, timeout=60) as client:
            body = {
                "title": "Support call",
                "slug": "support-call",
                "lengthInMinutes": 30,
                "minimumBookingNotice": 0,
                "schedulingType": "roundRobin",
                "hosts": [{"userId": host_id} for host_id in host_ids],
            }
            created = client.post(
                f"/v2/teams/{team_id}/event-types", json=body, headers={"Authorization": f"Bearer {api_key}"}
            )
            created.raise_for_status()
            params = {
                "eventTypeId": created.json()["data"]["id"],
                "start": FIRST_DAY.isoformat(),
                "end": (FIRST_DAY + timedelta(days=DAYS - 1)).isoformat(),
                "timeZone": "Europe/London",
            }
            headers = {"cal-api-version": "2024-09-04"}
            first = client.get("/v2/slots", params=params, headers=headers)
            first.raise_for_status()
            slot_count = sum(len(day) for day in first.json()["data"].values())
            auth = {"Authorization": f"Bearer {api_key}"}
            timed(client, "/v2/me", 10, headers=auth)  # warm up
            timed(client, "/v2/slots", 10, params=params, headers=headers)
            # `GET /v2/me` measured alongside: the cost of any request on this machine at this moment.
            me_p50, _ = percentiles(timed(client, "/v2/me", REQUESTS, headers=auth))
            p50, p95 = percentiles(timed(client, "/v2/slots", REQUESTS, params=params, headers=headers))
    bookings = HOSTS * len(BOOKED_HOURS) * 5
    print(
        f"GET /v2/slots round robin, {HOSTS} hosts, {DAYS} days, {bookings} bookings a week, {slot_count} slots: "
        f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"
    )
    print(f"GET /v2/me (same server, same moment): p50 {me_p50:6.2f} ms; slots = {p50 / me_p50:.1f}x /v2/me")
    verdict = "met" if p50 < TARGET_P50_MS else "MISSED"
    print(f"target p50 < {TARGET_P50_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
