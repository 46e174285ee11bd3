"""Rules of `create-phone-call`: an outbound call, placed through Retell AI, in which a voice agent
speaks with the person called and can check availability and book the team event type.

Order of events, as in Cal.com (the route guard has already allowed the caller):
1. the team must belong to an organization (Cal.com's AI phone is an organization feature);
2. the event type must be one of the team's;
3. Retell must be configured (OPENCAL_RETELL_API_KEY);
4. `yourPhoneNumber` must be a number of the Retell account;
5. the event type's Retell LLM (prompt, opening line, Cal.com tools keyed with `calApiKey`) is
   created, or brought up to date, and so is the agent answering with it;
6. the call is placed with that agent and the dynamic variables of the guest;
7. only then is the event type's configuration stored (upserted), with the LLM and agent ids.

When a Retell step fails, the LLM and agent this request created are deleted again and nothing is
stored. `calApiKey` is never stored, logged or returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from opencal.config import Settings
from opencal.core import clock
from opencal.core.db import Database
from opencal.core.errors import ApiError, BadGateway, BadRequest, NotFound, Unauthorized
from opencal.models import AIPhoneCallConfiguration, EventType, Team, User
from opencal.phone_calls.retell import RetellClient, RetellConfig, RetellError, RetellLlm
from opencal.phone_calls.schemas import REDACTED, CreatePhoneCallInput
from opencal.team_event_types.service import team_event_type

# The voice of the agents created for event types (one of Retell's stock voices).
VOICE_ID = "11labs-Adrian"

CHECK_IN_APPOINTMENT_PROMPT = """\
## Role
You call on behalf of {{scheduler_name}} to check in with {{name}} about their appointment. You are
warm, brief and helpful.

## Manner
- Keep every reply short and ask one question at a time.
- Say dates the way people do ("tomorrow", "next Tuesday at 3").
- When an answer is unclear, ask again rather than guess; never invent facts.
- Stay on the appointment; bring a wandering conversation gently back to it.

## Steps
1. Greet {{name}}, say whom you are calling for and why.
2. If the appointment still suits them, thank them and call end_call.
3. Otherwise ask when would suit them, call check_availability for that range, offer what is free,
   and once they pick a time confirm it back and call book_appointment.
4. Tell them whether the booking worked, answer any question, then call end_call.
"""
END_CALL_DESCRIPTION = "Hang up once the appointment is settled or the person wants to end the call."


@dataclass(frozen=True, slots=True)
class _Target:
    event_type_id: int
    title: str
    time_zone: str
    llm_id: str | None
    agent_id: str | None


@dataclass(frozen=True, slots=True)
class _Placed:
    call_id: str
    call_agent_id: str
    agent_id: str
    llm_id: str


async def create_phone_call(
    db: Database, settings: Settings, user_id: int, *, team_id: int, event_type_id: int, body: CreatePhoneCallInput
) -> dict[str, Any]:
    target = await _load(db, user_id, team_id, event_type_id)
    config = _retell(settings)
    prompt = general_prompt(body)
    tools = cal_tools(body.calApiKey, event_type_id, target.time_zone)
    created: list[tuple[str, str]] = []
    async with RetellClient(config) as retell:
        try:
            placed = await _place(retell, target, body, prompt, tools, created)
        except RetellError as exc:
            await _undo(retell, created)
            raise provider_error(exc, body.calApiKey) from None
    await _store(db, target, body, prompt, placed)
    return {"callId": placed.call_id, "agentId": placed.call_agent_id}


async def _load(db: Database, user_id: int, team_id: int, event_type_id: int) -> _Target:
    async with db.read() as session:
        team = await session.get(Team, team_id)
        if team is None:
            raise NotFound(f"Team with id={team_id} not found")
        if team.parent_id is None:
            # Cal.com answers a caller outside an organization with its tRPC UNAUTHORIZED error.
            raise Unauthorized("You are not authorized to access this resource", code="TRPCError")
        event_type = await team_event_type(session, team_id, event_type_id)
        if event_type is None:
            raise NotFound(f"Event type with id {event_type_id} not found")
        user = await session.get(User, user_id)
        assert user is not None
        stored = await session.scalar(
            select(AIPhoneCallConfiguration).where(AIPhoneCallConfiguration.event_type_id == event_type_id)
        )
        return _Target(
            event_type_id=event_type.id,
            title=event_type.title,
            time_zone=user.time_zone,
            llm_id=stored.llm_id if stored is not None else None,
            agent_id=stored.agent_id if stored is not None else None,
        )


def _retell(settings: Settings) -> RetellConfig:
    if not settings.retell_api_key:
        raise BadRequest(
            "Phone calls need the Retell AI telephony provider, which is not configured on this server: "
            "set OPENCAL_RETELL_API_KEY."
        )
    return RetellConfig(api_key=settings.retell_api_key, base_url=settings.retell_api_url)


def general_prompt(body: CreatePhoneCallInput) -> str:
    """The caller's prompt for a custom template, the built-in one otherwise (Cal.com's choice)."""
    if body.templateType == "CUSTOM_TEMPLATE":
        return body.generalPrompt or ""
    return CHECK_IN_APPOINTMENT_PROMPT


def cal_tools(cal_api_key: str, event_type_id: int, time_zone: str) -> list[dict[str, Any]]:
    """The LLM's tools: hang up, and Retell's Cal.com availability and booking tools for the event type."""
    cal = {"cal_api_key": cal_api_key, "event_type_id": event_type_id, "timezone": time_zone}
    return [
        {"type": "end_call", "name": "end_call", "description": END_CALL_DESCRIPTION},
        {"type": "check_availability_cal", "name": "check_availability", **cal},
        {"type": "book_appointment_cal", "name": "book_appointment", **cal},
    ]


def dynamic_variables(body: CreatePhoneCallInput) -> dict[str, str]:
    """What the prompt's `{{...}}` placeholders are filled with for this call."""
    values = {
        "name": body.guestName,
        "email": body.guestEmail,
        "company": body.guestCompany,
        "scheduler_name": body.schedulerName,
    }
    return {key: value for key, value in values.items() if value}


