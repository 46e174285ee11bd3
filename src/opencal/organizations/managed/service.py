"""Organizations created and managed by a platform organization (`Managed Orgs`).

Only platform organizations manage organizations. A new managed organization is itself a platform
organization; its creator becomes its OWNER and gets an API key bound to it, shown once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.api_keys.service import create_api_key
from opencal.core import clock
from opencal.core.db import Database
from opencal.core.envelope import SkipTake, pagination_summary
from opencal.core.errors import BadRequest, Conflict, Forbidden, NotFound
from opencal.models import ManagedOrganization, Membership, Team
from opencal.organizations.managed.schemas import CreateOrganizationInput, UpdateOrganizationInput
from opencal.users.service import slugify
from opencal.users.validation import check_metadata


def managed_output(org: Team) -> dict[str, Any]:
    """ManagedOrganizationOutput."""
    return {"id": org.id, "name": org.name, "slug": org.slug, "metadata": org.metadata_}


def _slug_taken(slug: str) -> Conflict:
    return Conflict(
        f"Organization with slug '{slug}' already exists. Please, either provide a different slug or change name so "
        "that the automatically generated slug is different."
    )


async def _load(session: AsyncSession, manager_id: int, managed_id: int) -> Team:
    org: Team | None = await session.scalar(
        select(Team)
        .join(ManagedOrganization, ManagedOrganization.managed_organization_id == Team.id)
        .where(ManagedOrganization.manager_organization_id == manager_id, Team.id == managed_id)
    )
    if org is None:
        raise NotFound(
            f"Managed organization with id={managed_id} within manager organization with id={manager_id} not found."
        )
    return org


async def create_managed_organization(
    db: Database, manager_id: int, creator_id: int, body: CreateOrganizationInput, api_key_prefix: str
) -> dict[str, Any]:
    if body.metadata is not None:
        check_metadata(body.metadata)
    slug = slugify(body.slug or body.name)
    if not slug:
        raise BadRequest("slug: must contain letters or digits")
    async with db.write() as session:
        manager = await session.get(Team, manager_id)
        if manager is None or not manager.is_platform:
            raise Forbidden(
                "Manager organization must be a platform organization. Normal organizations can't create managed "
                "organizations yet."
            )
        # Organizations are top-level teams, whose slugs are unique across the deployment.
        if await session.scalar(select(Team.id).where(Team.slug == slug, Team.parent_id.is_(None))) is not None:
            raise _slug_taken(slug)
        org = Team(name=body.name, slug=slug, metadata_=body.metadata or {}, is_organization=True, is_platform=True)
        session.add(org)
        try:
            await session.flush()
        except IntegrityError as exc:
            raise _slug_taken(slug) from exc
        session.add(ManagedOrganization(managed_organization_id=org.id, manager_organization_id=manager_id))
        session.add(Membership(team_id=org.id, user_id=creator_id, role="OWNER", accepted=True))
        expires_on = None if body.apiKeyNeverExpires else clock.now().date() + timedelta(days=body.apiKeyDaysValid)
        api_key = await create_api_key(
            session,
            user_id=creator_id,
            prefix=api_key_prefix,
            expires_on=expires_on,
            team_id=org.id,
            note=f"Managed organization API key. ManagerOrgId: {manager_id}. ManagedOrgId: {org.id}",
        )
        return {**managed_output(org), "apiKey": api_key}


async def list_managed_organizations(
    db: Database,
    manager_id: int,
    page: SkipTake,
    *,
    slug: str | None = None,
    metadata_key: str | None = None,
    metadata_value: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One page of the managed organizations (by id) and the pagination summary."""
    if (metadata_key is None) != (metadata_value is None):
        raise BadRequest("metadataKey and metadataValue must be provided together")
    query = (
        select(Team)
        .join(ManagedOrganization, ManagedOrganization.managed_organization_id == Team.id)
        .where(ManagedOrganization.manager_organization_id == manager_id)
    )
    if slug is not None:
        query = query.where(Team.slug == slug)
    if metadata_key is not None:
        query = query.where(Team.metadata_[metadata_key].as_string() == metadata_value)
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        orgs = await session.scalars(query.order_by(Team.id).offset(page.skip).limit(page.take))
        return [managed_output(org) for org in orgs], pagination_summary(total, page.skip, page.take)


async def get_managed_organization(db: Database, manager_id: int, managed_id: int) -> dict[str, Any]:
    async with db.read() as session:
        return managed_output(await _load(session, manager_id, managed_id))


async def update_managed_organization(
    db: Database, manager_id: int, managed_id: int, body: UpdateOrganizationInput
) -> dict[str, Any]:
    if body.metadata is not None:
        check_metadata(body.metadata)
    async with db.write() as session:
        org = await _load(session, manager_id, managed_id)
        if body.name is not None:
            org.name = body.name
        if body.metadata is not None:
            org.metadata_ = body.metadata
        await session.flush()
        return managed_output(org)


async def delete_managed_organization(db: Database, manager_id: int, managed_id: int) -> dict[str, Any]:
    """Delete the organization with everything it holds (teams, memberships, its API keys)."""
    async with db.write() as session:
        org = await _load(session, manager_id, managed_id)
        output = managed_output(org)
        await session.delete(org)
        return output
