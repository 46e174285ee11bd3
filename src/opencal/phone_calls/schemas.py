"""DTOs of the `create-phone-call` operations, named as the official components."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from opencal.core.envelope import CalModel, SuccessEnvelope

TemplateType = Literal["CHECK_IN_APPOINTMENT", "CUSTOM_TEMPLATE"]
E164 = r"^\+[1-9]\d{1,14}$"
PHONE_FORMAT = "Invalid phone number format. Expected format: +<CountryCode><PhoneNumber> with no spaces or separators."
SECRET_FIELD = "calApiKey"
REDACTED = "[redacted]"


def _document_required(schema: dict[str, Any]) -> None:
    # The official document lists `enabled` and `templateType` as required although Cal.com fills
    # in their defaults when they are left out; the schema says what the document says.
    schema["required"] = ["yourPhoneNumber", "numberToCall", "calApiKey", "enabled", "templateType"]


class CreatePhoneCallInput(CalModel):
    model_config = ConfigDict(json_schema_extra=_document_required)

    yourPhoneNumber: StrictStr = Field(description="Your phone number", json_schema_extra={"pattern": E164})
    numberToCall: StrictStr = Field(description="Number to call", json_schema_extra={"pattern": E164})
    calApiKey: StrictStr = Field(description="CAL API Key")
    enabled: StrictBool = Field(default=True, description="Enabled status")
    templateType: TemplateType = Field(default="CUSTOM_TEMPLATE", description="Template type")
    schedulerName: StrictStr | None = Field(default=None, description="Scheduler name")
    guestName: StrictStr | None = Field(default=None, description="Guest name")
    guestEmail: StrictStr | None = Field(default=None, description="Guest email")
    guestCompany: StrictStr | None = Field(default=None, description="Guest company")
    beginMessage: StrictStr | None = Field(default=None, description="Begin message")
    generalPrompt: StrictStr | None = Field(default=None, description="General prompt")

    @field_validator("yourPhoneNumber", "numberToCall")
    @classmethod
    def _e164(cls, value: str) -> str:
        if re.fullmatch(E164, value) is None:
            raise ValueError(PHONE_FORMAT)
        return value

    @field_validator("guestName", "guestEmail", "guestCompany")
    @classmethod
    def _empty_is_absent(cls, value: str | None) -> str | None:
        # As Cal.com: an empty guest field counts as not given.
        return value or None

    @model_validator(mode="wrap")
    @classmethod
    def _never_echo_the_key(cls, data: Any, handler: ModelWrapValidatorHandler[CreatePhoneCallInput]) -> Any:
        """Validation errors report the value they refused; the Cal.com API key is never among them."""
        try:
            return handler(data)
        except ValidationError as exc:
            raise ValidationError.from_exception_data(exc.title, [_redacted(error) for error in exc.errors()]) from None


def _redacted(error: Any) -> InitErrorDetails:
    value = error.get("input")
    if error["loc"][:1] == (SECRET_FIELD,):
        value = REDACTED
    elif isinstance(value, dict) and SECRET_FIELD in value:
        value = {**value, SECRET_FIELD: REDACTED}
    details = InitErrorDetails(type=error["type"], loc=error["loc"], input=value)
    context = error.get("ctx")
    if context:
        details["ctx"] = {key: str(item) if isinstance(item, Exception) else item for key, item in context.items()}
    return details


class Data(CalModel):
    callId: str
    agentId: str | None = None


class CreatePhoneCallOutput(SuccessEnvelope):
    data: Data
