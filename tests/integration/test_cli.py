"""The bootstrap CLI, run as a real process against both databases."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import ApiKey, Membership, OAuthClient, Team, User
from support import data


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENCAL_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "opencal.cli", *args], capture_output=True, text=True, env=env, timeout=60
    )


def ok(database_url: str, *args: str) -> dict[str, Any]:
    result = run(database_url, *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    parsed: dict[str, Any] = json.loads(lines[0])
    return parsed


async def _counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            model.__tablename__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (User, ApiKey, Team, Membership, OAuthClient)
        }


async def test_bootstrap_flow(database_url: str, db: Database, client: httpx.AsyncClient) -> None:
    assert ok(database_url, "migrate")["migrated"] is True
    user = ok(
        database_url,
        "users",
        "create",
        "--email",
        "o@example.com",
        "--username",
        "owner",
        "--name",
        "Owner",
        "--time-zone",
        "Asia/Kolkata",
        "--api-key",
    )
    assert set(user) == {"id", "email", "username", "name", "timeZone", "apiKey"}
    assert (user["email"], user["username"], user["timeZone"]) == ("o@example.com", "owner", "Asia/Kolkata")
    me = data(await client.get("/v2/me", headers={"Authorization": f"Bearer {user['apiKey']}"}))
    assert me["id"] == user["id"] and me["defaultScheduleId"] is not None

    org = ok(database_url, "orgs", "create", "--name", "Acme", "--slug", "acme", "--owner", "o@example.com")
    assert set(org) == {"id", "slug"} and org["slug"] == "acme"
    team = ok(
        database_url,
        "teams",
        "create",
        "--name",
        "Sales",
        "--slug",
        "sales",
        "--owner",
        str(user["id"]),
        "--org-id",
        str(org["id"]),
    )
    assert team["slug"] == "sales"
    client_out = ok(
        database_url,
        "oauth-clients",
        "create",
        "--org-id",
        str(org["id"]),
        "--name",
        "App",
        "--redirect-uri",
        "https://app.example.com",
        "--permissions",
        "EVENT_TYPE_READ",
        "BOOKING_READ",
    )
    assert set(client_out) == {"id", "secret"} and client_out["id"].startswith("c")
    key = ok(
        database_url,
        "keys",
        "create",
        "--user",
        "o@example.com",
        "--expires-at",
        "2099-01-01",
        "--team-id",
        str(org["id"]),
    )["apiKey"]
    me = data(await client.get("/v2/me", headers={"Authorization": f"Bearer {key}"}))
    assert me["organizationId"] == org["id"]

    async with db.read() as session:
        owner_roles = (await session.execute(select(Membership.team_id, Membership.role, Membership.accepted))).all()
        stored_client = await session.get(OAuthClient, client_out["id"])
    assert sorted(owner_roles) == sorted([(org["id"], "OWNER", True), (team["id"], "OWNER", True)])
    assert stored_client is not None and stored_client.permissions == 1 | 4
    assert stored_client.secret_hash != client_out["secret"]  # only a hash is stored


@pytest.mark.parametrize(
    "args",
    [
        ("users", "create", "--email", "not-an-email", "--username", "x"),
        ("users", "create", "--email", "x@example.com"),
        ("users", "create", "--email", "x@example.com", "--username", "x", "--time-zone", "Mars/Base"),
        ("users", "create", "--email", "o@example.com", "--username", "dup"),
        ("keys", "create", "--user", "nobody@example.com"),
        ("keys", "create", "--user", "o@example.com", "--expires-at", "tomorrow"),
        ("orgs", "create", "--name", "A", "--slug", "a", "--owner", "nobody@example.com"),
        ("teams", "create", "--name", "T", "--slug", "t", "--owner", "o@example.com", "--org-id", "999"),
        ("oauth-clients", "create", "--org-id", "999", "--name", "c", "--redirect-uri", "https://x"),
        (
            "oauth-clients",
            "create",
            "--org-id",
            "1",
            "--name",
            "c",
            "--redirect-uri",
            "https://x",
            "--permissions",
            "NOPE",
        ),
        ("frobnicate",),
    ],
)
async def test_bad_arguments_exit_2_and_write_nothing(database_url: str, db: Database, args: tuple[str, ...]) -> None:
    ok(database_url, "users", "create", "--email", "o@example.com", "--username", "owner")
    before = await _counts(db)
    result = run(database_url, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert await _counts(db) == before
