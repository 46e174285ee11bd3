"""`/v2/organizations/{orgId}/delegation-credentials` (ORG_ADMIN, or a custom role granting `organization.update`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from opencal.core.context import Ctx
from opencal.core.envelope import success
from opencal.core.params import IntId
from opencal.core.permissions import Authorized, Requires
from opencal.organizations.delegation_credentials import service
from opencal.organizations.delegation_credentials.schemas import (
    CreateDelegationCredentialInput,
    CreateDelegationCredentialOutput,
    UpdateDelegationCredentialInput,
    UpdateDelegationCredentialOutput,
)

router = APIRouter(prefix="/v2/organizations/{orgId}/delegation-credentials", tags=["Orgs / Delegation Credentials"])


@router.post(
    "",
    operation_id="OrganizationsDelegationCredentialController_createDelegationCredential",
    summary="Save delegation credentials for your organization",
    response_model=CreateDelegationCredentialOutput,
    status_code=201,
)
async def create_credential(
    ctx: Ctx,
    orgId: IntId,
    body: CreateDelegationCredentialInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.update"),
) -> Any:
    return success(await service.create_credential(ctx.db, await ctx.secret_box(), orgId, body))


@router.patch(
    "/{credentialId}",
    operation_id="OrganizationsDelegationCredentialController_updateDelegationCredential",
    summary="Update delegation credentials of your organization",
    response_model=UpdateDelegationCredentialOutput,
)
async def update_credential(
    ctx: Ctx,
    orgId: IntId,
    credentialId: str,
    body: UpdateDelegationCredentialInput,
    _: Authorized = Requires("ORG_ADMIN", "organization.update"),
) -> Any:
    box = await ctx.secret_box()
    return success(await service.update_credential(ctx.db, box, orgId, credentialId, body))
