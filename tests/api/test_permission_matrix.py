"""Every organization and team route answers each kind of caller as its declared access says.

The routes come from the app's own route table and the expectations from what each route declares
with `core.permissions.Requires`, so a route added later is covered without touching this file, and
a route that declares nothing fails `test_every_route_declares_its_access`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from opencal.app import create_app
from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.permissions import Access, declared_access, role_at_least
from support import OrgWorld, create_org_world

PREFIXES = ("/v2/organizations/", "/v2/teams")
PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
# Callers in the order they call: the ones that must be refused first, so that a route that changes
# data (a DELETE) only runs once it is allowed to.
CALLERS = ("anonymous", "outsider", "org_member", "team_member", "team_admin", "org_admin", "org_owner")
ORG_ROLES = {
    "org_member": "MEMBER",
    "team_member": "MEMBER",
    "team_admin": "MEMBER",
    "org_admin": "ADMIN",
    "org_owner": "OWNER",
}
TEAM_ROLES = {"team_member": "MEMBER", "team_admin": "ADMIN"}
NOWHERE = 999999
# The one refusal an allowed caller may meet: Cal.com's IsUserOOO guard answers an out-of-office entry
# that is not the user's, or does not exist, with 403 whatever the caller's role.
RESOURCE_REFUSALS = {"oooId": "This OOO entry does not belong to this user."}


def _routes() -> Iterator[tuple[str, str, APIRoute]]:
    app = create_app(Settings(database_url="sqlite:///unused.db", secret_key="matrix", run_dispatcher=False))
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and str(context.path).startswith(PREFIXES):
            for method in sorted(route.methods or ()):
                yield method, str(context.path), route


ROUTES = list(_routes())
MATRIX = [(method, path, declared_access(route)) for method, path, route in ROUTES]
DECLARED = [(method, path, access) for method, path, access in MATRIX if access is not None]


def test_every_route_declares_its_access() -> None:
    assert len(ROUTES) >= 57
    for method, path, access in DECLARED:
        names = set(PATH_PARAM.findall(path))
        if access.scope == "organization":
            assert "orgId" in names, f"{method} {path}: {access.minimum} needs {{orgId}}"
        if access.scope == "team":
            assert "teamId" in names, f"{method} {path}: {access.minimum} needs {{teamId}}"
    undeclared = [f"{method} {path}" for method, path, access in MATRIX if access is None]
    assert not undeclared, "routes without core.permissions.Requires(...):\n" + "\n".join(undeclared)


def expected_allowed(access: Access | None, caller: str) -> bool | None:
    """Whether the caller must get through (organization `acme`, team `crew`); None when the route
    declares nothing, so that only what holds for every route can be checked."""
    if caller in ("anonymous", "outsider"):
        return access is not None and access.scope == "user" and caller != "anonymous"
    if access is None:
        return None
    if access.scope == "user":
        return True
    org_role = ORG_ROLES.get(caller)
    if access.scope == "organization":
        return role_at_least(org_role, access.role)
    return role_at_least(org_role, "ADMIN") or role_at_least(TEAM_ROLES.get(caller), access.role)


def _value(name: str, path: str, world: OrgWorld) -> str:
    in_team = "/teams/{teamId" in path
    values = {
        "orgId": world.org.id,
        "teamId": world.team_id,
        "membershipId": world.bystander_team_membership_id if in_team else world.bystander_org_membership_id,
        "userId": world.bystander.id,
        "roleId": world.team_role_id if in_team else world.org_role_id,
        "permission": "booking.read",
        "managedOrganizationId": world.managed_org_id,
    }
    # Ids this table does not know point nowhere (no row has it; 1 is the first user's default
    # schedule): the route may answer 404, never 2xx wrongly.
    return str(values.get(name, NOWHERE))


def _is_resource_refusal(path: str, response: httpx.Response) -> bool:
    refusals = {RESOURCE_REFUSALS[name] for name in PATH_PARAM.findall(path) if name in RESOURCE_REFUSALS}
    return response.json()["error"]["message"] in refusals


def _headers(caller: str, world: OrgWorld) -> dict[str, str]:
    users = {
        "outsider": world.other.owner,
        "org_member": world.org.member,
        "team_member": world.team_member,
        "team_admin": world.team_admin,
        "org_admin": world.org.admin,
        "org_owner": world.org.owner,
    }
    return users[caller].headers if caller in users else {}


def _foreign_markers(world: OrgWorld) -> list[str]:
    """Strings that only organization `beta` holds."""
    people = (world.other.owner, world.other.admin, world.other.member)
    return [*(p.email for p in people), *(p.username for p in people), "beta-crew"]


@pytest.mark.parametrize(("method", "path", "access"), MATRIX, ids=[f"{method} {path}" for method, path, _ in MATRIX])
async def test_route_answers_each_caller_by_its_declared_access(
    client: httpx.AsyncClient, db: Database, method: str, path: str, access: Access | None
) -> None:
    world = await create_org_world(db)
    url = PATH_PARAM.sub(lambda m: _value(m.group(1), path, world), path)
    body: dict[str, object] | None = {} if method in ("POST", "PUT", "PATCH") else None
    markers = _foreign_markers(world)
    for caller in CALLERS:
        response = await client.request(method, url, json=body, headers=_headers(caller, world))
        where = f"{caller}: {method} {url} -> {response.status_code} {response.text[:300]}"
        allowed = expected_allowed(access, caller)
        if caller == "anonymous":
            assert response.status_code == 401, where
        elif allowed is None:
            assert response.status_code < 500, where
        elif allowed:
            refused = response.status_code == 403 and _is_resource_refusal(path, response)
            assert (response.status_code not in (401, 403) or refused) and response.status_code < 500, where
        else:
            assert response.status_code == 403, where
        if caller != "outsider":
            leaked = [marker for marker in markers if marker in response.text]
            assert leaked == [], where
