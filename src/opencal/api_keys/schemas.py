from __future__ import annotations

from pydantic import Field

from opencal.core.envelope import CalModel, SuccessEnvelope


class RefreshApiKeyInput(CalModel):
    apiKeyDaysValid: int = Field(default=30, ge=1, description="For how many days the new key is valid.")
    apiKeyNeverExpires: bool | None = Field(default=None, description="If true, the new key never expires.")


class ApiKeyOutput(CalModel):
    apiKey: str


class RefreshApiKeyOutput(SuccessEnvelope):
    data: ApiKeyOutput
