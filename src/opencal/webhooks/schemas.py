"""DTOs of the webhook operations, named as the official components."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StrictBool, StrictStr, field_validator

from opencal.core.envelope import CalModel, SuccessEnvelope
from opencal.webhooks.triggers import TRIGGERS, WEBHOOK_VERSION, unknown_triggers

MAX_SUBSCRIBER_URL_BYTES = 2048
_TEMPLATE_DESCRIPTION = (
    "The template of the payload that will be sent to the subscriberUrl, check "
    "cal.com/docs/core-features/webhooks for more information"
)
_TEMPLATE_EXAMPLE = (
    '{"content":"A new event has been scheduled","type":"{{type}}","name":"{{title}}",'
    '"organizer":"{{organizer.name}}","booker":"{{attendees.0.name}}"}'
)


def _check_subscriber_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        well_formed = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # e.g. an unclosed IPv6 bracket or a port out of range
        well_formed = False
    if not well_formed or any(character.isspace() for character in value):
        raise ValueError("must be an absolute http or https URL")
    if len(value.encode()) > MAX_SUBSCRIBER_URL_BYTES:
        raise ValueError(f"must be at most {MAX_SUBSCRIBER_URL_BYTES} bytes long")
    return value


def _check_triggers(value: list[str]) -> list[str]:
    unknown = unknown_triggers(value)
    if unknown:
        raise ValueError(f"unknown trigger {', '.join(unknown)}; each trigger must be one of {', '.join(TRIGGERS)}")
    return value


SubscriberUrl = Annotated[StrictStr, AfterValidator(_check_subscriber_url)]
Triggers = Annotated[
    list[StrictStr],
    AfterValidator(_check_triggers),
    Field(json_schema_extra={"items": {"type": "string", "enum": list(TRIGGERS)}}),
]
PayloadTemplate = Annotated[StrictStr | None, Field(description=_TEMPLATE_DESCRIPTION, examples=[_TEMPLATE_EXAMPLE])]
Version = Annotated[
    Literal["2021-10-20"] | None, Field(description="The version of the webhook", examples=[WEBHOOK_VERSION])
]


class CreateWebhookInputDto(CalModel):
    payloadTemplate: PayloadTemplate = None
    active: StrictBool
    subscriberUrl: SubscriberUrl
    triggers: Triggers
    secret: StrictStr | None = None
    version: Version = None


class UpdateWebhookInputDto(CalModel):
    payloadTemplate: PayloadTemplate = None
    active: StrictBool | None = None
    subscriberUrl: SubscriberUrl | None = None
    triggers: Triggers | None = None
    secret: StrictStr | None = None
    version: Version = None

    @field_validator("active", "subscriberUrl", "triggers", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Omit a field to keep it; null would erase a value every webhook needs.
        if value is None:
            raise ValueError("must not be null")
        return value


class _WebhookOutput(CalModel):
    payloadTemplate: PayloadTemplate
    id: str
    triggers: list[str]
    subscriberUrl: str
    active: bool
    secret: str | None = None


class UserWebhookOutputDto(_WebhookOutput):
    userId: int


class EventTypeWebhookOutputDto(_WebhookOutput):
    eventTypeId: int


class TeamWebhookOutputDto(_WebhookOutput):
    teamId: int


class OAuthClientWebhookOutputDto(_WebhookOutput):
    oAuthClientId: str


class UserWebhookOutputResponseDto(SuccessEnvelope):
    data: UserWebhookOutputDto


class UserWebhooksOutputResponseDto(SuccessEnvelope):
    data: list[UserWebhookOutputDto]


class EventTypeWebhookOutputResponseDto(SuccessEnvelope):
    data: EventTypeWebhookOutputDto


class EventTypeWebhooksOutputResponseDto(SuccessEnvelope):
    data: list[EventTypeWebhookOutputDto]


class TeamWebhookOutputResponseDto(SuccessEnvelope):
    data: TeamWebhookOutputDto


class TeamWebhooksOutputResponseDto(SuccessEnvelope):
    data: list[TeamWebhookOutputDto]


class OAuthClientWebhookOutputResponseDto(SuccessEnvelope):
    data: OAuthClientWebhookOutputDto


class OAuthClientWebhooksOutputResponseDto(SuccessEnvelope):
    data: list[OAuthClientWebhookOutputDto]


class DeleteManyWebhooksOutputResponseDto(SuccessEnvelope):
    data: str = Field(examples=["2 webhooks deleted"])
