"""DTOs of the `Orgs / Delegation Credentials` tag, named as the official components."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, ValidationError, field_validator

from opencal.core.envelope import CalModel, SuccessEnvelope

KEY_SHAPES = (
    "Service account key must be either a Google service account key (with client_email, private_key, client_id) "
    "or Microsoft service account key (with tenant_id, private_key, client_id)"
)


class GoogleServiceAccountKeyInput(CalModel):
    # The rest of a Google key file (type, project_id, token_uri, ...) is kept with it.
    model_config = ConfigDict(extra="allow")

    private_key: str = Field(min_length=1)
    client_email: str = Field(min_length=1)
    client_id: str = Field(min_length=1)


class MicrosoftServiceAccountKeyInput(CalModel):
    model_config = ConfigDict(extra="allow")

    private_key: str = Field(min_length=1)
    tenant_id: str = Field(min_length=1)
    client_id: str = Field(min_length=1)


ServiceAccountKey = GoogleServiceAccountKeyInput | MicrosoftServiceAccountKeyInput


def _pick_key_shape(value: Any) -> Any:
    """Which kind of key this is, decided by its identifying field as Cal.com does."""
    if isinstance(value, dict):
        shape: type[CalModel] | None = None
        if "client_email" in value:
            shape = GoogleServiceAccountKeyInput
        elif "tenant_id" in value:
            shape = MicrosoftServiceAccountKeyInput
        if shape is not None:
            try:
                return shape.model_validate(value)
            except ValidationError as exc:
                problems = (f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
                raise ValueError("; ".join(problems)) from None
    raise ValueError(KEY_SHAPES)


class CreateDelegationCredentialInput(CalModel):
    workspacePlatformSlug: str = Field(min_length=1)
    domain: str = Field(min_length=1)
    serviceAccountKey: ServiceAccountKey

    @field_validator("serviceAccountKey", mode="before")
    @classmethod
    def _key_shape(cls, value: Any) -> Any:
        return _pick_key_shape(value)


class UpdateDelegationCredentialInput(CalModel):
    enabled: bool | None = None
    serviceAccountKey: ServiceAccountKey | None = None

    @field_validator("serviceAccountKey", mode="before")
    @classmethod
    def _key_shape(cls, value: Any) -> Any:
        return None if value is None else _pick_key_shape(value)


class WorkspacePlatformDto(CalModel):
    name: str
    slug: str


class DelegationCredentialOutput(CalModel):
    id: str
    enabled: bool
    domain: str
    organizationId: int
    workspacePlatform: WorkspacePlatformDto
    createdAt: str = Field(json_schema_extra={"format": "date-time"})
    updatedAt: str = Field(json_schema_extra={"format": "date-time"})


class CreateDelegationCredentialOutput(SuccessEnvelope):
    data: DelegationCredentialOutput


class UpdateDelegationCredentialOutput(SuccessEnvelope):
    data: DelegationCredentialOutput