def llm_changes(llm: RetellLlm, prompt: str, begin_message: str | None, tools: list[dict[str, Any]]) -> dict[str, Any]:
    """The fields of an existing LLM that differ from what this call needs."""
    changes: dict[str, Any] = {}
    if llm.general_prompt != prompt:
        changes["general_prompt"] = prompt
    if begin_message is not None and llm.begin_message != begin_message:
        changes["begin_message"] = begin_message
    current = {tool.get("name"): tool for tool in llm.general_tools or []}
    wanted = {tool["name"]: tool for tool in tools}
    if set(current) != set(wanted) or any(
        any(current[name].get(key) != value for key, value in tool.items()) for name, tool in wanted.items()
    ):
        changes["general_tools"] = tools
    return changes


async def _place(
    retell: RetellClient,
    target: _Target,
    body: CreatePhoneCallInput,
    prompt: str,
    tools: list[dict[str, Any]],
    created: list[tuple[str, str]],
) -> _Placed:
    if await retell.get_phone_number(body.yourPhoneNumber) is None:
        raise BadRequest(
            f"yourPhoneNumber: {body.yourPhoneNumber} is not a phone number of the Retell account. "
            "Please only use the phone number assigned to you."
        )

    llm = await retell.get_retell_llm(target.llm_id) if target.llm_id else None
    if llm is None:
        llm = await retell.create_retell_llm(
            general_prompt=prompt, begin_message=body.beginMessage, general_tools=tools
        )
        created.append(("llm", llm.llm_id))
    elif changes := llm_changes(llm, prompt, body.beginMessage, tools):
        await retell.update_retell_llm(llm.llm_id, changes)

    agent = await retell.get_agent(target.agent_id) if target.agent_id else None
    if agent is None:
        agent = await retell.create_agent(
            llm_id=llm.llm_id, agent_name=f"{target.title} (event type {target.event_type_id})", voice_id=VOICE_ID
        )
        created.append(("agent", agent.agent_id))
    elif agent.response_engine is None or agent.response_engine.llm_id != llm.llm_id:
        await retell.update_agent_llm(agent.agent_id, llm.llm_id)

    call = await retell.create_phone_call(
        from_number=body.yourPhoneNumber,
        to_number=body.numberToCall,
        override_agent_id=agent.agent_id,
        dynamic_variables=dynamic_variables(body),
    )
    return _Placed(
        call_id=call.call_id, call_agent_id=call.agent_id or agent.agent_id, agent_id=agent.agent_id, llm_id=llm.llm_id
    )


async def _undo(retell: RetellClient, created: list[tuple[str, str]]) -> None:
    """Delete what this request created at Retell, newest first; a failure here changes nothing."""
    for kind, object_id in reversed(created):
        try:
            if kind == "agent":
                await retell.delete_agent(object_id)
            else:
                await retell.delete_retell_llm(object_id)
        except RetellError:
            continue


def provider_error(exc: RetellError, cal_api_key: str) -> ApiError:
    """Retell's refusal of what the caller sent is a 400; its own failure (or a refused server key) a 502."""
    detail = exc.detail.replace(cal_api_key, REDACTED) if cal_api_key else exc.detail
    if exc.status in (400, 404, 409, 422):
        suffix = f": {detail}" if detail else ""
        return BadRequest(f"Unable to {exc.operation}: Retell refused the request ({exc.status}{suffix})")
    if exc.status in (401, 403):
        return BadGateway(f"Unable to {exc.operation}: Retell refused OPENCAL_RETELL_API_KEY ({exc.status})")
    reason = f"status {exc.status}" if exc.status is not None else detail
    return BadGateway(f"Unable to {exc.operation}: the telephony provider failed ({reason})")


async def _store(db: Database, target: _Target, body: CreatePhoneCallInput, prompt: str, placed: _Placed) -> None:
    now = clock.now()
    given = {
        "scheduler_name": body.schedulerName,
        "begin_message": body.beginMessage,
        "guest_name": body.guestName,
        "guest_email": body.guestEmail,
        "guest_company": body.guestCompany,
    }
    values: dict[str, Any] = {
        # Cal.com marks the configuration enabled whenever a call is placed with it.
        "enabled": True,
        "template_type": body.templateType,
        "general_prompt": prompt,
        "your_phone_number": body.yourPhoneNumber,
        "number_to_call": body.numberToCall,
        "llm_id": placed.llm_id,
        "agent_id": placed.agent_id,
        "updated_at": now,
    }
    # An optional field left out keeps its stored value (the LLM keeps its opening line too).
    changes = {**values, **{column: value for column, value in given.items() if value is not None}}
    async with db.write() as session:
        if await session.get(EventType, target.event_type_id) is None:
            raise NotFound(f"Event type with id {target.event_type_id} not found")
        insert = sqlite_insert if db.is_sqlite else pg_insert
        statement = insert(AIPhoneCallConfiguration).values(
            event_type_id=target.event_type_id, created_at=now, **values, **given
        )
        await session.execute(statement.on_conflict_do_update(index_elements=["event_type_id"], set_=changes))
