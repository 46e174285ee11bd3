"""Helpers shared by tests: creating users and reading Cal.com envelopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from opencal.core.db import Database
from opencal.models import User
from opencal.users import bootstrap


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # a helper, not a test class

    id: int
    email: str
    username: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


async def create_user(
    db: Database,
    email: str = "alice@example.com",
    username: str | None = None,
    time_zone: str = "Europe/London",
    name: str | None = None,
) -> TestUser:
    async with db.write() as session:
        created = await bootstrap.create_user(
            session,
            email=email,
            username=username or email.split("@")[0],
            name=name,
            time_zone=time_zone,
            with_api_key=True,
        )
        assert created.api_key is not None
        return TestUser(created.user.id, created.user.email, created.user.username, created.api_key)


def data(response: httpx.Response, status: int = 200) -> Any:
    """The `data` of a success envelope, asserting the status and the envelope on the way."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "success", body
    return body.get("data")


def error(response: httpx.Response, status: int) -> dict[str, Any]:
    """The `error` object of Cal.com's error envelope, asserting its shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == "error", body
    assert set(body) >= {"status", "timestamp", "path", "error"}, body
    assert set(body["error"]) >= {"code", "message"}, body
    return dict(body["error"])


@dataclass(frozen=True)
class TestPlatform:
    """A platform organization, its owner (with an API key) and one OAuth client of it."""

    __test__ = False

    owner: TestUser
    organization_id: int
    client_id: str
    client_secret: str

    @property
    def client_headers(self) -> dict[str, str]:
        """OAuth client credentials, for routes without `{clientId}` in their path."""
        return {"x-cal-client-id": self.client_id, "x-cal-secret-key": self.client_secret}

    @property
    def secret_headers(self) -> dict[str, str]:
        """The client secret, for routes with `{clientId}` in their path."""
        return {"x-cal-secret-key": self.client_secret}


async def create_platform(
    db: Database,
    owner_email: str = "owner@platform.example",
    slug: str = "platform",
    permissions: int | None = None,
    redirect_uris: list[str] | None = None,
    default_event_types: bool = False,
) -> TestPlatform:
    """An organization made a platform organization by creating an OAuth client for it."""
    from opencal.platform.permissions import ALL_PERMISSIONS

    owner = await create_user(db, email=owner_email)
    async with db.write() as session:
        owner_row = await session.get(User, owner.id)
        assert owner_row is not None
        org = await bootstrap.create_organization(session, name=slug.title(), slug=slug, owner=owner_row)
        client, secret = await bootstrap.create_oauth_client(
            session,
            organization_id=org.id,
            name=f"{slug} app",
            redirect_uris=redirect_uris or ["https://app.example.com"],
            permissions=ALL_PERMISSIONS if permissions is None else permissions,
            default_event_types=default_event_types,
        )
        return TestPlatform(owner, org.id, client.id, secret)


async def create_managed_user(
    client: httpx.AsyncClient, platform: TestPlatform, email: str = "alice@example.com", **fields: Any
) -> dict[str, Any]:
    """`CreateManagedUserData` of a new managed user of the platform's client."""
    body = {"email": email, "name": fields.pop("name", "Alice"), **fields}
    response = await client.post(
        f"/v2/oauth-clients/{platform.client_id}/users", json=body, headers=platform.secret_headers
    )
    created: dict[str, Any] = data(response, 201)
    return created


async def add_webhook(
    db: Database,
    subscriber_url: str,
    triggers: list[str],
    *,
    user_id: int | None = None,
    event_type_id: int | None = None,
    team_id: int | None = None,
    oauth_client_id: str | None = None,
    secret: str | None = None,
    payload_template: str | None = None,
    active: bool = True,
) -> str:
    """A webhook row of exactly one owner, its secret encrypted with the tests' secret key; its id."""
    import uuid

    from opencal.core.security import SecretBox
    from opencal.models import Webhook

    async with db.write() as session:
        webhook = Webhook(
            id=str(uuid.uuid4()),
            user_id=user_id,
            event_type_id=event_type_id,
            team_id=team_id,
            oauth_client_id=oauth_client_id,
            subscriber_url=subscriber_url,
            triggers=triggers,
            active=active,
            payload_template=payload_template,
            secret=SecretBox("test-secret-key").encrypt(secret) if secret is not None else None,
        )
        session.add(webhook)
    return webhook.id


@dataclass(frozen=True)
class TestOrg:
    """An organization with an owner, an admin and a member, each a user of it with an API key."""

    __test__ = False

    id: int
    slug: str
    owner: TestUser
    admin: TestUser
    member: TestUser


