"""Routing forms and their responses: storage, queries and outputs.

Forms are made in Cal.com's web app, not through API v2; here `create_form` (behind `opencal
routing-forms create`) makes them. An organization's forms are those of its teams. Responses keep
Cal.com's shape: answers keyed by field id, each `{label, identifier?, value}`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, NotFound
from opencal.core.security import new_cuid
from opencal.models import Membership, RoutingForm, RoutingFormResponse, Team, User
from opencal.routing_forms.schemas import RoutingFormDefinition

SortOrder = Literal["asc", "desc"]
_Row = TypeVar("_Row", RoutingForm, RoutingFormResponse)


@dataclass(frozen=True, slots=True)
class ListFilters:
    """The query filters shared by the form and response listings."""

    skip: int = 0
    take: int = 250
    sort_created_at: SortOrder | None = None
    sort_updated_at: SortOrder | None = None
    after_created_at: datetime | None = None
    before_created_at: datetime | None = None
    after_updated_at: datetime | None = None
    before_updated_at: datetime | None = None
    routed_to_booking_uid: str | None = None


# -- outputs ------------------------------------------------------------------------------------


def form_output(form: RoutingForm) -> dict[str, Any]:
    return {
        "name": form.name,
        "description": form.description,
        "position": form.position,
        "createdAt": iso_utc(form.created_at),
        "updatedAt": iso_utc(form.updated_at),
        "userId": form.user_id,
        "teamId": form.team_id,
        "disabled": form.disabled,
        "id": form.id,
        "routes": form.routes,
        "fields": form.fields,
        "settings": form.settings,
    }


def response_output(response: RoutingFormResponse) -> dict[str, Any]:
    return {
        "id": response.id,
        "formId": response.form_id,
        "formFillerId": response.form_filler_id,
        "routedToBookingUid": response.routed_to_booking_uid,
        "response": response.response,
        "createdAt": iso_utc(response.created_at),
    }


# -- queries ------------------------------------------------------------------------------------


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _filtered(
    query: Select[_Row],
    created: InstrumentedAttribute[datetime],
    updated: InstrumentedAttribute[datetime],
    key: InstrumentedAttribute[Any],
    filters: ListFilters,
) -> Select[_Row]:
    if filters.after_created_at is not None:
        query = query.where(created >= _utc(filters.after_created_at))
    if filters.before_created_at is not None:
        query = query.where(created <= _utc(filters.before_created_at))
    if filters.after_updated_at is not None:
        query = query.where(updated >= _utc(filters.after_updated_at))
    if filters.before_updated_at is not None:
        query = query.where(updated <= _utc(filters.before_updated_at))
    if filters.sort_created_at is not None:
        query = query.order_by(created.desc() if filters.sort_created_at == "desc" else created.asc())
    if filters.sort_updated_at is not None:
        query = query.order_by(updated.desc() if filters.sort_updated_at == "desc" else updated.asc())
    return query.order_by(key).offset(filters.skip).limit(filters.take)


async def forms_of_teams(
    session: AsyncSession, *, org_id: int | None = None, team_ids: list[int] | None = None, filters: ListFilters
) -> list[dict[str, Any]]:
    """Forms of the teams of organization `org_id` and/or of the teams `team_ids`."""
    query = select(RoutingForm).join(Team, Team.id == RoutingForm.team_id)
    if org_id is not None:
        query = query.where(Team.parent_id == org_id)
    if team_ids:
        query = query.where(Team.id.in_(team_ids))
    if filters.routed_to_booking_uid is not None:
        query = query.where(
            exists().where(
                RoutingFormResponse.form_id == RoutingForm.id,
                RoutingFormResponse.routed_to_booking_uid == filters.routed_to_booking_uid,
            )
        )
    query = _filtered(query, RoutingForm.created_at, RoutingForm.updated_at, RoutingForm.id, filters)
    return [form_output(f) for f in await session.scalars(query)]


async def org_form(session: AsyncSession, org_id: int, form_id: str) -> RoutingForm:
    """Form `form_id` of a team of organization `org_id`, else 404."""
    form: RoutingForm | None = await session.scalar(
        select(RoutingForm)
        .join(Team, Team.id == RoutingForm.team_id)
        .where(RoutingForm.id == form_id, Team.parent_id == org_id)
    )
    if form is None:
        raise NotFound(f"Routing form with id={form_id} not found in organization with id={org_id}")
    return form


async def team_form(session: AsyncSession, team_id: int, form_id: str) -> RoutingForm:
    form = await session.get(RoutingForm, form_id)
    if form is None or form.team_id != team_id:
        raise NotFound(f"Routing form with id={form_id} not found in team with id={team_id}")
    return form


async def responses_of(session: AsyncSession, form: RoutingForm, filters: ListFilters) -> list[dict[str, Any]]:
    query = select(RoutingFormResponse).where(RoutingFormResponse.form_id == form.id)
    if filters.routed_to_booking_uid is not None:
        query = query.where(RoutingFormResponse.routed_to_booking_uid == filters.routed_to_booking_uid)
    query = _filtered(
        query, RoutingFormResponse.created_at, RoutingFormResponse.updated_at, RoutingFormResponse.id, filters
    )
    return [response_output(r) for r in await session.scalars(query)]


# -- answers ------------------------------------------------------------------------------------


def normalized_answers(form: RoutingForm, answers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Answers keyed by field id, each `{label, identifier?, value}`.

    A key may be a field's id, its identifier, or its label when it has no identifier; an answer may
    be the bare value or an object with a `value`. Unknown fields and values of another kind are a
    400 naming the key.
    """
    by_key: dict[str, dict[str, Any]] = {}
    for field in form.fields or []:
        if isinstance(field, dict) and isinstance(field.get("id"), str):
            by_key.setdefault(field["id"], field)
            if isinstance(field.get("identifier"), str):
                by_key.setdefault(field["identifier"], field)
            elif isinstance(field.get("label"), str) and field["label"]:
                # Cal.com names a field without identifier by its label.
                by_key.setdefault(field["label"], field)
    normalized: dict[str, dict[str, Any]] = {}
    for key, answer in answers.items():
        field = by_key.get(key)
        if field is None:
            raise BadRequest(f"response.{key}: routing form with id={form.id} has no such field")
        value = answer.get("value") if isinstance(answer, dict) else answer
        if not _is_answer_value(value):
            raise BadRequest(f"response.{key}: an answer is a text, a number or a list of texts")
        entry: dict[str, Any] = {"label": str(field.get("label") or key)}
        if isinstance(field.get("identifier"), str):
            entry["identifier"] = field["identifier"]
        entry["value"] = value
        normalized[field["id"]] = entry
    return normalized


