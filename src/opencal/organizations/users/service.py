"""The users of an organization (`Orgs / Users`).

A user belongs to an organization when it is their organization or when they hold a membership of
it (`organizations.attributes.members.org_user_clause`, shared with the attribute routes). Their
organization profile is their username there; its id is their organization membership's id.
Creating a user sends no email: the user exists at once, with a default schedule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from opencal.core.db import Database
from opencal.core.envelope import iso_utc
from opencal.core.errors import BadRequest, Conflict, NotFound
from opencal.models import AttributeAssignment, Membership, Schedule, User
from opencal.organizations.attributes.members import org_user_clause
from opencal.organizations.users.schemas import CreateOrganizationUserInput, UpdateOrganizationUserInput
from opencal.users import bootstrap
from opencal.users.service import slugify
from opencal.users.validation import check_metadata, check_time_zone

EMAIL_TAKEN = "A user already exists with that email"
USERNAME_TAKEN = "Username is already taken"
USER_COLUMNS = {
    "email": "email",
    "username": "username",
    "weekday": "week_start",
    "brandColor": "brand_color",
    "bio": "bio",
    "metadata": "metadata_",
    "darkBrandColor": "dark_brand_color",
    "hideBranding": "hide_branding",
    "timeZone": "time_zone",
    "theme": "theme",
    "appTheme": "app_theme",
    "timeFormat": "time_format",
    "defaultScheduleId": "default_schedule_id",
    "locale": "locale",
    "avatarUrl": "avatar_url",
}
AttributeOperator = Literal["AND", "OR", "NONE"]


def org_user_output(user: User, org_id: int, profile_id: int | None) -> dict[str, Any]:
    """GetOrgUsersWithProfileOutput; opencal keeps no email-verification or inviter data (null)."""
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "emailVerified": None,
        "bio": user.bio,
        "avatarUrl": user.avatar_url,
        "timeZone": user.time_zone,
        "weekStart": user.week_start,
        "appTheme": user.app_theme,
        "theme": user.theme,
        "defaultScheduleId": user.default_schedule_id,
        "locale": user.locale,
        "timeFormat": user.time_format,
        "hideBranding": user.hide_branding,
        "brandColor": user.brand_color,
        "darkBrandColor": user.dark_brand_color,
        "allowDynamicBooking": user.allow_dynamic_booking,
        "createdDate": iso_utc(user.created_at),
        "verified": None,
        "invitedTo": None,
        "metadata": user.metadata_,
        # A user of the organization without a membership row has no profile id of its own.
        "profile": {
            "id": profile_id if profile_id is not None else user.id,
            "organizationId": org_id,
            "userId": user.id,
            "username": user.username,
        },
    }


async def _outputs(session: AsyncSession, org_id: int, users: Sequence[User]) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Membership.user_id, Membership.id).where(
            Membership.team_id == org_id, Membership.user_id.in_([user.id for user in users])
        )
    )
    profile_ids = {user_id: membership_id for user_id, membership_id in rows.all()}
    return [org_user_output(user, org_id, profile_ids.get(user.id)) for user in users]


async def load_org_user(session: AsyncSession, org_id: int, user_id: int) -> User:
    user: User | None = await session.scalar(select(User).where(User.id == user_id, org_user_clause(org_id)))
    if user is None:
        raise NotFound(f"User with id={user_id} is not part of the organization with id={org_id}")
    return user


def _holds(org_id: int, option_ids: Sequence[str]) -> ColumnElement[bool]:
    """The user holds one of the options through their membership of the organization."""
    return exists().where(
        Membership.team_id == org_id,
        Membership.user_id == User.id,
        AttributeAssignment.membership_id == Membership.id,
        AttributeAssignment.attribute_option_id.in_(option_ids),
    )


def _attribute_filter(org_id: int, option_ids: list[str], operator: AttributeOperator) -> ColumnElement[bool]:
    if operator == "AND":
        return and_(*(_holds(org_id, [option_id]) for option_id in option_ids))
    if operator == "OR":
        return _holds(org_id, option_ids)
    return ~_holds(org_id, option_ids)


async def list_users(
    db: Database,
    org_id: int,
    *,
    skip: int,
    take: int,
    emails: list[str] | None = None,
    team_ids: list[int] | None = None,
    assigned_option_ids: list[str] | None = None,
    operator: AttributeOperator = "AND",
) -> list[dict[str, Any]]:
    query = select(User).where(org_user_clause(org_id))
    if emails:
        query = query.where(func.lower(User.email).in_([email.lower() for email in emails]))
    if team_ids:
        query = query.where(exists().where(Membership.user_id == User.id, Membership.team_id.in_(team_ids)))
    if assigned_option_ids:
        query = query.where(_attribute_filter(org_id, assigned_option_ids, operator))
    async with db.read() as session:
        users = (await session.scalars(query.order_by(User.id).offset(skip).limit(take))).all()
        return await _outputs(session, org_id, users)


def _username_from_email(email: str) -> str:
    """`alice@example.com` -> `alice-example`, as Cal.com names users it creates in an organization."""
    local, _, domain = email.partition("@")
    return slugify(f"{local}-{domain.split('.')[0]}")


async def _ensure_email_free(session: AsyncSession, email: str, except_user_id: int | None = None) -> None:
    # Whoever holds the address (maybe a user of another organization) stays anonymous.
    query = select(User.id).where(func.lower(User.email) == email.lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    if await session.scalar(query) is not None:
        raise Conflict(EMAIL_TAKEN)


async def _ensure_username_free(
    session: AsyncSession, org_id: int, username: str, except_user_id: int | None = None
) -> None:
    query = select(User.id).where(User.organization_id == org_id, User.username == username)
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    if await session.scalar(query) is not None:
        raise Conflict(USERNAME_TAKEN)


async def _apply_profile(session: AsyncSession, user: User, values: dict[str, Any]) -> None:
    """Set the given profile fields on `user`, after checking those the schema cannot."""
    if values.get("timeZone") is not None:
        check_time_zone(values["timeZone"])
    if values.get("metadata") is not None:
        check_metadata(values["metadata"])
    schedule_id = values.get("defaultScheduleId")
    if schedule_id is not None:
        schedule = await session.get(Schedule, schedule_id)
        if schedule is None or schedule.user_id != user.id:
            raise BadRequest(f"defaultScheduleId: schedule {schedule_id} is not a schedule of user {user.id}")
    for field, value in values.items():
        if field in USER_COLUMNS and (value is not None or field in ("theme", "appTheme", "locale")):
            setattr(user, USER_COLUMNS[field], value)


async def create_user(db: Database, org_id: int, body: CreateOrganizationUserInput) -> dict[str, Any]:
    email = bootstrap.check_email(body.email).lower()
    username = (body.username or _username_from_email(email)).lower()
    time_zone = check_time_zone(body.timeZone) if body.timeZone is not None else "Europe/London"
    async with db.write() as session:
        await _ensure_email_free(session, email)
        await _ensure_username_free(session, org_id, username)
        created = await bootstrap.create_user(
            session,
            email=email,
            username=username,
            time_zone=time_zone,
            organization_id=org_id,
        )
        user = created.user
        values = body.model_dump(exclude={"email", "username", "organizationRole", "autoAccept"})
        await _apply_profile(session, user, values)
        membership = Membership(team_id=org_id, user_id=user.id, role=body.organizationRole, accepted=body.autoAccept)
        session.add(membership)
        await session.flush()
        return org_user_output(user, org_id, membership.id)


async def update_user(db: Database, org_id: int, user_id: int, body: UpdateOrganizationUserInput) -> dict[str, Any]:
    values = body.model_dump(exclude_unset=True)
    async with db.write() as session:
        user = await load_org_user(session, org_id, user_id)
        if values.get("email") is not None:
            values["email"] = bootstrap.check_email(values["email"]).lower()
            await _ensure_email_free(session, values["email"], except_user_id=user.id)
        if values.get("username") is not None:
            values["username"] = values["username"].lower()
            await _ensure_username_free(session, org_id, values["username"], except_user_id=user.id)
        await _apply_profile(session, user, values)
        await session.flush()
        return (await _outputs(session, org_id, [user]))[0]


async def delete_user(db: Database, org_id: int, user_id: int) -> dict[str, Any]:
    """Delete the user's account altogether, as Cal.com does (everything they own goes with it)."""
    async with db.write() as session:
        user = await load_org_user(session, org_id, user_id)
        output = (await _outputs(session, org_id, [user]))[0]
        await session.delete(user)
        return output
