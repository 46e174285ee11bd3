"""Field rules shared by every place that writes a user profile."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from opencal.core.errors import BadRequest

WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
METADATA_MAX_KEYS = 50
METADATA_MAX_KEY_LENGTH = 40
METADATA_MAX_VALUE_LENGTH = 500


def is_valid_time_zone(name: str) -> bool:
    if not name or name.startswith(("/", ".")) or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in _zone_names() or name == "UTC"


_zones: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _zones
    if _zones is None:
        _zones = frozenset(available_timezones())
    return _zones


def check_time_zone(name: str, field: str = "timeZone") -> str:
    if not is_valid_time_zone(name):
        raise BadRequest(f"{field} must be a valid IANA time zone, got '{name}'")
    return name


def check_metadata(metadata: dict[str, Any], field: str = "metadata") -> dict[str, Any]:
    """Cal.com's metadata limits: at most 50 keys, keys up to 40 chars, values up to 500 chars."""
    if len(metadata) > METADATA_MAX_KEYS:
        raise BadRequest(f"{field} must have at most {METADATA_MAX_KEYS} keys")
    for key, value in metadata.items():
        if len(key) > METADATA_MAX_KEY_LENGTH:
            raise BadRequest(f"{field} keys must be at most {METADATA_MAX_KEY_LENGTH} characters: '{key}'")
        if isinstance(value, str) and len(value) > METADATA_MAX_VALUE_LENGTH:
            raise BadRequest(f"{field} values must be at most {METADATA_MAX_VALUE_LENGTH} characters: '{key}'")
    return metadata
