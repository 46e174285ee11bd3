"""Rules of the agent-account API: agents, the Cal.com accounts they use, and scheduling through them.

Every read and write is scoped to the caller's organization. An agent uses at most one account:
its private key, or the organization account it is linked to (the private key wins); setting one
while the other is in place is a conflict. Changes to an agent take its row lock first, so two
concurrent requests cannot both pass that check. Keys are verified with `GET /v2/me` before they
are stored, and stored encrypted.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp

from opencal.agents.calapi import CalApi, CalApiError, bearer, in_process_client, remote_client, same_server
from opencal.agents.errors import Conflict, InternalError, InvalidRequest, NotFound, UpstreamError
from opencal.agents.scheduling import TASKS, TaskInputError
from opencal.agents.schemas import Action, ConnectAccountInput, ManageAppointmentInput, PrivateKeyInput
from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.security import SecretBox
from opencal.models import Agent, CalendarAccount, Team
from opencal.models.agents import AGENT_SCOPE, ORGANIZATION_SCOPE

# What each `appointments/manage` action runs, with the defaults it adds, and how it reports.
_ACTIONS: dict[str, tuple[str, dict[str, Any], str]] = {
    "availability": ("find_open_times", {"max_results": 20}, "Open times found"),
    "suggest": ("find_open_times", {"max_results": 3}, "Suggested times"),
    "book": ("book_meeting", {}, "Meeting booked"),
    "reschedule": ("reschedule_meeting", {}, "Meeting rescheduled"),
    "cancel": ("cancel_meeting", {}, "Meeting cancelled"),
}


@dataclass(frozen=True)
class Connector:
    """Opens a Cal.com API: this app in-process when the URL names this server, else over HTTP."""

    app: ASGIApp
    base_url: str

    def resolve_url(self, api_base_url: str | None) -> str:
        return (api_base_url or self.base_url).rstrip("/")

    @asynccontextmanager
    async def open(self, api_base_url: str, api_key: str) -> AsyncIterator[CalApi]:
        local = same_server(api_base_url, self.base_url)
        http = in_process_client(self.app, self.base_url) if local else remote_client(api_base_url)
        async with http:
            yield CalApi(http, bearer(api_key))


# -- outputs -------------------------------------------------------------------------------------


def agent_output(agent: Agent) -> dict[str, Any]:
    return {
        "agent_id": agent.id,
        "agent_name": agent.name,
        "calcom_account_id": agent.calcom_account_id,
        "has_private_key": agent.private_account_id is not None,
        "created_at": iso_utc(agent.created_at),
    }


def account_output(account: CalendarAccount) -> dict[str, Any]:
    return {
        "calcom_account_id": account.id,
        "name": account.name,
        "api_base_url": account.api_base_url,
        "calcom_user_id": account.calcom_user_id,
        "calcom_username": account.calcom_username,
        "created_at": iso_utc(account.created_at),
    }


def _assignment_output(agent: Agent) -> dict[str, Any]:
    return {"agent_id": agent.id, "agent_name": agent.name, "calcom_account_id": agent.calcom_account_id}


async def _effective_output(session: AsyncSession, agent: Agent) -> dict[str, Any]:
    source, account = await _effective_account(session, agent)
    return {
        "agent_id": agent.id,
        "agent_name": agent.name,
        "source": source,
        "account": account_output(account) if account else None,
    }


# -- lookups -------------------------------------------------------------------------------------


async def require_organization(db: Database, organization_id: int) -> None:
    async with db.read() as session:
        organization = await session.get(Team, organization_id)
    if organization is None or not organization.is_organization:
        raise NotFound(f"Organization {organization_id} not found")


async def _agent(session: AsyncSession, organization_id: int, agent_id: str, *, lock: bool = False) -> Agent:
    query = select(Agent).where(Agent.id == agent_id, Agent.organization_id == organization_id)
    agent = await session.scalar(query.with_for_update() if lock else query)
    if agent is None:
        raise NotFound(f"Agent {agent_id} not found")
    return agent


async def _organization_account(session: AsyncSession, organization_id: int, account_id: str) -> CalendarAccount:
    account = await session.scalar(
        select(CalendarAccount).where(
            CalendarAccount.id == account_id,
            CalendarAccount.organization_id == organization_id,
            CalendarAccount.scope == ORGANIZATION_SCOPE,
        )
    )
    if account is None:
        raise NotFound(f"Cal.com account {account_id} not found")
    return account


async def _effective_account(session: AsyncSession, agent: Agent) -> tuple[str, CalendarAccount | None]:
    if agent.private_account_id:
        return AGENT_SCOPE, await session.get(CalendarAccount, agent.private_account_id)
    if agent.calcom_account_id:
        return ORGANIZATION_SCOPE, await session.get(CalendarAccount, agent.calcom_account_id)
    return "none", None


# -- agents --------------------------------------------------------------------------------------


async def create_agent(db: Database, organization_id: int, name: str) -> dict[str, Any]:
    async with db.write() as session:
        agent = Agent(id=str(uuid.uuid4()), organization_id=organization_id, name=name)
        session.add(agent)
        await session.flush()
        await session.refresh(agent)
        return agent_output(agent)


async def list_agents(db: Database, organization_id: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        agents = await session.scalars(
            select(Agent).where(Agent.organization_id == organization_id).order_by(Agent.created_at, Agent.id)
        )
        return [agent_output(agent) for agent in agents]


async def get_agent(db: Database, organization_id: int, agent_id: str) -> dict[str, Any]:
    async with db.read() as session:
        return agent_output(await _agent(session, organization_id, agent_id))


async def assign_account(db: Database, organization_id: int, agent_id: str, account_id: str | None) -> dict[str, Any]:
    """Link the agent to an organization account, or unlink it with None."""
    async with db.write() as session:
        agent = await _agent(session, organization_id, agent_id, lock=True)
        if agent.private_account_id is not None:
            raise Conflict(
                f"Agent {agent_id} has its own private Cal.com API key; "
                "remove it before linking an organization account"
            )
        if account_id is not None:
            await _organization_account(session, organization_id, account_id)
        agent.calcom_account_id = account_id
        await session.flush()
        return _assignment_output(agent)


async def get_effective_account(db: Database, organization_id: int, agent_id: str) -> dict[str, Any]:
    async with db.read() as session:
        return await _effective_output(session, await _agent(session, organization_id, agent_id))


async def set_private_key(
    db: Database, box: SecretBox, connector: Connector, organization_id: int, agent_id: str, body: PrivateKeyInput
) -> dict[str, Any]:
    async with db.read() as session:
        agent = await _agent(session, organization_id, agent_id)
    _refuse_private_key_while_linked(agent)
    url = connector.resolve_url(body.api_base_url)
    user_id, username = await _verify_key(connector, url, body.api_key)
    async with db.write() as session:
        agent = await _agent(session, organization_id, agent_id, lock=True)
        _refuse_private_key_while_linked(agent)  # again, under the lock
        account = await session.get(CalendarAccount, agent.private_account_id) if agent.private_account_id else None
        if account is None:
            account = CalendarAccount(id=str(uuid.uuid4()), organization_id=organization_id, scope=AGENT_SCOPE)
            session.add(account)
        account.name = agent.name
        account.api_base_url = url
        account.encrypted_api_key = box.encrypt(body.api_key)
        account.calcom_user_id, account.calcom_username = user_id, username
        await session.flush()
        agent.private_account_id = account.id
        await session.flush()
        return await _effective_output(session, agent)


def _refuse_private_key_while_linked(agent: Agent) -> None:
    if agent.calcom_account_id is not None:
        raise Conflict(
            f"Agent {agent.id} is linked to the organization Cal.com account {agent.calcom_account_id}; "
            "unlink it before giving the agent a private key"
        )


async def remove_private_key(db: Database, organization_id: int, agent_id: str) -> dict[str, Any]:
    async with db.write() as session:
        agent = await _agent(session, organization_id, agent_id, lock=True)
        if agent.private_account_id is None:
            raise NotFound(f"Agent {agent_id} has no private Cal.com key")
        account = await session.get(CalendarAccount, agent.private_account_id)
        agent.private_account_id = None
        await session.flush()
        if account is not None:
            await session.delete(account)
        await session.flush()
        return await _effective_output(session, agent)


# -- organization accounts -----------------------------------------------------------------------


async def connect_account(
    db: Database, box: SecretBox, connector: Connector, organization_id: int, body: ConnectAccountInput
) -> dict[str, Any]:
    url = connector.resolve_url(body.api_base_url)
    user_id, username = await _verify_key(connector, url, body.api_key)
    async with db.write() as session:
        account = CalendarAccount(
            id=str(uuid.uuid4()),
            organization_id=organization_id,
            scope=ORGANIZATION_SCOPE,
            name=body.name,
            api_base_url=url,
            encrypted_api_key=box.encrypt(body.api_key),
            calcom_user_id=user_id,
            calcom_username=username,
        )
        session.add(account)
        await session.flush()
        await session.refresh(account)
        return account_output(account)


async def list_accounts(db: Database, organization_id: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        accounts = await session.scalars(
            select(CalendarAccount)
            .where(CalendarAccount.organization_id == organization_id, CalendarAccount.scope == ORGANIZATION_SCOPE)
            .order_by(CalendarAccount.created_at, CalendarAccount.id)
        )
        return [account_output(account) for account in accounts]


async def disconnect_account(db: Database, organization_id: int, account_id: str) -> dict[str, Any]:
    """Forget the account; the agents linked to it are unlinked."""
    async with db.write() as session:
        account = await _organization_account(session, organization_id, account_id)
        linked = list(
            await session.scalars(
                select(Agent).where(Agent.calcom_account_id == account_id).order_by(Agent.id).with_for_update()
            )
        )
        for agent in linked:
            agent.calcom_account_id = None
        await session.flush()
        await session.delete(account)
        return {"calcom_account_id": account_id, "unlinked_agent_ids": [agent.id for agent in linked]}


async def _verify_key(connector: Connector, url: str, api_key: str) -> tuple[int | None, str | None]:
    """Who the key acts as on that server; refused or unreachable keys are not stored."""
    try:
        async with connector.open(url, api_key) as api:
            me = await api.request("GET", "/v2/me")
    except CalApiError as exc:
        if exc.status in (401, 403):
            raise InvalidRequest(f"api_key was refused by {url}: {exc.message}") from exc
        raise UpstreamError(f"{url} answered {exc.status} to GET /v2/me: {exc.message}") from exc
    except httpx.HTTPError as exc:
        raise UpstreamError(f"Cannot reach {url}: {exc.__class__.__name__}") from exc
    if not isinstance(me, dict):
        raise UpstreamError(f"{url} did not answer GET /v2/me like a Cal.com API v2 server")
    user_id = me.get("id")
    username = me.get("username")
    return (user_id if isinstance(user_id, int) else None), (username if isinstance(username, str) else None)


# -- scheduling ----------------------------------------------------------------------------------


def action_message(action: Action) -> str:
    return _ACTIONS[action][2]


async def manage_appointment(
    db: Database, box: SecretBox, connector: Connector, organization_id: int, body: ManageAppointmentInput
) -> dict[str, Any]:
    """Run one scheduling action through the agent's effective account."""
    async with db.read() as session:
        agent = await _agent(session, organization_id, body.agent_id)
        source, account = await _effective_account(session, agent)
    if account is None:
        raise Conflict(
            f"Agent {agent.id} has no Cal.com account: link an organization account with "
            f"PUT /api/v1/calcom/agents/{agent.id}/account or give it a private key"
        )
    try:
        api_key = box.decrypt(account.encrypted_api_key)
    except ValueError as exc:
        raise InternalError(f"The API key of Cal.com account {account.id} cannot be decrypted") from exc
    task_name, defaults, _ = _ACTIONS[body.action]
    arguments: Mapping[str, Any] = {**defaults, **body.arguments}
    try:
        async with connector.open(account.api_base_url, api_key) as api:
            result = await TASKS[task_name].run(api, arguments)
    except TaskInputError as exc:
        raise InvalidRequest(str(exc)) from exc
    except CalApiError as exc:
        raise _upstream_failure(account.api_base_url, exc) from exc
    except httpx.HTTPError as exc:
        raise UpstreamError(f"Cannot reach {account.api_base_url}: {exc.__class__.__name__}") from exc
    return {
        "action": body.action,
        "agent_id": agent.id,
        "calcom_account_id": account.id,
        "source": source,
        "result": result,
    }


def _upstream_failure(url: str, exc: CalApiError) -> Exception:
    """The caller's mistakes keep their meaning; the account's own failures are upstream errors."""
    if exc.status in (400, 422):
        return InvalidRequest(exc.message)
    if exc.status == 404:
        return NotFound(exc.message)
    if exc.status == 409:
        return Conflict(exc.message)
    if exc.status in (401, 403):
        return UpstreamError(f"{url} refused the account's API key: {exc.message}")
    return UpstreamError(f"{url} answered {exc.status}: {exc.message}")
