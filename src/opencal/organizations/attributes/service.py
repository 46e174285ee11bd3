"""Organization attributes, their options, and the options held by members (BEHAVIOR.md §6.4).

The routes declare who may call them (reads ORG_MEMBER, writes ORG_ADMIN, as in Cal.com); a member
may also unassign their own options, only an admin anyone's. Every attribute, option and member
named in a path must belong to the organization in the path, else 404. Assignments hang on the
member's organization membership (Cal.com's AttributeToUser).

For the membership outputs of other domains: `attributes_for_memberships(session, org_id, user_ids)`
gives each user's `attributes` list in Cal.com's shape.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.errors import BadRequest, Conflict, NotFound
from opencal.core.permissions import Authorized, require_organization
from opencal.core.security import new_cuid
from opencal.models import Attribute, AttributeAssignment, AttributeOption, Membership
from opencal.organizations.attributes.members import org_membership
from opencal.organizations.attributes.schemas import (
    AssignOrganizationAttributeOptionToUserInput,
    CreateOrganizationAttributeInput,
    CreateOrganizationAttributeOptionInput,
    UpdateOrganizationAttributeInput,
    UpdateOrganizationAttributeOptionInput,
)
from opencal.users.service import slugify

SELECT_TYPES = frozenset({"SINGLE_SELECT", "MULTI_SELECT"})
VALUE_TYPES = frozenset({"TEXT", "NUMBER"})
# How each type is named in membership outputs.
OUTPUT_TYPE_NAMES = {"TEXT": "text", "NUMBER": "number", "SINGLE_SELECT": "singleSelect", "MULTI_SELECT": "multiSelect"}
NOT_ASSIGNED_TO_TEAMS = (
    "Options provided in assignedOptionIds are not assigned to anyone, or the users are not part of the teams "
    "specified in teamIds filter."
)


# -- outputs ------------------------------------------------------------------------------------


def attribute_output(attribute: Attribute) -> dict[str, Any]:
    return {
        "id": attribute.id,
        "teamId": attribute.team_id,
        "type": attribute.type,
        "name": attribute.name,
        "slug": attribute.slug,
        "enabled": attribute.enabled,
        "usersCanEditRelation": attribute.users_can_edit_relation,
    }


def option_output(option: AttributeOption) -> dict[str, Any]:
    return {"id": option.id, "attributeId": option.attribute_id, "value": option.value, "slug": option.slug}


def assignment_output(assignment: AttributeAssignment) -> dict[str, Any]:
    return {
        "id": assignment.id,
        "memberId": assignment.membership_id,
        "attributeOptionId": assignment.attribute_option_id,
    }


def number_value(value: str) -> int | float | None:
    """A NUMBER option's value as a JSON number; None when it is not one (JavaScript's NaN -> null)."""
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def _check_value_fits(attribute: Attribute, value: str) -> None:
    if attribute.type == "NUMBER" and number_value(value) is None:
        raise BadRequest(f"value: '{value}' is not a number, and attribute with id={attribute.id} is of type NUMBER")


# -- loading ------------------------------------------------------------------------------------


async def _attribute(session: AsyncSession, org_id: int, attribute_id: str) -> Attribute:
    attribute = await session.get(Attribute, attribute_id)
    if attribute is None or attribute.team_id != org_id:
        raise NotFound(f"Attribute with id={attribute_id} not found in organization with id={org_id}")
    return attribute


async def _attribute_by_slug(session: AsyncSession, org_id: int, slug: str) -> Attribute:
    attribute: Attribute | None = await session.scalar(
        select(Attribute).where(Attribute.team_id == org_id, Attribute.slug == slug)
    )
    if attribute is None:
        raise NotFound(f"Attribute with slug={slug} not found in organization with id={org_id}")
    return attribute


async def _option(session: AsyncSession, attribute: Attribute, option_id: str) -> AttributeOption:
    option = await session.get(AttributeOption, option_id)
    if option is None or option.attribute_id != attribute.id:
        raise NotFound(f"Attribute option with id={option_id} not found in attribute with id={attribute.id}")
    return option


async def _member(session: AsyncSession, org_id: int, user_id: int, *, accepted: bool) -> Membership:
    membership = await org_membership(session, org_id, user_id)
    if membership is None or (accepted and not membership.accepted):
        raise NotFound(f"User with id={user_id} is not a member of the organization with id={org_id}")
    return membership


async def _ensure_slug_free(session: AsyncSession, org_id: int, slug: str, *, except_id: str | None = None) -> None:
    query = select(Attribute.id).where(Attribute.team_id == org_id, Attribute.slug == slug)
    if except_id is not None:
        query = query.where(Attribute.id != except_id)
    if await session.scalar(query) is not None:
        raise Conflict(f"Attribute with slug {slug} already exists in organization with id={org_id}")


async def _flush(session: AsyncSession, conflict_message: str) -> None:
    """Flush, turning a unique violation raced past the checks above into a 409."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(conflict_message) from exc


