"""`opencal agents token`, run as a real process: its tokens open the agent-account API."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import jwt

from opencal.core.db import Database
from opencal.models import User
from opencal.users import bootstrap
from support import create_user

SECRET = "test-secret-key"  # the key of the `settings` fixture, so the app reads the CLI's tokens


def agents_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENCAL_DATABASE_URL": database_url, "OPENCAL_SECRET_KEY": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "opencal.cli", "agents", *args], capture_output=True, text=True, env=env, timeout=60
    )


async def create_organization(db: Database) -> int:
    owner = await create_user(db, "owner@example.com", "owner")
    async with db.write() as session:
        user = await session.get(User, owner.id)
        assert user is not None
        return (await bootstrap.create_organization(session, name="Acme", slug="acme", owner=user)).id


async def test_token_for_an_organization(database_url: str, db: Database, client: httpx.AsyncClient) -> None:
    organization_id = await create_organization(db)
    result = agents_cli(database_url, "token", "--org-id", str(organization_id), "--ttl", "600")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert list(printed) == ["token"] and result.stdout.count("\n") == 1
    claims = jwt.decode(printed["token"], options={"verify_signature": False})
    assert claims["org_id"] == str(organization_id) and claims["exp"] - claims["iat"] == 600

    headers = {"Authorization": f"Bearer {printed['token']}"}
    created = await client.post("/api/v1/calcom/agents", json={"name": "Desk"}, headers=headers)
    assert created.status_code == 201, created.text
    listed = (await client.get("/api/v1/calcom/agents", headers=headers)).json()["data"]
    assert [agent["agent_name"] for agent in listed] == ["Desk"]


async def test_operator_token_names_the_organization_per_request(
    database_url: str, db: Database, client: httpx.AsyncClient
) -> None:
    organization_id = await create_organization(db)
    result = agents_cli(database_url, "token")
    assert result.returncode == 0, result.stderr
    headers = {"Authorization": f"Bearer {json.loads(result.stdout)['token']}"}
    assert "org_id" not in jwt.decode(json.loads(result.stdout)["token"], options={"verify_signature": False})
    assert (await client.get("/api/v1/calcom/agents", headers=headers)).status_code == 400
    response = await client.get("/api/v1/calcom/agents", params={"org_id": organization_id}, headers=headers)
    assert response.status_code == 200 and response.json()["data"] == []


async def test_bad_arguments_exit_2_with_one_line(database_url: str, db: Database) -> None:
    owner = await create_user(db, "solo@example.com", "solo")
    async with db.write() as session:
        user = await session.get(User, owner.id)
        assert user is not None
        team_id = (await bootstrap.create_team(session, name="Team", slug="team", owner=user, organization_id=None)).id
    for args, message in (
        (["token", "--ttl", "0"], "argument --ttl: must be a positive number of seconds"),
        (["token", "--org-id", str(team_id)], f"opencal: no organization with id {team_id}"),
        (["token", "--org-id", "x"], "invalid int value: 'x'"),
    ):
        result = agents_cli(database_url, *args)
        assert result.returncode == 2 and result.stdout == "", result
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
