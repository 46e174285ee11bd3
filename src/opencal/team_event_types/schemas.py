"""DTOs of the team event type operations and of booking reassignment, named as the official components.

A team event type input is a user event type input plus the team's fields (`schedulingType`,
`hosts`, `assignAllTeamMembers`, `emailSettings`, `rescheduleWithSameRoundRobinHost`); team
locations also accept `organizersDefaultApp`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, StrictStr, field_validator

from opencal.core.envelope import CalModel, SuccessEnvelope
from opencal.event_types.schemas import (
    INPUT_LOCATION_TYPES,
    BaseEventTypeOutput,
    CreateEventTypeInput_2024_06_14,
    InputAddressLocation_2024_06_14,
    InputAttendeeAddressLocation_2024_06_14,
    InputAttendeeDefinedLocation_2024_06_14,
    InputAttendeePhoneLocation_2024_06_14,
    InputIntegrationLocation_2024_06_14,
    InputLinkLocation_2024_06_14,
    InputOrganizersDefaultApp_2024_06_14,
    InputPhoneLocation_2024_06_14,
    UpdateEventTypeInput_2024_06_14,
    check_location_entries,
)

HostPriority = Literal["lowest", "low", "medium", "high", "highest"]
SchedulingType = Literal["collective", "roundRobin", "managed"]
TEAM_LOCATION_TYPES = (*INPUT_LOCATION_TYPES, "organizersDefaultApp")
# Cal.com also takes its database names (`COLLECTIVE`, ...) for the scheduling type.
_STORED_SCHEDULING_NAMES = {"COLLECTIVE": "collective", "ROUND_ROBIN": "roundRobin", "MANAGED": "managed"}


def _api_scheduling_name(value: Any) -> Any:
    return _STORED_SCHEDULING_NAMES.get(value, value) if isinstance(value, str) else value


InputSchedulingType = Annotated[
    SchedulingType,
    BeforeValidator(_api_scheduling_name),
    Field(
        description="The scheduling type for the team event - collective, roundRobin or managed.",
        examples=["collective"],
    ),
]
InputTeamLocation_2024_06_14 = Annotated[
    InputAddressLocation_2024_06_14
    | InputLinkLocation_2024_06_14
    | InputIntegrationLocation_2024_06_14
    | InputPhoneLocation_2024_06_14
    | InputAttendeeAddressLocation_2024_06_14
    | InputAttendeePhoneLocation_2024_06_14
    | InputAttendeeDefinedLocation_2024_06_14
    | InputOrganizersDefaultApp_2024_06_14,
    Field(discriminator="type"),
]


class Host(CalModel):
    userId: StrictInt = Field(description="Which user is the host of this event")
    mandatory: StrictBool | None = Field(
        default=False,
        description="Only relevant for round robin event types. If true then the user must attend round robin event "
        "always.",
    )
    priority: HostPriority | None = Field(default="medium")
    weight: StrictInt | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="Only relevant for round robin event types: the host's share of the bookings relative to the "
        "other hosts (100 when not given). Weights are used once one host of the event has one.",
    )
    groupId: StrictStr | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Only relevant for round robin event types: hosts of the same group are interchangeable; every "
        "booking gets one host of each group.",
    )


class EmailSettings_2024_06_14(CalModel):
    disableEmailsToAttendees: StrictBool | None = Field(
        default=None,
        description="Disables all email communication to attendees for this event type, including booking "
        "confirmations, reminders, and cancellations. This DOES NOT include emails sent by custom email workflows.",
    )
    disableEmailsToHosts: StrictBool | None = Field(
        default=None,
        description="Disables all email communication to hosts for this event type, including booking confirmations, "
        "reminders, and cancellations. This DOES NOT include emails sent by custom email workflows.",
    )


class _TeamFields(CalModel):
    hosts: list[Host] | None = Field(
        default=None,
        description="Hosts contain specific team members you want to assign to this event type, but if you want to "
        "assign all team members, use `assignAllTeamMembers: true` instead and omit this field. Provide either hosts "
        "or assignAllTeamMembers but not both",
    )
    assignAllTeamMembers: StrictBool | None = Field(
        default=None,
        description="If true, all current and future team members will be assigned to this event type. Provide "
        "either assignAllTeamMembers or hosts but not both",
    )
    locations: list[InputTeamLocation_2024_06_14] | None = Field(
        default=None,
        description="Locations where the event will take place. If not provided, cal video link will be used as the "
        "location.",
    )
    emailSettings: EmailSettings_2024_06_14 | None = Field(
        default=None,
        description="Email settings for this event type - only available for organization team event types.",
    )
    rescheduleWithSameRoundRobinHost: StrictBool | None = Field(
        default=None, description="Rescheduled events will be assigned to the same host as initially scheduled."
    )

    @field_validator("locations", mode="before")
    @classmethod
    def _typed_locations(cls, value: Any) -> Any:
        return check_location_entries(value, TEAM_LOCATION_TYPES)


class CreateTeamEventTypeInput_2024_06_14(_TeamFields, CreateEventTypeInput_2024_06_14):
    schedulingType: InputSchedulingType


class UpdateTeamEventTypeInput_2024_06_14(_TeamFields, UpdateEventTypeInput_2024_06_14):
    schedulingType: InputSchedulingType | None = None


# -- output ---------------------------------------------------------------------------------------


class TeamEventTypeResponseHost(CalModel):
    userId: int
    name: str
    username: str
    avatarUrl: str | None = None
    # Round robin hosts only.
    mandatory: bool | None = None
    priority: HostPriority | None = None
    weight: int | None = None
    groupId: str | None = None


class EventTypeTeam(CalModel):
    id: int | None
    slug: str | None = None
    bannerUrl: str | None = None
    name: str | None = None
    logoUrl: str | None = None
    weekStart: str | None = None
    brandColor: str | None = None
    darkBrandColor: str | None = None
    theme: str | None = None


class TeamEventTypeOutput_2024_06_14(BaseEventTypeOutput):
    # A managed event type's member copies have no team and an owner.
    teamId: int | None
    ownerId: int | None = None
    parentEventTypeId: int | None = Field(
        default=None,
        description="For managed event types, parent event type is the event type that this event type is based on",
    )
    # Cal.com answers host objects here although its document declares strings.
    hosts: list[TeamEventTypeResponseHost]
    assignAllTeamMembers: bool | None = None
    schedulingType: Literal["roundRobin", "collective", "managed"] | None
    team: EventTypeTeam
    emailSettings: EmailSettings_2024_06_14 | None = None
    rescheduleWithSameRoundRobinHost: bool | None = Field(
        default=None, description="Rescheduled events will be assigned to the same host as initially scheduled."
    )


class CreateTeamEventTypeOutput(SuccessEnvelope):
    data: TeamEventTypeOutput_2024_06_14 | list[TeamEventTypeOutput_2024_06_14]


class GetTeamEventTypeOutput(SuccessEnvelope):
    data: TeamEventTypeOutput_2024_06_14


class GetTeamEventTypesOutput(SuccessEnvelope):
    data: list[TeamEventTypeOutput_2024_06_14]


class UpdateTeamEventTypeOutput(SuccessEnvelope):
    data: TeamEventTypeOutput_2024_06_14 | list[TeamEventTypeOutput_2024_06_14]


class DeletedTeamEventType(CalModel):
    id: int
    title: str


class DeleteTeamEventTypeOutput(SuccessEnvelope):
    data: DeletedTeamEventType


# -- reassignment ---------------------------------------------------------------------------------


class ReassignToUserBookingInput_2024_08_13(CalModel):
    reason: StrictStr | None = Field(
        default=None, description="Reason for reassigning the booking", examples=["Host has to take another call"]
    )


class ReassignedToDto(CalModel):
    id: int = Field(examples=[123])
    name: str | None = Field(examples=["John Doe"])
    email: str = Field(examples=["john.doe@example.com"])
    displayEmail: str = Field(examples=["john.doe@example.com"], description="Clean email for display purposes")


class ReassignBookingData_2024_08_13(CalModel):
    bookingUid: str = Field(examples=["booking_uid_123"], description="The uid of the reassigned booking")
    reassignedTo: ReassignedToDto


class ReassignBookingOutput_2024_08_13(SuccessEnvelope):
    data: ReassignBookingData_2024_08_13