# -- attributes ---------------------------------------------------------------------------------


async def list_attributes(db: Database, org_id: int, skip: int, take: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        attributes = await session.scalars(
            select(Attribute)
            .where(Attribute.team_id == org_id)
            .order_by(Attribute.created_at, Attribute.id)
            .offset(skip)
            .limit(take)
        )
        return [attribute_output(a) for a in attributes]


async def get_attribute(db: Database, org_id: int, attribute_id: str) -> dict[str, Any]:
    async with db.read() as session:
        return attribute_output(await _attribute(session, org_id, attribute_id))


async def create_attribute(db: Database, org_id: int, body: CreateOrganizationAttributeInput) -> dict[str, Any]:
    async with db.write() as session:
        await _ensure_slug_free(session, org_id, body.slug)
        attribute = Attribute(
            id=new_cuid(),
            team_id=org_id,
            name=body.name,
            slug=body.slug,
            type=body.type,
            enabled=True if body.enabled is None else body.enabled,
        )
        session.add(attribute)
        await _flush(session, f"Attribute with slug {body.slug} already exists in organization with id={org_id}")
        # Cal.com keeps the options given with a select attribute and ignores them for text/number ones.
        if attribute.type in SELECT_TYPES:
            session.add_all(
                AttributeOption(id=new_cuid(), attribute_id=attribute.id, value=o.value, slug=o.slug)
                for o in body.options
            )
            await session.flush()
        return attribute_output(attribute)


async def update_attribute(
    db: Database, org_id: int, attribute_id: str, body: UpdateOrganizationAttributeInput
) -> dict[str, Any]:
    async with db.write() as session:
        attribute = await _attribute(session, org_id, attribute_id)
        if body.slug is not None and body.slug != attribute.slug:
            await _ensure_slug_free(session, org_id, body.slug, except_id=attribute.id)
            attribute.slug = body.slug
        if body.name is not None:
            attribute.name = body.name
        if body.type is not None:
            attribute.type = body.type
        if body.enabled is not None:
            attribute.enabled = body.enabled
        await _flush(session, f"Attribute with slug {attribute.slug} already exists in organization with id={org_id}")
        return attribute_output(attribute)


async def delete_attribute(db: Database, org_id: int, attribute_id: str) -> dict[str, Any]:
    async with db.write() as session:
        attribute = await _attribute(session, org_id, attribute_id)
        output = attribute_output(attribute)
        await session.delete(attribute)
        return output


# -- options ------------------------------------------------------------------------------------


async def create_option(
    db: Database, org_id: int, attribute_id: str, body: CreateOrganizationAttributeOptionInput
) -> dict[str, Any]:
    async with db.write() as session:
        attribute = await _attribute(session, org_id, attribute_id)
        _check_value_fits(attribute, body.value)
        option = AttributeOption(id=new_cuid(), attribute_id=attribute.id, value=body.value, slug=body.slug)
        session.add(option)
        await session.flush()
        return option_output(option)


async def list_options(db: Database, org_id: int, attribute_id: str) -> list[dict[str, Any]]:
    async with db.read() as session:
        attribute = await _attribute(session, org_id, attribute_id)
        return [option_output(o) for o in await _options_of(session, attribute.id)]


async def update_option(
    db: Database,
    org_id: int,
    attribute_id: str,
    option_id: str,
    body: UpdateOrganizationAttributeOptionInput,
) -> dict[str, Any]:
    async with db.write() as session:
        attribute = await _attribute(session, org_id, attribute_id)
        option = await _option(session, attribute, option_id)
        if body.value is not None:
            _check_value_fits(attribute, body.value)
            option.value = body.value
        if body.slug is not None:
            option.slug = body.slug
        await session.flush()
        return option_output(option)


async def delete_option(db: Database, org_id: int, attribute_id: str, option_id: str) -> dict[str, Any]:
    async with db.write() as session:
        attribute = await _attribute(session, org_id, attribute_id)
        option = await _option(session, attribute, option_id)
        output = option_output(option)
        await session.delete(option)
        return output


async def _options_of(session: AsyncSession, attribute_id: str) -> Sequence[AttributeOption]:
    result = await session.scalars(
        select(AttributeOption)
        .where(AttributeOption.attribute_id == attribute_id)
        .order_by(AttributeOption.created_at, AttributeOption.id)
    )
    return result.all()


# -- options assigned to members ----------------------------------------------------------------


async def assigned_options(
    db: Database,
    org_id: int,
    *,
    attribute_id: str | None = None,
    attribute_slug: str | None = None,
    skip: int,
    take: int,
    assigned_option_ids: list[str] | None = None,
    team_ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """The attribute's options held by at least one member, each with the ids of its holders.

    `teamIds` keeps only holders who are in one of those teams. `assignedOptionIds` keeps only options
    shared with the holders of those (other) options, and is a 404 when nobody holds them.
    """
    async with db.read() as session:
        if attribute_id is not None:
            attribute = await _attribute(session, org_id, attribute_id)
        else:
            attribute = await _attribute_by_slug(session, org_id, attribute_slug or "")
        in_teams = await _users_in_teams(session, team_ids) if team_ids else None
        holders = await _holders(session, org_id, [o.id for o in await _options_of(session, attribute.id)])

        def kept(user_ids: Iterable[int]) -> list[int]:
            return [u for u in user_ids if in_teams is None or u in in_teams]

        options = [(option, kept(users)) for option, users in holders]
        options = [(option, users) for option, users in options if users]
        if assigned_option_ids:
            wanted = await _holders(session, org_id, assigned_option_ids, restrict_to_org_options=True)
            matching = {user for _, users in wanted for user in kept(users)}
            if not matching:
                raise NotFound(NOT_ASSIGNED_TO_TEAMS)
            options = [(option, users) for option, users in options if matching.intersection(users)]
        return [{**option_output(option), "assignedUserIds": users} for option, users in options[skip : skip + take]]


async def _holders(
    session: AsyncSession, org_id: int, option_ids: Sequence[str], *, restrict_to_org_options: bool = False
) -> list[tuple[AttributeOption, list[int]]]:
    """Each of the options (in the given order) with the users holding it through an org membership."""
    if not option_ids:
        return []
    query = (
        select(AttributeOption, Membership.user_id)
        .join(AttributeAssignment, AttributeAssignment.attribute_option_id == AttributeOption.id)
        .join(Membership, Membership.id == AttributeAssignment.membership_id)
        .where(AttributeOption.id.in_(option_ids), Membership.team_id == org_id)
        .order_by(AttributeAssignment.created_at, AttributeAssignment.id)
    )
    if restrict_to_org_options:
        query = query.join(Attribute, Attribute.id == AttributeOption.attribute_id).where(Attribute.team_id == org_id)
    users: dict[str, list[int]] = defaultdict(list)
    options: dict[str, AttributeOption] = {}
    for option, user_id in (await session.execute(query)).all():
        options[option.id] = option
        users[option.id].append(user_id)
    return [(options[i], users[i]) for i in dict.fromkeys(option_ids) if i in options]


async def _users_in_teams(session: AsyncSession, team_ids: list[int]) -> set[int]:
    result = await session.scalars(select(Membership.user_id).where(Membership.team_id.in_(team_ids)))
    return set(result.all())


async def assign_option(
    db: Database, org_id: int, user_id: int, body: AssignOrganizationAttributeOptionToUserInput
) -> dict[str, Any]:
    """Give member `user_id` an option: an existing one, or for a text/number attribute a value.

    A member holds at most one option of a text, number or single-select attribute: assigning
    another replaces it.
    """
    async with db.write() as session:
        attribute = await _attribute(session, org_id, body.attributeId)
        membership = await _member(session, org_id, user_id, accepted=True)
        if body.value is not None and attribute.type not in VALUE_TYPES:
            raise BadRequest("Attribute type does not support value")
        if body.attributeOptionId is not None:
            option = await _option(session, attribute, body.attributeOptionId)
        elif body.value is not None:
            option = await _option_for_value(session, attribute, body.value)
        else:
            raise BadRequest("attributeOptionId or value is required")
        held = await session.scalars(
            select(AttributeAssignment)
            .join(AttributeOption, AttributeOption.id == AttributeAssignment.attribute_option_id)
            .where(AttributeAssignment.membership_id == membership.id, AttributeOption.attribute_id == attribute.id)
        )
        conflict = f"User with id={user_id} already has attribute option with id={option.id}"
        for assignment in held.all():
            if assignment.attribute_option_id == option.id:
                raise Conflict(conflict)
            if attribute.type != "MULTI_SELECT":
                await session.delete(assignment)
        assignment = AttributeAssignment(id=new_cuid(), membership_id=membership.id, attribute_option_id=option.id)
        session.add(assignment)
        await _flush(session, conflict)
        return assignment_output(assignment)


async def _option_for_value(session: AsyncSession, attribute: Attribute, value: str) -> AttributeOption:
    """The attribute's option with this value, created when there is none yet."""
    _check_value_fits(attribute, value)
    existing: AttributeOption | None = await session.scalar(
        select(AttributeOption)
        .where(AttributeOption.attribute_id == attribute.id, AttributeOption.value == value)
        .order_by(AttributeOption.created_at, AttributeOption.id)
        .limit(1)
    )
    if existing is not None:
        return existing
    option = AttributeOption(id=new_cuid(), attribute_id=attribute.id, value=value, slug=slugify(value) or value)
    session.add(option)
    await session.flush()
    return option


async def options_of_user(db: Database, org_id: int, user_id: int) -> list[dict[str, Any]]:
    async with db.read() as session:
        membership = await _member(session, org_id, user_id, accepted=False)
        options = await session.scalars(
            select(AttributeOption)
            .join(AttributeAssignment, AttributeAssignment.attribute_option_id == AttributeOption.id)
            .join(Attribute, Attribute.id == AttributeOption.attribute_id)
            .where(AttributeAssignment.membership_id == membership.id, Attribute.team_id == org_id)
            .order_by(AttributeAssignment.created_at, AttributeAssignment.id)
        )
        return [option_output(o) for o in options]


async def unassign_option(db: Database, access: Authorized, user_id: int, option_id: str) -> dict[str, Any]:
    """Take option `option_id` away from member `user_id`: any member may for themselves, an admin
    (or a custom role granting the route's permission) for anyone."""
    assert access.org_id is not None
    org_id = access.org_id
    async with db.write() as session:
        membership = await _member(session, org_id, user_id, accepted=False)
        assignment: AttributeAssignment | None = await session.scalar(
            select(AttributeAssignment).where(
                AttributeAssignment.membership_id == membership.id,
                AttributeAssignment.attribute_option_id == option_id,
            )
        )
        if assignment is None:
            raise NotFound("Attribute does not belong to this user")
        if access.user_id != user_id:
            await require_organization(
                session, access.principal, org_id, "ADMIN", permission="organization.attributes.update"
            )
        output = assignment_output(assignment)
        await session.delete(assignment)
        return output


# -- for membership outputs ---------------------------------------------------------------------


async def attributes_for_memberships(
    session: AsyncSession, org_id: int, user_ids: Iterable[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each user's attributes in organization `org_id`, as the `attributes` of Cal.com's membership output.

    Every user id given is a key (an empty list when the user holds nothing). Text, number and
    single-select attributes are `{id, name, type, optionId, option}` (a number's `option` is a JSON
    number); multi-select ones are `{id, name, type: "multiSelect", options: [{optionId, option}]}`.
    `id` is the attribute's id; attributes come in creation order, options in assignment order.
    """
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return {}
    grouped: dict[int, dict[str, tuple[Attribute, list[AttributeOption]]]] = {u: {} for u in wanted}
    rows = await session.execute(
        select(Membership.user_id, Attribute, AttributeOption)
        .join(AttributeAssignment, AttributeAssignment.membership_id == Membership.id)
        .join(AttributeOption, AttributeOption.id == AttributeAssignment.attribute_option_id)
        .join(Attribute, Attribute.id == AttributeOption.attribute_id)
        .where(Membership.team_id == org_id, Membership.user_id.in_(wanted), Attribute.team_id == org_id)
        .order_by(Attribute.created_at, Attribute.id, AttributeAssignment.created_at, AttributeAssignment.id)
    )
    for user_id, attribute, option in rows.all():
        grouped[user_id].setdefault(attribute.id, (attribute, []))[1].append(option)
    return {
        user_id: [_membership_attribute(attribute, options) for attribute, options in by_attribute.values()]
        for user_id, by_attribute in grouped.items()
    }


def _membership_attribute(attribute: Attribute, options: list[AttributeOption]) -> dict[str, Any]:
    base = {"id": attribute.id, "name": attribute.name, "type": OUTPUT_TYPE_NAMES[attribute.type]}
    if attribute.type == "MULTI_SELECT":
        return {**base, "options": [{"optionId": o.id, "option": o.value} for o in options]}
    first = options[0]
    option: Any = number_value(first.value) if attribute.type == "NUMBER" else first.value
    return {**base, "optionId": first.id, "option": option}
