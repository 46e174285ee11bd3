"""A stand-in for Retell AI's REST API: a real HTTP server on 127.0.0.1 for the phone-call tests.

It keeps the account's phone numbers, LLMs, agents and calls in memory, answers the endpoints
opencal uses with the shapes of Retell's API reference (201 on create, 204 on delete, 404 for an
unknown id, 401 without `Authorization: Bearer <api_key>`), and records every request. `fail(...)`
scripts the next answers of one endpoint:

    async with RetellServer(api_key="key_test", phone_numbers=["+14155550100"]) as retell:
        retell.fail("POST", "/v2/create-phone-call", 500)
        ... OPENCAL_RETELL_API_URL = retell.url ...
        [first, *_] = retell.requests
"""

from __future__ import annotations

import json
import secrets
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from loopback import LoopbackServer, RawRequest

TIMESTAMP = 1703413636133


@dataclass(frozen=True)
class RetellRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def route(self) -> str:
        """`POST /create-retell-llm`, `GET /get-agent/{id}`: the endpoint, ids left out."""
        parts = self.path.split("/")
        if parts[1] == "v2":
            return f"{self.method} /v2/{parts[2]}"
        return f"{self.method} /{parts[1]}" + ("/{id}" if len(parts) > 2 else "")


@dataclass
class _Failure:
    status: int
    message: str


