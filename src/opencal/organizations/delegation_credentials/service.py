"""Delegation credentials: an organization's workspace-wide service account (its routes need ORG_ADMIN).

The service account key is stored encrypted with the server's `SecretBox` and never returned. A
new credential starts disabled, and so does one whose key is replaced, as in Cal.com. A domain has
at most one credential per organization, and at most one enabled credential across organizations.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, NotFound
from opencal.core.security import SecretBox, new_cuid
from opencal.models import DelegationCredential
from opencal.organizations.delegation_credentials.schemas import (
    CreateDelegationCredentialInput,
    GoogleServiceAccountKeyInput,
    MicrosoftServiceAccountKeyInput,
    ServiceAccountKey,
    UpdateDelegationCredentialInput,
)

# The workspace platforms a credential can delegate to: slug -> (name, the key shape it takes).
WORKSPACE_PLATFORMS: dict[str, tuple[str, type[GoogleServiceAccountKeyInput | MicrosoftServiceAccountKeyInput]]] = {
    "google": ("Google Workspace", GoogleServiceAccountKeyInput),
    "office365": ("Microsoft 365", MicrosoftServiceAccountKeyInput),
}


def credential_output(credential: DelegationCredential) -> dict[str, Any]:
    name, _ = WORKSPACE_PLATFORMS[credential.workspace_platform]
    return {
        "id": credential.id,
        "enabled": credential.enabled,
        "domain": credential.domain,
        "organizationId": credential.organization_id,
        "workspacePlatform": {"name": name, "slug": credential.workspace_platform},
        "createdAt": iso_utc(credential.created_at),
        "updatedAt": iso_utc(credential.updated_at),
    }


def _sealed_key(box: SecretBox, platform: str, key: ServiceAccountKey) -> str:
    name, shape = WORKSPACE_PLATFORMS[platform]
    if not isinstance(key, shape):
        fields = ", ".join(shape.model_fields)
        raise BadRequest(f"serviceAccountKey: a {name} credential needs a key with {fields}")
    return box.encrypt(json.dumps(key.model_dump()))


async def _ensure_domain_free(session: AsyncSession, org_id: int, domain: str, *, except_id: str | None) -> None:
    same_domain = select(DelegationCredential).where(func.lower(DelegationCredential.domain) == domain.lower())
    for other in (await session.scalars(same_domain)).all():
        if other.organization_id == org_id and other.id != except_id:
            raise BadRequest(f"Your organization already has delegation credential for {other.domain}")
    await _ensure_not_enabled_elsewhere(session, org_id, domain)


async def _ensure_not_enabled_elsewhere(session: AsyncSession, org_id: int, domain: str) -> None:
    enabled_elsewhere = await session.scalar(
        select(DelegationCredential.id).where(
            func.lower(DelegationCredential.domain) == domain.lower(),
            DelegationCredential.organization_id != org_id,
            DelegationCredential.enabled.is_(True),
        )
    )
    if enabled_elsewhere is not None:
        raise BadRequest(f"Domain {domain} already has delegation credential enabled in another organization")


async def create_credential(
    db: Database, box: SecretBox, org_id: int, body: CreateDelegationCredentialInput
) -> dict[str, Any]:
    async with db.write() as session:
        if body.workspacePlatformSlug not in WORKSPACE_PLATFORMS:
            raise NotFound(f"Workspace platform {body.workspacePlatformSlug} not found")
        sealed = _sealed_key(box, body.workspacePlatformSlug, body.serviceAccountKey)
        await _ensure_domain_free(session, org_id, body.domain, except_id=None)
        credential = DelegationCredential(
            id=new_cuid(),
            organization_id=org_id,
            workspace_platform=body.workspacePlatformSlug,
            domain=body.domain,
            service_account_key=sealed,
            # Enabling is a separate, deliberate step.
            enabled=False,
        )
        session.add(credential)
        await session.flush()
        return credential_output(credential)


async def update_credential(
    db: Database,
    box: SecretBox,
    org_id: int,
    credential_id: str,
    body: UpdateDelegationCredentialInput,
) -> dict[str, Any]:
    async with db.write() as session:
        credential = await session.get(DelegationCredential, credential_id)
        if credential is None or credential.organization_id != org_id:
            raise NotFound(f"DelegationCredential with id {credential_id} not found")
        if body.serviceAccountKey is not None:
            credential.service_account_key = _sealed_key(box, credential.workspace_platform, body.serviceAccountKey)
            # A new key has not been checked yet.
            credential.enabled = False
        if body.enabled is not None:
            if body.enabled and not credential.enabled:
                await _ensure_not_enabled_elsewhere(session, org_id, credential.domain)
            credential.enabled = body.enabled
        await session.flush()
        await session.refresh(credential)
        return credential_output(credential)
