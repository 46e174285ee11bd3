"""Routes of the agent-account API, relative to `/api/v1/calcom`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from opencal.agents import service
from opencal.agents.auth import OrganizationId
from opencal.agents.errors import success
from opencal.agents.schemas import (
    AssignAccountInput,
    ConnectAccountInput,
    CreateAgentInput,
    ManageAppointmentInput,
    PrivateKeyInput,
)
from opencal.core.context import Ctx

router = APIRouter()


def _connector(request: Request) -> service.Connector:
    connector: service.Connector = request.app.state.connector
    return connector


Connector = Annotated[service.Connector, Depends(_connector)]


@router.post("/agents", status_code=201)
async def create_agent(ctx: Ctx, organization_id: OrganizationId, body: CreateAgentInput) -> Any:
    return success("Agent created", await service.create_agent(ctx.db, organization_id, body.name))


@router.get("/agents")
async def list_agents(ctx: Ctx, organization_id: OrganizationId) -> Any:
    return success("Agents", await service.list_agents(ctx.db, organization_id))


@router.get("/agents/{agent_id}")
async def get_agent(ctx: Ctx, organization_id: OrganizationId, agent_id: str) -> Any:
    return success("Agent", await service.get_agent(ctx.db, organization_id, agent_id))


@router.put("/agents/{agent_id}/account")
async def assign_agent_account(
    ctx: Ctx, organization_id: OrganizationId, agent_id: str, body: AssignAccountInput
) -> Any:
    data = await service.assign_account(ctx.db, organization_id, agent_id, body.calcom_account_id)
    return success("Agent Cal.com account updated", data)


@router.get("/agents/{agent_id}/account")
async def get_agent_account(ctx: Ctx, organization_id: OrganizationId, agent_id: str) -> Any:
    return success("Agent Cal.com account", await service.get_effective_account(ctx.db, organization_id, agent_id))


@router.put("/agents/{agent_id}/private-key")
async def set_agent_private_key(
    ctx: Ctx, connector: Connector, organization_id: OrganizationId, agent_id: str, body: PrivateKeyInput
) -> Any:
    box = await ctx.secret_box()
    data = await service.set_private_key(ctx.db, box, connector, organization_id, agent_id, body)
    return success("Agent private Cal.com key set", data)


@router.delete("/agents/{agent_id}/private-key")
async def remove_agent_private_key(ctx: Ctx, organization_id: OrganizationId, agent_id: str) -> Any:
    data = await service.remove_private_key(ctx.db, organization_id, agent_id)
    return success("Agent private Cal.com key removed", data)


@router.post("/accounts", status_code=201)
async def connect_account(
    ctx: Ctx, connector: Connector, organization_id: OrganizationId, body: ConnectAccountInput
) -> Any:
    box = await ctx.secret_box()
    return success(
        "Cal.com account connected", await service.connect_account(ctx.db, box, connector, organization_id, body)
    )


@router.get("/accounts")
async def list_accounts(ctx: Ctx, organization_id: OrganizationId) -> Any:
    return success("Cal.com accounts", await service.list_accounts(ctx.db, organization_id))


@router.delete("/accounts/{calcom_account_id}")
async def disconnect_account(ctx: Ctx, organization_id: OrganizationId, calcom_account_id: str) -> Any:
    data = await service.disconnect_account(ctx.db, organization_id, calcom_account_id)
    return success("Cal.com account disconnected", data)


@router.post("/appointments/manage")
async def manage_appointment(
    ctx: Ctx, connector: Connector, organization_id: OrganizationId, body: ManageAppointmentInput
) -> Any:
    box = await ctx.secret_box()
    data = await service.manage_appointment(ctx.db, box, connector, organization_id, body)
    return success(service.action_message(body.action), data)
