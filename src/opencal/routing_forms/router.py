"""`Routing forms`: the slots a routing form's answers lead to, and the query both slot-answering
routing form operations (here and under `/v2/organizations`) share.

The answers are the request body, keyed by field id, identifier or label, as Cal.com reads them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request

from opencal.core.context import Db
from opencal.core.envelope import success
from opencal.core.permissions import Authorized, Requires
from opencal.routing_forms import submissions
from opencal.routing_forms.schemas import ResponseSlotsOutput
from opencal.slots.query import SlotsRequest

router = APIRouter(prefix="/v2/routing-forms", tags=["Routing forms"])


def _documented_slot_parameters(
    start: Annotated[
        str, Query(description="ISO 8601 date or date-time (UTC) from which slots are checked", examples=["2050-09-05"])
    ],
    end: Annotated[
        str,
        Query(description="ISO 8601 date or date-time (UTC) until which slots are checked", examples=["2050-09-06"]),
    ],
    timeZone: Annotated[
        str | None, Query(description="Time zone in which the available slots should be returned. Defaults to UTC.")
    ] = None,
    duration: Annotated[
        float | None, Query(description="The desired duration when the event type has several possible durations.")
    ] = None,
    format: Annotated[
        Literal["range", "time"] | None,
        Query(description="Format of slot times in response. Use 'range' to get start and end times."),
    ] = None,
    bookingUidToReschedule: Annotated[
        str | None, Query(description="The booking being rescheduled: its time stays among the slots.")
    ] = None,
) -> None:
    """Only documents the parameters: they are read strictly from the raw query, as `GET /v2/slots` does."""


SlotParameters = Annotated[None, Depends(_documented_slot_parameters)]


def slots_query(request: Request, _: SlotParameters) -> SlotsRequest:
    return submissions.parse_query(request.query_params, allowed=submissions.SLOT_PARAMETERS)


def create_response_query(
    request: Request,
    _: SlotParameters,
    queueResponse: Annotated[bool | None, Query(description="Whether to queue the form response.")] = None,
) -> SlotsRequest:
    return submissions.parse_query(request.query_params, allowed=submissions.CREATE_PARAMETERS)


Answers = Annotated[
    dict[str, Any] | None,
    Body(description="The answers, keyed by field id, identifier or label: each a value or an object with a `value`"),
]


@router.post(
    "/{routingFormId}/calculate-slots",
    operation_id="RoutingFormsController_calculateSlotsBasedOnRoutingFormResponse",
    summary="Calculate slots based on routing form response",
    description="It will not actually save the response just return the routed event type and slots when it can be "
    "booked.",
    response_model=ResponseSlotsOutput,
)
async def calculate_slots(
    # Anyone may fill in a routing form; the document asks for a credential. The access is checked
    # before the query is read.
    _: Annotated[Authorized, Requires("AUTHENTICATED")],
    db: Db,
    routingFormId: str,
    query: Annotated[SlotsRequest, Depends(slots_query)],
    answers: Answers = None,
) -> Any:
    return success(await submissions.calculate_slots(db, routingFormId, answers or {}, query))