async def add_membership(db: Database, team_id: int, user_id: int, role: str = "MEMBER", accepted: bool = True) -> int:
    """A membership of a team or organization; its id."""
    from opencal.models import Membership

    async with db.write() as session:
        membership = Membership(team_id=team_id, user_id=user_id, role=role, accepted=accepted)
        session.add(membership)
        await session.flush()
        return membership.id


async def create_org_with_members(db: Database, slug: str = "acme") -> TestOrg:
    """Organization `slug` with `<slug>-owner`, `<slug>-admin` and `<slug>-member` users."""
    from opencal.models import User

    owner = await create_user(db, email=f"{slug}-owner@example.com")
    admin = await create_user(db, email=f"{slug}-admin@example.com")
    member = await create_user(db, email=f"{slug}-member@example.com")
    async with db.write() as session:
        owner_row = await session.get(User, owner.id)
        assert owner_row is not None
        org = await bootstrap.create_organization(session, name=slug.title(), slug=slug, owner=owner_row)
        org_id = org.id
    for user, role in ((admin, "ADMIN"), (member, "MEMBER")):
        await add_membership(db, org_id, user.id, role)
        async with db.write() as session:
            row = await session.get(User, user.id)
            assert row is not None
            row.organization_id = org_id
    return TestOrg(org_id, slug, owner, admin, member)


async def create_org_team(db: Database, org_id: int, slug: str, members: dict[int, str] | None = None) -> int:
    """A team of the organization with the given `{user_id: role}` members; its id."""
    from opencal.models import Team

    async with db.write() as session:
        team = Team(name=slug.title(), slug=slug, parent_id=org_id)
        session.add(team)
        await session.flush()
        team_id = team.id
    for user_id, role in (members or {}).items():
        await add_membership(db, team_id, user_id, role)
    return team_id


@dataclass(frozen=True)
class OrgWorld:
    """Organization `acme` (owner, admin, member), its team `crew` with a team admin and a team member
    (both organization members), a bystander member of both, a custom role of the organization and of
    the team, a managed organization; and organization `beta` with its own owner and team."""

    __test__ = False

    org: TestOrg
    team_id: int
    team_admin: TestUser
    team_member: TestUser
    bystander: TestUser
    bystander_org_membership_id: int
    bystander_team_membership_id: int
    org_role_id: str
    team_role_id: str
    managed_org_id: int
    other: TestOrg
    other_team_id: int


async def create_custom_role(db: Database, team_id: int, name: str, permissions: list[str]) -> str:
    """A custom role of a team or organization with `resource.action` permissions; its id."""
    from opencal.core.security import new_cuid
    from opencal.models import Role, RolePermission

    async with db.write() as session:
        role = Role(id=new_cuid(), team_id=team_id, name=name)
        for permission in permissions:
            resource, _, action = permission.rpartition(".")
            role.permissions.append(RolePermission(resource=resource, action=action))
        session.add(role)
        return role.id


async def give_custom_role(db: Database, team_id: int, user_id: int, role_id: str | None) -> None:
    from sqlalchemy import update

    from opencal.models import Membership

    async with db.write() as session:
        await session.execute(
            update(Membership)
            .where(Membership.team_id == team_id, Membership.user_id == user_id)
            .values(custom_role_id=role_id)
        )


async def create_org_world(db: Database) -> OrgWorld:
    from opencal.models import ManagedOrganization, Team, User

    org = await create_org_with_members(db, "acme")
    team_admin = await create_user(db, email="crew-admin@example.com")
    team_member = await create_user(db, email="crew-member@example.com")
    bystander = await create_user(db, email="bystander@example.com")
    memberships = {}
    for user in (team_admin, team_member, bystander):
        memberships[user.id] = await add_membership(db, org.id, user.id, "MEMBER")
        async with db.write() as session:
            row = await session.get(User, user.id)
            assert row is not None
            row.organization_id = org.id
    team_id = await create_org_team(db, org.id, "crew", {team_admin.id: "ADMIN", team_member.id: "MEMBER"})
    bystander_team_membership_id = await add_membership(db, team_id, bystander.id, "MEMBER")
    other = await create_org_with_members(db, "beta")
    other_team_id = await create_org_team(db, other.id, "beta-crew", {other.member.id: "MEMBER"})
    async with db.write() as session:
        managed = Team(name="Acme Child", slug="acme-child", is_organization=True, is_platform=True)
        session.add(managed)
        await session.flush()
        session.add(ManagedOrganization(managed_organization_id=managed.id, manager_organization_id=org.id))
        managed_org_id = managed.id
    return OrgWorld(
        org=org,
        team_id=team_id,
        team_admin=team_admin,
        team_member=team_member,
        bystander=bystander,
        bystander_org_membership_id=memberships[bystander.id],
        bystander_team_membership_id=bystander_team_membership_id,
        org_role_id=await create_custom_role(db, org.id, "Acme Viewer", ["booking.read"]),
        team_role_id=await create_custom_role(db, team_id, "Crew Viewer", ["booking.read"]),
        managed_org_id=managed_org_id,
        other=other,
        other_team_id=other_team_id,
    )


