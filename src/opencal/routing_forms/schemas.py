"""Routing form DTOs, named as the official components, and the definition a form is created from."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator

from opencal.core.envelope import CalModel, SuccessEnvelope

# Answers are texts, numbers or lists of option ids, as Cal.com's form fields produce them.
AnswerValue = str | int | float | list[str]


class RoutingFormOutput(CalModel):
    name: str = Field(examples=["My Form"])
    description: str | None = Field(examples=["This is the description."])
    position: int = Field(examples=[0])
    createdAt: str = Field(examples=["2024-03-28T10:00:00.000Z"])
    updatedAt: str = Field(examples=["2024-03-28T10:00:00.000Z"])
    userId: int = Field(examples=[2313])
    teamId: int | None = Field(examples=[4214321])
    disabled: bool = Field(examples=[False])
    id: str
    routes: Any = None
    fields: Any = None
    settings: Any = None


class RoutingFormResponseResponseOutput(CalModel):
    label: str
    identifier: str | None = None
    value: AnswerValue


class RoutingFormResponseOutput(CalModel):
    id: int
    formId: str
    formFillerId: str
    routedToBookingUid: str | None
    response: dict[str, RoutingFormResponseResponseOutput] = Field(
        examples=[{"f00b26df-f54b-4985-8d98-17c5482c6a24": {"label": "participant", "value": "mamut"}}]
    )
    createdAt: str = Field(json_schema_extra={"format": "date-time"})


class UpdateRoutingFormResponseInput(CalModel):
    response: dict[str, Any] | None = Field(
        default=None,
        description="The updated response data: answers keyed by field id (or identifier), each a value or "
        "an object with a `value`",
    )


class GetRoutingFormsOutput(SuccessEnvelope):
    data: list[RoutingFormOutput]


class GetRoutingFormResponsesOutput(SuccessEnvelope):
    data: list[RoutingFormResponseOutput]


class UpdateRoutingFormResponseOutput(SuccessEnvelope):
    data: RoutingFormResponseOutput


# -- routing answers to slots --------------------------------------------------------------------


class Routing(CalModel):
    queuedResponseId: str | None = Field(
        default=None, description="The ID of the queued form response. Only present if the form response was queued."
    )
    responseId: int | None = Field(default=None, description="The ID of the routing form response.")
    teamMemberIds: list[int] = Field(description="Array of team member IDs that were routed to handle this booking.")
    teamMemberEmail: str | None = None
    skipContactOwner: bool | None = None
    crmAppSlug: str | None = None
    crmOwnerRecordType: str | None = None


class CreateRoutingFormResponseOutputData(CalModel):
    eventTypeId: int | None = Field(default=None, description="The ID of the event type that was routed to.")
    routing: Routing | None = Field(
        default=None, description="The routing information that could be passed as is to the booking API."
    )
    routingCustomMessage: str | None = Field(
        default=None, description="A custom message to be displayed to the user in case of routing to a custom page."
    )
    routingExternalRedirectUrl: str | None = Field(
        default=None,
        description="The external redirect URL to be used in case of routing to a non cal.com event type URL.",
    )
    # `{date: [{start}]}` or, with `format=range`, `{date: [{start, end}]}`, as `GET /v2/slots` answers.
    slots: dict[str, Any] | None = None


class CreateRoutingFormResponseOutput(SuccessEnvelope):
    data: CreateRoutingFormResponseOutputData


class ResponseSlotsOutputData(CalModel):
    eventTypeId: int
    slots: dict[str, Any]


class ResponseSlotsOutput(SuccessEnvelope):
    data: ResponseSlotsOutputData


# -- creating forms (the web app's job in Cal.com; here the CLI's) ------------------------------


class RoutingFormField(CalModel):
    """One question of a form; properties beyond these (options, placeholder, ...) are kept as given."""

    model_config = ConfigDict(extra="allow")

    id: str | None = Field(default=None, min_length=1)
    type: str = Field(min_length=1)
    label: str = Field(min_length=1)
    identifier: str | None = None
    required: bool = False


class RoutingFormDefinition(CalModel):
    """A routing form as written in the file given to `opencal routing-forms create`."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    description: str | None = None
    teamId: int
    userId: int | None = None
    disabled: bool = False
    position: int = 0
    fields: list[RoutingFormField] = Field(default_factory=list)
    routes: list[dict[str, Any]] = Field(default_factory=list)
    settings: dict[str, Any] | None = None

    @field_validator("fields")
    @classmethod
    def _unique_ids(cls, fields: list[RoutingFormField]) -> list[RoutingFormField]:
        ids = [f.id for f in fields if f.id is not None]
        if len(ids) != len(set(ids)):
            raise ValueError("field ids must be unique")
        return fields
