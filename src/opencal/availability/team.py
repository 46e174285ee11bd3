"""Combining hosts' free time into the event's availability (BEHAVIOR §3.5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from .intervals import Span, contains, drop_contained, intersect_all, intersect_ranges


@dataclass(frozen=True, slots=True)
class HostFreeTime:
    """A host's free time (a span list) and their role in the event."""

    host_id: int
    spans: Sequence[Span]
    is_fixed: bool = True
    group_id: str | None = None


def aggregate_availability(hosts: Sequence[HostFreeTime]) -> list[Span]:
    """When the event can take place, as a range list.

    Fixed hosts must all be free: their spans are intersected. Round-robin hosts are grouped by
    `group_id`; at least one host of every group must be free for the whole slot, so a group
    contributes its hosts' ranges side by side (a slot must fit inside one host's range, never
    across two hosts). The result is the intersection of the fixed hosts' time with every group.

    STRICT reading: when there are fixed hosts and they have no time in common there is no
    availability at all. (Older Cal.com left an empty fixed intersection out and let the
    round-robin groups decide, offering slots the booking step then refused.)
    """
    fixed = [host.spans for host in hosts if host.is_fixed]
    groups: dict[str | None, list[Sequence[Span]]] = {}
    for host in hosts:
        if not host.is_fixed:
            groups.setdefault(host.group_id or None, []).append(host.spans)

    parts: list[list[Span]] = []
    if fixed:
        parts.append(intersect_all(fixed))
    parts.extend(drop_contained(chain.from_iterable(members)) for members in groups.values())
    if not parts:
        return []

    available = parts[0]
    for part in parts[1:]:
        if not available:
            break
        available = intersect_ranges(available, part)
    return available


def free_host_ids(hosts: Sequence[HostFreeTime], start: int, end: int) -> list[int]:
    """Ids of the hosts free for all of [start, end), in input order."""
    return [host.host_id for host in hosts if contains(host.spans, start, end)]