def opencal_cli(database_url: str, *args: str) -> dict[str, Any]:
    """Run `opencal ARGS` as a process on `database_url`; the one JSON object it prints."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "OPENCAL_DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-m", "opencal.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def opencal_server(database_url: str, **env: str) -> Iterator[str]:
    """A real `opencal serve` process on a free port of 127.0.0.1; yields its base URL."""
    import os
    import subprocess
    import sys
    import tempfile
    import time

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "opencal.cli", "serve", "--port", str(port)],
            env={**os.environ, "OPENCAL_DATABASE_URL": database_url, "OPENCAL_BASE_URL": base_url, **env},
            stdout=log,
            stderr=log,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    log.seek(0)
                    raise AssertionError(f"opencal serve exited: {log.read()[-2000:]}")
                try:
                    if httpx.get(f"{base_url}/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "opencal serve did not start within 60 s"
                time.sleep(0.2)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


EVENT_TYPES_VERSION = {"cal-api-version": "2024-06-14"}


async def create_event_type(
    client: httpx.AsyncClient, user: TestUser, slug: str = "intro", length: int = 30, **fields: Any
) -> dict[str, Any]:
    """An event type of `user` through the API (2024-06-14), returned as the API answered it."""
    body = {"title": slug.replace("-", " ").title(), "slug": slug, "lengthInMinutes": length, **fields}
    response = await client.post("/v2/event-types", json=body, headers={**user.headers, **EVENT_TYPES_VERSION})
    created: dict[str, Any] = data(response, 201)
    return created


BOOKINGS_VERSION = {"cal-api-version": "2024-08-13"}


async def book(
    client: httpx.AsyncClient,
    event_type_id: int,
    start: str,
    *,
    name: str = "Bea Booker",
    email: str | None = "bea@example.com",
    time_zone: str = "Europe/London",
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> httpx.Response:
    """`POST /v2/bookings` (2024-08-13) for one attendee; the raw response."""
    attendee: dict[str, Any] = {"name": name, "timeZone": time_zone}
    if email is not None:
        attendee["email"] = email
    attendee.update(fields.pop("attendee", {}))
    body = {"start": start, "eventTypeId": event_type_id, "attendee": attendee, **fields}
    return await client.post("/v2/bookings", json=body, headers={**BOOKINGS_VERSION, **(headers or {})})


async def row_counts(db: Database, *tables: str) -> dict[str, int]:
    """Rows per table, to check that a refused request changed nothing."""
    from sqlalchemy import text

    counts: dict[str, int] = {}
    async with db.read() as session:
        for table in tables:
            counts[table] = int((await session.execute(text(f'SELECT COUNT(*) FROM "{table}"'))).scalar_one())
    return counts


async def insert_team_event_type(
    db: Database,
    team_id: int,
    slug: str,
    hosts: list[dict[str, Any]],
    *,
    scheduling_type: str = "COLLECTIVE",
    length: int = 60,
    **columns: Any,
) -> int:
    """A team event type written directly to the database (`hosts`: `{user_id, is_fixed, priority, weight}`
    dicts); its id."""
    from opencal.event_types.mapping import column_defaults
    from opencal.models import EventType, Host

    async with db.write() as session:
        event_type = EventType(
            **{
                **column_defaults(),
                "team_id": team_id,
                "slug": slug,
                "title": slug.replace("-", " ").title(),
                "length": length,
                "scheduling_type": scheduling_type,
                "minimum_booking_notice": 0,
                **columns,
            }
        )
        event_type.hosts = [Host(**host) for host in hosts]
        session.add(event_type)
        await session.flush()
        return event_type.id


@contextmanager
def frozen_clock(moment: Any) -> Iterator[list[Any]]:
    """`core.clock.now()` answers `holder[0]` (initially `moment`) until the block ends."""
    from opencal.core import clock

    holder = [moment]
    clock.set_clock(lambda: holder[0])
    try:
        yield holder
    finally:
        clock.set_clock(None)


async def create_team(db: Database, slug: str = "crew", members: dict[int, str] | None = None) -> int:
    """A team outside any organization with the given `{user_id: role}` accepted members; its id."""
    from opencal.models import Team

    async with db.write() as session:
        team = Team(name=slug.title(), slug=slug)
        session.add(team)
        await session.flush()
        team_id = team.id
    for user_id, role in (members or {}).items():
        await add_membership(db, team_id, user_id, role)
    return team_id
