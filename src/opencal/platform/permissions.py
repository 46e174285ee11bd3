"""OAuth-client permission bits (BEHAVIOR.md §2.3) and the route dependency that checks them.

Bits are checked only for callers authenticated through an OAuth client: its id and secret, or a
managed-user access token it issued (`Principal.permissions` is set). API keys act with their
owner's full rights (`Principal.permissions` is None). A route declares what it needs with
`require_permission`, e.g. `principal: Annotated[Principal, require_permission(Permission.BOOKING_READ)]`
or `dependencies=[require_permission(Permission.BOOKING_WRITE)]`.
"""

from __future__ import annotations

from enum import IntFlag
from typing import Any

from fastapi import Depends

from opencal.core.auth import CurrentPrincipal, Principal
from opencal.core.errors import Forbidden


class Permission(IntFlag):
    EVENT_TYPE_READ = 1
    EVENT_TYPE_WRITE = 2
    BOOKING_READ = 4
    BOOKING_WRITE = 8
    SCHEDULE_READ = 16
    SCHEDULE_WRITE = 32
    APPS_READ = 64
    APPS_WRITE = 128
    PROFILE_READ = 256
    PROFILE_WRITE = 512


ALL_PERMISSIONS = int(sum(Permission))
PERMISSION_NAMES: tuple[str, ...] = tuple(p.name or "" for p in Permission)


def parse_permissions(names: list[str]) -> int:
    """`["*"]` or permission names (EVENT_TYPE_READ, ...) to the bitmask; ValueError names the bad one."""
    if not names or "*" in names:
        return ALL_PERMISSIONS
    bits = 0
    for name in names:
        try:
            bits |= Permission[name.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown permission '{name}'; known: {', '.join(PERMISSION_NAMES)}") from None
    return bits


def permission_names(bits: int) -> list[str]:
    """The names of the bits set, in Cal.com's order."""
    return [p.name or "" for p in Permission if bits & p == p]


def ensure_permissions(principal: Principal, *required: Permission) -> None:
    """403 naming the required permissions when an OAuth-client caller lacks any of them."""
    if principal.permissions is None:
        return
    needed = 0
    for permission in required:
        needed |= permission
    if principal.permissions & needed != needed:
        raise Forbidden(
            f"PermissionsGuard - oAuth client with id={principal.oauth_client_id} does not have the required "
            f"permissions={', '.join(permission_names(needed))}. Add the required permissions to the oAuth client."
        )


def require_permission(*required: Permission) -> Any:
    """A dependency that authenticates the caller and checks the permission bits; yields the Principal."""

    async def check(principal: CurrentPrincipal) -> Principal:
        ensure_permissions(principal, *required)
        return principal

    return Depends(check)
