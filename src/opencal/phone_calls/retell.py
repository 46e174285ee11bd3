"""A typed client for the Retell AI REST endpoints the phone-call operations use.

Every request carries `Authorization: Bearer <OPENCAL_RETELL_API_KEY>` and goes to
`OPENCAL_RETELL_API_URL` (https://api.retellai.com by default):

| method | path | use |
| --- | --- | --- |
| GET | `/get-phone-number/{phone_number}` | the caller's number must belong to the Retell account |
| POST | `/create-retell-llm` | the prompt, the opening line and the Cal.com tools of an event type |
| GET / PATCH / DELETE | `/get-retell-llm/{id}`, `/update-retell-llm/{id}`, `/delete-retell-llm/{id}` | |
| POST | `/create-agent` | the voice agent answering with that LLM |
| GET / PATCH / DELETE | `/get-agent/{id}`, `/update-agent/{id}`, `/delete-agent/{id}` | |
| POST | `/v2/create-phone-call` | the outbound call, placed with that agent |

Failures raise `RetellError` with the HTTP status (None when Retell could not be reached or answered
something that is not what its reference documents). Request bodies are never logged: the LLM
tools carry the caller's Cal.com API key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger("opencal.phone_calls.retell")

DEFAULT_TIMEOUT_SECONDS = 20.0
RetellId = str


class RetellError(Exception):
    """A Retell request that did not succeed."""

    def __init__(self, operation: str, status: int | None, detail: str) -> None:
        super().__init__(f"{operation}: {status if status is not None else 'no answer'} {detail}".strip())
        self.operation = operation
        self.status = status
        self.detail = detail


# -- answers, as far as they are used ----------------------------------------------------------


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class RetellPhoneNumber(_Answer):
    phone_number: str
    inbound_agent_id: str | None = None
    outbound_agent_id: str | None = None
    nickname: str | None = None


class RetellLlm(_Answer):
    llm_id: RetellId = Field(min_length=1, max_length=255)
    general_prompt: str | None = None
    begin_message: str | None = None
    general_tools: list[dict[str, Any]] | None = None


class RetellResponseEngine(_Answer):
    type: str
    llm_id: str | None = None


class RetellAgent(_Answer):
    agent_id: RetellId = Field(min_length=1, max_length=255)
    response_engine: RetellResponseEngine | None = None
    agent_name: str | None = None


class RetellPhoneCall(_Answer):
    call_id: RetellId = Field(min_length=1)
    agent_id: str | None = None
    call_status: str | None = None


@dataclass(frozen=True, slots=True)
class RetellConfig:
    api_key: str
    base_url: str
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


Method = Literal["GET", "POST", "PATCH", "DELETE"]


class RetellClient:
    """`async with RetellClient(config) as retell: ...`; one connection pool per use."""

    def __init__(self, config: RetellConfig) -> None:
        self._config = config
        self._http: httpx.AsyncClient | None = None

    async def __aenter__(self) -> RetellClient:
        self._http = httpx.AsyncClient(
            base_url=self._config.base_url.rstrip("/"),
            headers={"Authorization": f"Bearer {self._config.api_key}", "Accept": "application/json"},
            timeout=self._config.timeout_seconds,
            follow_redirects=False,
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- phone numbers ------------------------------------------------------------------------

    async def get_phone_number(self, phone_number: str) -> RetellPhoneNumber | None:
        """The number of the Retell account, or None when the account has no such number."""
        answer = await self._call("get phone number", "GET", f"/get-phone-number/{_segment(phone_number)}", absent=True)
        return None if answer is None else _parse("get phone number", RetellPhoneNumber, answer)

    # -- LLMs ---------------------------------------------------------------------------------

    async def create_retell_llm(
        self, *, general_prompt: str, begin_message: str | None, general_tools: list[dict[str, Any]]
    ) -> RetellLlm:
        body: dict[str, Any] = {"general_prompt": general_prompt, "general_tools": general_tools}
        if begin_message is not None:
            body["begin_message"] = begin_message
        return _parse(
            "create Retell LLM", RetellLlm, await self._call("create Retell LLM", "POST", "/create-retell-llm", body)
        )

    async def get_retell_llm(self, llm_id: str) -> RetellLlm | None:
        answer = await self._call("get Retell LLM", "GET", f"/get-retell-llm/{_segment(llm_id)}", absent=True)
        return None if answer is None else _parse("get Retell LLM", RetellLlm, answer)

    async def update_retell_llm(self, llm_id: str, changes: dict[str, Any]) -> RetellLlm:
        answer = await self._call("update Retell LLM", "PATCH", f"/update-retell-llm/{_segment(llm_id)}", changes)
        return _parse("update Retell LLM", RetellLlm, answer)

    async def delete_retell_llm(self, llm_id: str) -> None:
        await self._call("delete Retell LLM", "DELETE", f"/delete-retell-llm/{_segment(llm_id)}", absent=True)

    # -- agents -------------------------------------------------------------------------------

    async def create_agent(self, *, llm_id: str, agent_name: str, voice_id: str) -> RetellAgent:
        body = {
            "response_engine": {"type": "retell-llm", "llm_id": llm_id},
            "agent_name": agent_name,
            "voice_id": voice_id,
        }
        return _parse("create agent", RetellAgent, await self._call("create agent", "POST", "/create-agent", body))

    async def get_agent(self, agent_id: str) -> RetellAgent | None:
        answer = await self._call("get agent", "GET", f"/get-agent/{_segment(agent_id)}", absent=True)
        return None if answer is None else _parse("get agent", RetellAgent, answer)

    async def update_agent_llm(self, agent_id: str, llm_id: str) -> RetellAgent:
        body = {"response_engine": {"type": "retell-llm", "llm_id": llm_id}}
        answer = await self._call("update agent", "PATCH", f"/update-agent/{_segment(agent_id)}", body)
        return _parse("update agent", RetellAgent, answer)

    async def delete_agent(self, agent_id: str) -> None:
        await self._call("delete agent", "DELETE", f"/delete-agent/{_segment(agent_id)}", absent=True)

    # -- calls --------------------------------------------------------------------------------

    async def create_phone_call(
        self, *, from_number: str, to_number: str, override_agent_id: str, dynamic_variables: dict[str, str]
    ) -> RetellPhoneCall:
        body: dict[str, Any] = {
            "from_number": from_number,
            "to_number": to_number,
            "override_agent_id": override_agent_id,
            "retell_llm_dynamic_variables": dynamic_variables,
        }
        answer = await self._call("create phone call", "POST", "/v2/create-phone-call", body)
        return _parse("create phone call", RetellPhoneCall, answer)

    # -- transport ----------------------------------------------------------------------------

    async def _call(
        self, operation: str, method: Method, path: str, body: dict[str, Any] | None = None, *, absent: bool = False
    ) -> Any:
        """The decoded JSON answer (None for an empty one, or for 404 when `absent` is allowed)."""
        if self._http is None:
            raise RuntimeError("RetellClient is used outside `async with`")
        try:
            response = await self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            log.warning("Retell %s %s: %s", method, path.split("/")[1], type(exc).__name__)
            raise RetellError(operation, None, f"Retell could not be reached ({type(exc).__name__})") from None
        if response.status_code == 404 and absent:
            return None
        if response.status_code >= 400:
            log.warning("Retell %s %s answered %s", method, path.split("/")[1], response.status_code)
            raise RetellError(operation, response.status_code, _error_text(response))
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise RetellError(operation, None, "Retell answered something that is not JSON") from None


def _segment(value: str) -> str:
    """A path segment; E.164 numbers keep their leading `+` as Retell's reference shows them."""
    return quote(value, safe="+")


AnswerT = TypeVar("AnswerT", bound=_Answer)


def _parse(operation: str, model: type[AnswerT], answer: Any) -> AnswerT:
    try:
        return model.model_validate(answer)
    except ValidationError:
        raise RetellError(operation, None, f"Retell answered an unexpected {model.__name__}") from None


def _error_text(response: httpx.Response) -> str:
    """Retell's own explanation (`error_message` or `message`), shortened."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("error_message", "message", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:300]
    return ""
