"""Request bodies of the agent-account API (snake_case, as the agent platforms send them)."""

from __future__ import annotations

from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["book", "reschedule", "cancel", "suggest", "availability"]


class AgentApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _http_url(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError("must be an http(s) URL such as https://api.cal.com") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError("must be an http(s) URL such as https://api.cal.com")
    return value.rstrip("/")


class CreateAgentInput(AgentApiModel):
    name: str = Field(min_length=1, max_length=255)


class ConnectAccountInput(AgentApiModel):
    name: str = Field(min_length=1, max_length=255)
    api_key: str = Field(min_length=1, description="A Cal.com (or opencal) API key; stored encrypted")
    api_base_url: str | None = Field(
        default=None, description="Root URL of the Cal.com-compatible server; this server when omitted"
    )

    _check_url = field_validator("api_base_url")(_http_url)


class PrivateKeyInput(AgentApiModel):
    api_key: str = Field(min_length=1)
    api_base_url: str | None = None

    _check_url = field_validator("api_base_url")(_http_url)


class AssignAccountInput(AgentApiModel):
    # Required but nullable: null unlinks the agent's account.
    calcom_account_id: str | None


class ManageAppointmentInput(BaseModel):
    """`agent_id` and `action`; every other field is an argument of the scheduling task."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    agent_id: str = Field(min_length=1)
    action: Action

    @property
    def arguments(self) -> dict[str, Any]:
        return dict(self.model_extra or {})
