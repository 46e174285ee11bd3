"""Submitting answers to a routing form: the route they take and, for an event type, its slots.

An `eventTypeRedirectUrl` action names the event type as `.../<event-slug>` (`team/sales/demo`): the
event type with that slug of the form's team (of the form's owner for a personal form). Slots are
those `GET /v2/slots` answers for that event type, with the same query parameters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.errors import BadRequest, NotFound
from opencal.models import RoutingForm
from opencal.models.event_types import EventType
from opencal.routing_forms.routing import MatchedRoute, matching_route
from opencal.routing_forms.service import normalized_answers, save_response
from opencal.slots.query import SlotsRequest, parse_slots_query, reject_unknown
from opencal.slots.service import available_slots, check_duration, slots_output

SLOT_PARAMETERS = frozenset({"start", "end", "timeZone", "duration", "format", "bookingUidToReschedule"})
CREATE_PARAMETERS = SLOT_PARAMETERS | {"queueResponse"}
NO_ROUTE = "Route to which the form response should be redirected not found."


@dataclass(frozen=True, slots=True)
class Routed:
    """Where a submission went: the matched route, its event type (if any) and the stored response."""

    route: MatchedRoute
    event_type_id: int | None
    response_id: int | None


def parse_query(params: Mapping[str, str], *, allowed: frozenset[str]) -> SlotsRequest:
    """The slot query of a submission, read as `GET /v2/slots` reads it (`queueResponse` aside: the
    route validates it, and a response is always stored at once)."""
    reject_unknown(params, allowed)
    return parse_slots_query({k: v for k, v in params.items() if k != "queueResponse"})


def _required_missing(form: RoutingForm, answers: Mapping[str, Mapping[str, Any]]) -> None:
    for field in form.fields or []:
        if not isinstance(field, dict) or field.get("required") is not True or not isinstance(field.get("id"), str):
            continue
        value = answers.get(field["id"], {}).get("value")
        if value is None or value == "" or value == []:
            name = field.get("identifier") or field.get("label") or field["id"]
            raise BadRequest(f"response.{name}: this field is required")


async def _routed_event_type(session: AsyncSession, form: RoutingForm, target: str) -> EventType:
    slug = target.strip("/").rsplit("/", 1)[-1]
    query = select(EventType).where(EventType.slug == slug)
    if form.team_id is not None:
        query = query.where(EventType.team_id == form.team_id)
    else:
        query = query.where(EventType.owner_id == form.user_id, EventType.team_id.is_(None))
    event_type = await session.scalar(query.limit(1))
    if event_type is None:
        raise NotFound(f"Event type with slug '{slug}' routed to by routing form with id={form.id} not found")
    return event_type


async def route_submission(
    session: AsyncSession, form: RoutingForm, answers: dict[str, Any], request: SlotsRequest, *, record: bool
) -> Routed:
    """Route `answers` through `form`; with `record`, store them as a response of the form.

    Everything that can refuse the submission (answers, route, event type, duration) is checked
    before anything is written.
    """
    normalized = normalized_answers(form, answers)
    _required_missing(form, normalized)
    route = matching_route(form.routes, form.fields, {key: entry["value"] for key, entry in normalized.items()})
    if route is None:
        raise NotFound(NO_ROUTE)
    event_type_id: int | None = None
    if route.action.type == "eventTypeRedirectUrl":
        event_type = await _routed_event_type(session, form, route.action.value)
        check_duration(event_type, request.duration)
        event_type_id = event_type.id
    response_id = (await save_response(session, form, answers)).id if record else None
    return Routed(route=route, event_type_id=event_type_id, response_id=response_id)


async def routed_slots(db: Database, request: SlotsRequest, event_type_id: int) -> dict[str, Any]:
    """The slots of the routed event type, exactly as `GET /v2/slots?eventTypeId=...` answers them."""
    by_id = dataclasses.replace(request, event_type_id=event_type_id)
    _subject, slots, _length = await available_slots(db, by_id)
    return slots_output(slots, request.time_zone, request.range_format)


async def created_response_output(db: Database, routed: Routed, request: SlotsRequest) -> dict[str, Any]:
    """`CreateRoutingFormResponseOutputData` for a stored submission."""
    action = routed.route.action
    if action.type == "customPageMessage":
        return {"routingCustomMessage": action.value}
    if action.type == "externalRedirectUrl":
        return {"routingExternalRedirectUrl": action.value}
    assert routed.event_type_id is not None
    return {
        "routing": {"responseId": routed.response_id, "teamMemberIds": [], "skipContactOwner": False},
        "eventTypeId": routed.event_type_id,
        "slots": await routed_slots(db, request, routed.event_type_id),
    }


async def calculate_slots(db: Database, form_id: str, answers: dict[str, Any], request: SlotsRequest) -> dict[str, Any]:
    """`ResponseSlotsOutputData`: the routed event type and its slots, storing nothing."""
    async with db.read() as session:
        form = await session.get(RoutingForm, form_id)
        if form is None:
            raise NotFound(f"Routing form with id={form_id} not found")
        routed = await route_submission(session, form, answers, request, record=False)
    if routed.event_type_id is None:
        raise NotFound("Routed to a non cal.com event type URL.")
    return {"eventTypeId": routed.event_type_id, "slots": await routed_slots(db, request, routed.event_type_id)}
