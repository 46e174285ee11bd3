"""`ZoneClock` and the slot output formatter agree with zoneinfo instant by instant, across DST
changes in both directions and zones with half-hour and quarter-hour offsets."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from opencal.availability import Slot, ZoneClock
from opencal.slots.service import format_instant, slots_output

ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Chatham",
    "UTC",
]
# 2020-01-01 .. 2060-01-01: every transition of those years, both directions.
INSTANTS = st.integers(min_value=1_577_836_800, max_value=2_840_140_800)


@settings(max_examples=400, deadline=None)
@given(zone_name=st.sampled_from(ZONES), instants=st.lists(INSTANTS, min_size=1, max_size=40))
def test_offsets_and_dates_match_zoneinfo(zone_name: str, instants: list[int]) -> None:
    zone = ZoneInfo(zone_name)
    clock = ZoneClock(zone)
    for seconds in instants:
        local = datetime.fromtimestamp(seconds, zone)
        offset = local.utcoffset()
        assert offset is not None
        assert clock.offset(seconds) == int(offset.total_seconds())
        assert clock.local_date(seconds) == local.date()


def test_every_second_around_a_transition() -> None:
    """The hour holding New York's 2050 spring-forward and fall-back changes, second by second."""
    zone = ZoneInfo("America/New_York")
    clock = ZoneClock(zone)
    for change in (datetime(2050, 3, 13, 7, tzinfo=UTC), datetime(2050, 11, 6, 6, tzinfo=UTC)):
        first = int(change.timestamp()) - 3600
        for seconds in range(first, first + 7200):
            offset = datetime.fromtimestamp(seconds, zone).utcoffset()
            assert offset is not None
            assert clock.offset(seconds) == int(offset.total_seconds()), seconds


@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from([*ZONES, None]),
    starts=st.lists(INSTANTS, min_size=1, max_size=30, unique=True),
    length=st.sampled_from([15, 30, 45, 60, 90]),
)
def test_slot_output_matches_isoformat(zone_name: str | None, starts: list[int], length: int) -> None:
    slots = [Slot(start, start + length * 60) for start in sorted(starts)]
    expected: dict[str, list[dict[str, str]]] = {}
    zone = ZoneInfo(zone_name) if zone_name else UTC
    for slot in slots:
        day = slot.start.astimezone(zone).date().isoformat()
        expected.setdefault(day, []).append(
            {"start": format_instant(slot.start, zone_name), "end": format_instant(slot.end, zone_name)}
        )
    assert slots_output(slots, zone_name, range_format=True) == expected