def _is_answer_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str | int | float):
        return True
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


async def save_response(
    session: AsyncSession, form: RoutingForm, answers: dict[str, Any], *, routed_to_booking_uid: str | None = None
) -> RoutingFormResponse:
    """Record one submission of `form` (answers as `normalized_answers` takes them)."""
    response = RoutingFormResponse(
        form_id=form.id,
        form_filler_id=new_cuid(),
        response=normalized_answers(form, answers),
        routed_to_booking_uid=routed_to_booking_uid,
    )
    session.add(response)
    await session.flush()
    return response


async def update_response(
    session: AsyncSession, form: RoutingForm, response_id: int, answers: dict[str, Any] | None
) -> dict[str, Any]:
    """Replace the answers of response `response_id` of `form` (404 when it is not one of its responses)."""
    response = await session.get(RoutingFormResponse, response_id)
    if response is None or response.form_id != form.id:
        raise NotFound(f"Routing form response with id={response_id} not found in routing form with id={form.id}")
    if answers is not None:
        response.response = normalized_answers(form, answers)
        await session.flush()
        await session.refresh(response)
    return response_output(response)


# -- creating forms -----------------------------------------------------------------------------


async def create_form(session: AsyncSession, org_id: int, definition: RoutingFormDefinition) -> RoutingForm:
    """A form of team `definition.teamId`, which must belong to organization `org_id`.

    Its owner is `definition.userId` (a member of the team or the organization), else the team's
    first owner. Fields without an id get one.
    """
    org = await session.get(Team, org_id)
    if org is None or not org.is_organization:
        raise NotFound(f"Organization with id={org_id} not found")
    team = await session.get(Team, definition.teamId)
    if team is None or team.parent_id != org_id:
        raise NotFound(f"Team with id={definition.teamId} not found in organization with id={org_id}")
    owner_id = definition.userId or await _first_owner(session, team.id) or await _first_owner(session, org_id)
    if owner_id is None or not await _is_member(session, owner_id, (team.id, org_id)):
        raise BadRequest(f"userId: user with id={owner_id} is not a member of team {team.id} or organization {org_id}")
    fields = [{**f.model_dump(exclude_none=True), "id": f.id or str(uuid.uuid4())} for f in definition.fields]
    form = RoutingForm(
        id=str(uuid.uuid4()),
        name=definition.name,
        description=definition.description,
        position=definition.position,
        user_id=owner_id,
        team_id=team.id,
        disabled=definition.disabled,
        fields=fields,
        routes=definition.routes,
        settings=definition.settings,
    )
    session.add(form)
    await session.flush()
    await session.refresh(form)
    return form


async def _first_owner(session: AsyncSession, team_id: int) -> int | None:
    owner: int | None = await session.scalar(
        select(Membership.user_id)
        .where(Membership.team_id == team_id, Membership.role == "OWNER", Membership.accepted.is_(True))
        .order_by(Membership.id)
        .limit(1)
    )
    return owner


async def _is_member(session: AsyncSession, user_id: int, team_ids: tuple[int, ...]) -> bool:
    if await session.get(User, user_id) is None:
        return False
    found = await session.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.team_id.in_(team_ids)).limit(1)
    )
    return found is not None
