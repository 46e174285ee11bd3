"""HTTP `GET /v2/slots` against `GET /v2/me` on a real server (one user, 30-minute event,
40 existing bookings), and how the cost grows when the range doubles. Prints figures only."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import cli, percentiles, server, sqlite_url, timed

from opencal.core.db import Database
from opencal.core.security import new_uid
from opencal.models import Attendee, Booking, BookingHost

REQUESTS = 200
START = datetime(2050, 9, 5, tzinfo=UTC)


async def add_bookings(database_url: str, user_id: int, event_type_id: int, count: int) -> None:
    db = Database(database_url)
    async with db.write() as session:
        for index in range(count):
            start = START + timedelta(days=index * 30 // count, hours=9 + index % 6)
            booking = Booking(
                uid=new_uid(),
                event_type_id=event_type_id,
                user_id=user_id,
                title="Busy",
                start_time=start,
                end_time=start + timedelta(minutes=30),
            )
            booking.attendees.append(Attendee(email=f"guest{index}@example.com", name="Guest", time_zone="UTC"))
            session.add(booking)
            await session.flush()
            session.add(
                BookingHost(
                    booking_id=booking.id, user_id=user_id, start_time=booking.start_time, end_time=booking.end_time
                )
            )
    await db.dispose()


def main() -> None:
    with sqlite_url() as url:
        cli(url, "migrate")
        user = cli(
            url,
            "users",
            "create",
            "--email",
            "bench@example.com",
            "--username",
            "bench",
            "--time-zone",
            "Europe/Berlin",
            "--api-key",
        )
        with server(url, OPENCAL_RATE_LIMIT_ENABLED="false") as base:
            headers = {"Authorization": f"Bearer {user['apiKey']}"}
            with httpx.Client(base_url=base, timeout=30) as client:
                event_type = client.post(
                    "/v2/event-types",
                    json={"title": "Bench", "slug": "bench", "lengthInMinutes": 30, "minimumBookingNotice": 0},
                    headers={**headers, "cal-api-version": "2024-06-14"},
                ).json()["data"]
                asyncio.run(add_bookings(url, int(str(user["id"])), event_type["id"], 40))
                slots_headers = {"cal-api-version": "2024-09-04"}
                for _ in range(20):  # warm up
                    client.get("/v2/me", headers=headers)
                me = percentiles(timed(client, "/v2/me", REQUESTS, headers=headers))
                figures = {}
                for days in (30, 60):
                    params = {
                        "eventTypeId": event_type["id"],
                        "start": START.date().isoformat(),
                        "end": (START + timedelta(days=days - 1)).date().isoformat(),
                        "timeZone": "Europe/Berlin",
                    }
                    timed(client, "/v2/slots", 10, params=params, headers=slots_headers)
                    figures[days] = percentiles(
                        timed(client, "/v2/slots", REQUESTS, params=params, headers=slots_headers)
                    )
    print(f"GET /v2/me                    p50 {me[0]:6.2f} ms  p95 {me[1]:6.2f} ms")
    for days, (p50, p95) in figures.items():
        print(f"GET /v2/slots {days:2d} days, 40 bk  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms  ({p50 / me[0]:.2f}x /v2/me)")
    print(f"growth 30 -> 60 days: x{figures[60][0] / figures[30][0]:.2f} (p50)")


if __name__ == "__main__":
    main()