@dataclass
class RetellServer(LoopbackServer):
    api_key: str = "key_test_retell"
    phone_numbers: Iterable[str] = ("+14155550100",)
    requests: list[RetellRequest] = field(default_factory=list)
    llms: dict[str, dict[str, Any]] = field(default_factory=dict)
    agents: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)
    _failures: dict[tuple[str, str], deque[_Failure]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.base_url

    @property
    def routes(self) -> list[str]:
        return [request.route for request in self.requests]

    def fail(self, method: str, path: str, status: int, message: str = "", times: int = 1) -> None:
        """Answer the next `times` requests of `method path` (path without ids) with `status`."""
        script = self._failures.setdefault((method, path), deque())
        script.extend(_Failure(status, message or f"stand-in failure {status}") for _ in range(times))

    # -- HTTP ---------------------------------------------------------------------------------

    async def respond(self, raw: RawRequest) -> tuple[int, bytes]:
        request = RetellRequest(raw.method, raw.target, raw.headers, raw.body)
        self.requests.append(request)
        status, answer = self._answer(request)
        return status, b"" if answer is None else json.dumps(answer).encode()

    def _answer(self, request: RetellRequest) -> tuple[int, Any]:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"status": "error", "message": "Invalid API key"}
        method, route = request.route.split(" ", 1)
        script = self._failures.get((method, route.removesuffix("/{id}")))
        if script:
            failure = script.popleft()
            return failure.status, {"status": "error", "message": failure.message}
        segments = request.path.split("/")
        object_id = segments[-1] if route.endswith("{id}") else ""
        body = request.json()
        handlers = {
            "GET /get-phone-number/{id}": self._get_phone_number,
            "POST /create-retell-llm": self._create_llm,
            "GET /get-retell-llm/{id}": self._get_llm,
            "PATCH /update-retell-llm/{id}": self._update_llm,
            "DELETE /delete-retell-llm/{id}": self._delete_llm,
            "POST /create-agent": self._create_agent,
            "GET /get-agent/{id}": self._get_agent,
            "PATCH /update-agent/{id}": self._update_agent,
            "DELETE /delete-agent/{id}": self._delete_agent,
            "POST /v2/create-phone-call": self._create_phone_call,
        }
        handler = handlers.get(request.route)
        if handler is None:
            return 404, {"status": "error", "message": "Not Found"}
        return handler(object_id, body)

    # -- endpoints ----------------------------------------------------------------------------

    def _get_phone_number(self, number: str, _body: Any) -> tuple[int, Any]:
        if number not in set(self.phone_numbers):
            return 404, {"status": "error", "message": "Phone number not found"}
        return 200, {
            "phone_number": number,
            "phone_number_type": "retell-twilio",
            "phone_number_pretty": number,
            "inbound_agent_id": None,
            "outbound_agent_id": None,
            "nickname": "front desk",
            "area_code": 415,
            "last_modification_timestamp": TIMESTAMP,
        }

    def _create_llm(self, _id: str, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            return 400, {"status": "error", "message": "Invalid request format, please check API reference."}
        llm_id = "llm_" + secrets.token_hex(12)
        llm: dict[str, Any] = {
            "llm_id": llm_id,
            "version": 0,
            "is_published": False,
            "model": "gpt-4.1",
            "model_temperature": 0,
            "general_prompt": body.get("general_prompt"),
            "begin_message": body.get("begin_message"),
            "general_tools": body.get("general_tools") or [],
            "states": None,
            "last_modification_timestamp": TIMESTAMP,
        }
        self.llms[llm_id] = llm
        return 201, llm

    def _get_llm(self, llm_id: str, _body: Any) -> tuple[int, Any]:
        llm = self.llms.get(llm_id)
        return (200, llm) if llm else (404, {"status": "error", "message": "Retell LLM not found"})

    def _update_llm(self, llm_id: str, body: Any) -> tuple[int, Any]:
        llm = self.llms.get(llm_id)
        if llm is None:
            return 404, {"status": "error", "message": "Retell LLM not found"}
        llm.update({key: value for key, value in body.items() if key in llm})
        return 200, llm

    def _delete_llm(self, llm_id: str, _body: Any) -> tuple[int, Any]:
        if self.llms.pop(llm_id, None) is None:
            return 404, {"status": "error", "message": "Retell LLM not found"}
        return 204, None

    def _create_agent(self, _id: str, body: Any) -> tuple[int, Any]:
        engine = body.get("response_engine") if isinstance(body, dict) else None
        if not isinstance(engine, dict) or engine.get("llm_id") not in self.llms or not body.get("voice_id"):
            return 400, {"status": "error", "message": "Invalid request format, please check API reference."}
        agent_id = "agent_" + secrets.token_hex(12)
        agent: dict[str, Any] = {
            "agent_id": agent_id,
            "version": 0,
            "is_published": False,
            "response_engine": {"type": engine["type"], "llm_id": engine["llm_id"], "version": 0},
            "agent_name": body.get("agent_name"),
            "voice_id": body["voice_id"],
            "language": "en-US",
            "last_modification_timestamp": TIMESTAMP,
        }
        self.agents[agent_id] = agent
        return 201, agent

    def _get_agent(self, agent_id: str, _body: Any) -> tuple[int, Any]:
        agent = self.agents.get(agent_id)
        return (200, agent) if agent else (404, {"status": "error", "message": "Agent not found"})

    def _update_agent(self, agent_id: str, body: Any) -> tuple[int, Any]:
        agent = self.agents.get(agent_id)
        if agent is None:
            return 404, {"status": "error", "message": "Agent not found"}
        agent.update({key: value for key, value in body.items() if key in agent})
        return 200, agent

    def _delete_agent(self, agent_id: str, _body: Any) -> tuple[int, Any]:
        if self.agents.pop(agent_id, None) is None:
            return 404, {"status": "error", "message": "Agent not found"}
        return 204, None

    def _create_phone_call(self, _id: str, body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict) or not body.get("from_number") or not body.get("to_number"):
            return 400, {"status": "error", "message": "Invalid request format, please check API reference."}
        if body["from_number"] not in set(self.phone_numbers):
            return 404, {"status": "error", "message": "from_number not found"}
        agent_id = body.get("override_agent_id")
        if agent_id is not None and agent_id not in self.agents:
            return 404, {"status": "error", "message": "Agent not found"}
        variables = body.get("retell_llm_dynamic_variables") or {}
        if not all(isinstance(value, str) for value in variables.values()):
            return 400, {"status": "error", "message": "retell_llm_dynamic_variables values must be strings"}
        call_id = "call_" + secrets.token_hex(12)
        call: dict[str, Any] = {
            "call_type": "phone_call",
            "from_number": body["from_number"],
            "to_number": body["to_number"],
            "direction": "outbound",
            "call_id": call_id,
            "agent_id": agent_id,
            "agent_version": 0,
            "call_status": "registered",
            "metadata": {},
            "retell_llm_dynamic_variables": variables,
        }
        self.calls[call_id] = call
        return 201, call
