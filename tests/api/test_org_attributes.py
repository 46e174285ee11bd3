"""Organization attributes and their options (`Orgs / Attributes`, `Orgs / Attributes / Options`)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from opencal.core.db import Database
from opencal.models import Attribute, AttributeAssignment, AttributeOption
from opencal.organizations.attributes.service import attributes_for_memberships
from support import (
    TestOrg,
    create_custom_role,
    create_org_team,
    create_org_with_members,
    create_user,
    data,
    error,
    give_custom_role,
)

CUID_LENGTH = 25


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.read() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (Attribute, AttributeOption, AttributeAssignment)
        ]
    return counts[0] or 0, counts[1] or 0, counts[2] or 0


async def _attribute(
    client: httpx.AsyncClient, org: TestOrg, slug: str, type_: str = "SINGLE_SELECT", options: list[str] | None = None
) -> dict[str, Any]:
    body = {
        "name": slug.title(),
        "slug": slug,
        "type": type_,
        "options": [{"value": o, "slug": o.lower()} for o in options or []],
    }
    created: dict[str, Any] = data(
        await client.post(f"/v2/organizations/{org.id}/attributes", json=body, headers=org.admin.headers), 201
    )
    return created


async def _options(client: httpx.AsyncClient, org: TestOrg, attribute_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(
        await client.get(f"/v2/organizations/{org.id}/attributes/{attribute_id}/options", headers=org.member.headers)
    )
    return found


async def _assign(
    client: httpx.AsyncClient, org: TestOrg, user_id: int, body: dict[str, Any], status: int = 201
) -> httpx.Response:
    response = await client.post(
        f"/v2/organizations/{org.id}/attributes/options/{user_id}", json=body, headers=org.admin.headers
    )
    assert response.status_code == status, response.text
    return response


# -- attributes ---------------------------------------------------------------------------------


async def test_create_select_attribute_with_its_options(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _attribute(client, org, "department", options=["Sales", "Support"])
    assert len(created["id"]) == CUID_LENGTH
    assert created == {
        "id": created["id"],
        "teamId": org.id,
        "type": "SINGLE_SELECT",
        "name": "Department",
        "slug": "department",
        "enabled": True,
        "usersCanEditRelation": False,
    }
    options = await _options(client, org, created["id"])
    assert [(o["value"], o["slug"], o["attributeId"]) for o in options] == [
        ("Sales", "sales", created["id"]),
        ("Support", "support", created["id"]),
    ]
    assert (
        data(await client.get(f"/v2/organizations/{org.id}/attributes/{created['id']}", headers=org.member.headers))
        == created
    )


async def test_text_attribute_ignores_given_options(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    body = {"name": "Bio", "slug": "bio", "type": "TEXT", "options": [{"value": "x", "slug": "x"}], "enabled": False}
    created = data(
        await client.post(f"/v2/organizations/{org.id}/attributes", json=body, headers=org.owner.headers), 201
    )
    assert (created["type"], created["enabled"]) == ("TEXT", False)
    assert await _options(client, org, created["id"]) == []


async def test_list_attributes_pages_in_creation_order(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    ids = [(await _attribute(client, org, slug))["id"] for slug in ("a", "b", "c")]
    listed = data(await client.get(f"/v2/organizations/{org.id}/attributes", headers=org.member.headers))
    assert [a["id"] for a in listed] == ids
    page = data(await client.get(f"/v2/organizations/{org.id}/attributes?skip=1&take=1", headers=org.member.headers))
    assert [a["id"] for a in page] == ids[1:2]


async def test_update_and_delete_attribute(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    created = await _attribute(client, org, "level", options=["Junior"])
    path = f"/v2/organizations/{org.id}/attributes/{created['id']}"
    updated = data(
        await client.patch(
            path,
            json={"name": "Seniority", "slug": "seniority", "type": "MULTI_SELECT", "enabled": False},
            headers=org.admin.headers,
        )
    )
    assert updated == {**created, "name": "Seniority", "slug": "seniority", "type": "MULTI_SELECT", "enabled": False}
    assert data(await client.delete(path, headers=org.admin.headers)) == updated
    error(await client.get(path, headers=org.admin.headers), 404)
    assert await _counts(db) == (0, 0, 0)


async def test_duplicate_slug_is_409_and_changes_nothing(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    first = await _attribute(client, org, "team-size", "NUMBER")
    second = await _attribute(client, org, "region", options=["EU"])
    before = await _counts(db)
    body = {"name": "Again", "slug": "team-size", "type": "TEXT", "options": []}
    err = error(await client.post(f"/v2/organizations/{org.id}/attributes", json=body, headers=org.admin.headers), 409)
    assert err["message"] == f"Attribute with slug team-size already exists in organization with id={org.id}"
    path = f"/v2/organizations/{org.id}/attributes/{second['id']}"
    error(await client.patch(path, json={"slug": "team-size", "name": "Renamed"}, headers=org.admin.headers), 409)
    assert await _counts(db) == before
    assert data(await client.get(path, headers=org.admin.headers)) == second
    # The same slug in another organization is fine.
    other = await create_org_with_members(db, "other")
    assert (await _attribute(client, other, "team-size", "NUMBER"))["id"] != first["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slug": "x", "type": "TEXT", "options": []}, "name"),
        ({"name": "", "slug": "x", "type": "TEXT", "options": []}, "name"),
        ({"name": "X", "slug": "x", "type": "BOOLEAN", "options": []}, "type"),
        ({"name": "X", "slug": "x", "type": "TEXT"}, "options"),
        ({"name": "X", "slug": "x", "type": "SINGLE_SELECT", "options": [{"value": "a"}]}, "options.0.slug"),
    ],
)
async def test_bad_attribute_input_is_400(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], field: str
) -> None:
    org = await create_org_with_members(db)
    err = error(await client.post(f"/v2/organizations/{org.id}/attributes", json=body, headers=org.admin.headers), 400)
    assert err["message"].startswith(f"{field}:"), err
    assert await _counts(db) == (0, 0, 0)


# -- guards -------------------------------------------------------------------------------------


async def test_guard_order_401_then_org_then_role(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    path = f"/v2/organizations/{org.id}/attributes"
    body = {"name": "X", "slug": "x", "type": "TEXT", "options": []}
    assert error(await client.post(path, json=body), 401)["code"] == "UnauthorizedException"
    err = error(await client.post("/v2/organizations/999999/attributes", json=body, headers=org.admin.headers), 403)
    assert err["message"] == (
        "IsOrgGuard - provided organization id=999999 does not represent any existing organization."
    )
    # Wording of the role errors belongs to the permission module: only the guard is checked here.
    assert error(await client.get(path, headers=outsider.headers), 403)["message"].startswith("RolesGuard")
    assert error(await client.post(path, json=body, headers=org.member.headers), 403)["message"].startswith(
        "RolesGuard"
    )
    assert data(await client.get(path, headers=org.member.headers)) == []
    assert await _counts(db) == (0, 0, 0)


async def test_access_is_checked_before_the_body(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    path = f"/v2/organizations/{org.id}/attributes"
    for headers in (org.member.headers, outsider.headers):
        assert error(await client.post(path, json={"type": "COLOR"}, headers=headers), 403)["message"].startswith(
            "RolesGuard"
        )
    err = error(await client.post(path, json={"type": "COLOR"}, headers=org.admin.headers), 400)
    assert err["message"].startswith("name: Field required; slug: Field required; type: Input should be")
    assert await _counts(db) == (0, 0, 0)


async def test_custom_role_grants_only_its_permissions(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    role_id = await create_custom_role(db, org.id, "Attribute editor", ["organization.attributes.create"])
    await give_custom_role(db, org.id, org.member.id, role_id)
    path = f"/v2/organizations/{org.id}/attributes"
    body = {"name": "Team", "slug": "team", "type": "TEXT", "options": []}
    created = data(await client.post(path, json=body, headers=org.member.headers), 201)
    assert created["slug"] == "team"
    # Creating is not updating nor deleting.
    error(await client.patch(f"{path}/{created['id']}", json={"name": "X"}, headers=org.member.headers), 403)
    error(await client.delete(f"{path}/{created['id']}", headers=org.member.headers), 403)
    assert await _counts(db) == (1, 0, 0)


async def test_member_cannot_write_options(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "dept", options=["A"])
    (option,) = await _options(client, org, attribute["id"])
    base = f"/v2/organizations/{org.id}/attributes/{attribute['id']}/options"
    member = org.member.headers
    error(await client.post(base, json={"value": "B", "slug": "b"}, headers=member), 403)
    error(await client.patch(f"{base}/{option['id']}", json={"value": "Z"}, headers=member), 403)
    error(await client.delete(f"{base}/{option['id']}", headers=member), 403)
    body = {"attributeId": attribute["id"], "attributeOptionId": option["id"]}
    error(
        await client.post(f"/v2/organizations/{org.id}/attributes/options/{org.member.id}", json=body, headers=member),
        403,
    )
    assert await _options(client, org, attribute["id"]) == [option]
    assert (await _counts(db))[2] == 0


async def test_other_organizations_attributes_are_invisible(client: httpx.AsyncClient, db: Database) -> None:
    org_a = await create_org_with_members(db, "alpha")
    org_b = await create_org_with_members(db, "beta")
    b_attribute = await _attribute(client, org_b, "secret", options=["Hidden"])
    (b_option,) = await _options(client, org_b, b_attribute["id"])
    # An admin of A on B's routes: not a member of B.
    err = error(await client.get(f"/v2/organizations/{org_b.id}/attributes", headers=org_a.admin.headers), 403)
    assert err["message"].startswith("RolesGuard")
    # B's ids under A's path: not found.
    a_base = f"/v2/organizations/{org_a.id}/attributes"
    headers = org_a.admin.headers
    assert data(await client.get(a_base, headers=headers)) == []
    for response in (
        await client.get(f"{a_base}/{b_attribute['id']}", headers=headers),
        await client.patch(f"{a_base}/{b_attribute['id']}", json={"name": "Mine"}, headers=headers),
        await client.delete(f"{a_base}/{b_attribute['id']}", headers=headers),
        await client.get(f"{a_base}/{b_attribute['id']}/options", headers=headers),
        await client.post(f"{a_base}/{b_attribute['id']}/options", json={"value": "v", "slug": "v"}, headers=headers),
        await client.patch(
            f"{a_base}/{b_attribute['id']}/options/{b_option['id']}", json={"value": "v"}, headers=headers
        ),
        await client.delete(f"{a_base}/{b_attribute['id']}/options/{b_option['id']}", headers=headers),
        await client.get(f"{a_base}/{b_attribute['id']}/options/assigned", headers=headers),
        await client.get(f"{a_base}/slugs/secret/options/assigned", headers=headers),
        await client.post(
            f"{a_base}/options/{org_a.member.id}",
            json={"attributeId": b_attribute["id"], "attributeOptionId": b_option["id"]},
            headers=headers,
        ),
        # B's member is not a member of A.
        await client.get(f"{a_base}/options/{org_b.member.id}", headers=headers),
    ):
        assert error(response, 404)["code"] == "NotFoundException"
    assert (
        data(
            await client.get(
                f"/v2/organizations/{org_b.id}/attributes/{b_attribute['id']}", headers=org_b.admin.headers
            )
        )
        == b_attribute
    )
    assert await _options(client, org_b, b_attribute["id"]) == [b_option]
    assert (await _counts(db))[2] == 0


# -- options ------------------------------------------------------------------------------------


async def test_option_lifecycle(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "tier")
    base = f"/v2/organizations/{org.id}/attributes/{attribute['id']}/options"
    created = data(await client.post(base, json={"value": "Gold", "slug": "gold"}, headers=org.admin.headers), 201)
    assert len(created["id"]) == CUID_LENGTH
    assert created == {"id": created["id"], "attributeId": attribute["id"], "value": "Gold", "slug": "gold"}
    updated = data(await client.patch(f"{base}/{created['id']}", json={"value": "Platinum"}, headers=org.admin.headers))
    assert updated == {**created, "value": "Platinum"}
    assert await _options(client, org, attribute["id"]) == [updated]
    assert data(await client.delete(f"{base}/{created['id']}", headers=org.admin.headers)) == updated
    error(await client.delete(f"{base}/{created['id']}", headers=org.admin.headers), 404)
    assert await _options(client, org, attribute["id"]) == []


async def test_option_of_another_attribute_is_404(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    first = await _attribute(client, org, "first", options=["One"])
    second = await _attribute(client, org, "second", options=["Two"])
    (option,) = await _options(client, org, first["id"])
    path = f"/v2/organizations/{org.id}/attributes/{second['id']}/options/{option['id']}"
    err = error(await client.patch(path, json={"value": "Moved"}, headers=org.admin.headers), 404)
    assert err["message"] == f"Attribute option with id={option['id']} not found in attribute with id={second['id']}"
    error(await client.delete(path, headers=org.admin.headers), 404)
    assert await _options(client, org, first["id"]) == [option]


async def test_number_attribute_takes_only_numbers(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "age", "NUMBER")
    base = f"/v2/organizations/{org.id}/attributes/{attribute['id']}/options"
    err = error(await client.post(base, json={"value": "old", "slug": "old"}, headers=org.admin.headers), 400)
    assert err["message"].startswith("value: 'old' is not a number")
    body = {"attributeId": attribute["id"], "value": "twelve"}
    error(await _assign(client, org, org.member.id, body, 400), 400)
    assert await _counts(db) == (1, 0, 0)


# -- assignments --------------------------------------------------------------------------------


async def test_assign_list_and_unassign_an_option(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "skills", "MULTI_SELECT", ["Python", "Go"])
    python, go = await _options(client, org, attribute["id"])
    assigned = data(
        await _assign(client, org, org.member.id, {"attributeId": attribute["id"], "attributeOptionId": python["id"]}),
        201,
    )
    async with db.read() as session:
        member_id = await session.scalar(
            select(AttributeAssignment.membership_id).where(AttributeAssignment.id == assigned["id"])
        )
    assert assigned == {"id": assigned["id"], "memberId": member_id, "attributeOptionId": python["id"]}
    await _assign(client, org, org.member.id, {"attributeId": attribute["id"], "attributeOptionId": go["id"]})
    held = data(
        await client.get(f"/v2/organizations/{org.id}/attributes/options/{org.member.id}", headers=org.member.headers)
    )
    assert held == [python, go]
    # Assigning an option held already is a conflict.
    err = error(
        await _assign(client, org, org.member.id, {"attributeId": attribute["id"], "attributeOptionId": go["id"]}, 409),
        409,
    )
    assert err["message"] == f"User with id={org.member.id} already has attribute option with id={go['id']}"
    path = f"/v2/organizations/{org.id}/attributes/options/{org.member.id}/{python['id']}"
    removed = data(await client.delete(path, headers=org.admin.headers))
    assert removed == assigned
    assert (
        error(await client.delete(path, headers=org.admin.headers), 404)["message"]
        == "Attribute does not belong to this user"
    )
    assert data(
        await client.get(f"/v2/organizations/{org.id}/attributes/options/{org.member.id}", headers=org.admin.headers)
    ) == [go]


async def test_single_valued_attribute_replaces_the_held_option(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "office", options=["Paris", "Oslo"])
    paris, oslo = await _options(client, org, attribute["id"])
    await _assign(client, org, org.member.id, {"attributeId": attribute["id"], "attributeOptionId": paris["id"]})
    await _assign(client, org, org.member.id, {"attributeId": attribute["id"], "attributeOptionId": oslo["id"]})
    held = data(
        await client.get(f"/v2/organizations/{org.id}/attributes/options/{org.member.id}", headers=org.admin.headers)
    )
    assert held == [oslo]


async def test_text_value_assignment_creates_and_reuses_an_option(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "nickname", "TEXT")
    await _assign(client, org, org.member.id, {"attributeId": attribute["id"], "value": "Ace Pilot"})
    await _assign(client, org, org.admin.id, {"attributeId": attribute["id"], "value": "Ace Pilot"})
    (option,) = await _options(client, org, attribute["id"])
    assert (option["value"], option["slug"]) == ("Ace Pilot", "ace-pilot")
    assigned = data(
        await client.get(
            f"/v2/organizations/{org.id}/attributes/{attribute['id']}/options/assigned", headers=org.admin.headers
        )
    )
    assert assigned == [{**option, "assignedUserIds": [org.member.id, org.admin.id]}]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"attributeId": "missing"}, 404, "Attribute with id=missing not found"),
        ({"attributeId": "ATTR", "value": "x"}, 400, "Attribute type does not support value"),
        ({"attributeId": "ATTR"}, 400, "attributeOptionId or value is required"),
        ({"attributeId": "ATTR", "attributeOptionId": "nope"}, 404, "Attribute option with id=nope not found"),
        ({"value": "x"}, 400, "attributeId:"),
    ],
)
async def test_bad_assignment_changes_nothing(
    client: httpx.AsyncClient, db: Database, body: dict[str, Any], status: int, message: str
) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "dept", options=["A"])
    before = await _counts(db)
    body = {k: attribute["id"] if v == "ATTR" else v for k, v in body.items()}
    err = error(await _assign(client, org, org.member.id, body, status), status)
    assert err["message"].startswith(message), err
    assert await _counts(db) == before


async def test_assigning_to_a_non_member_is_404(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    outsider = await create_user(db, email="outsider@example.com")
    attribute = await _attribute(client, org, "dept", options=["A"])
    (option,) = await _options(client, org, attribute["id"])
    body = {"attributeId": attribute["id"], "attributeOptionId": option["id"]}
    err = error(await _assign(client, org, outsider.id, body, 404), 404)
    assert err["message"] == f"User with id={outsider.id} is not a member of the organization with id={org.id}"
    error(
        await client.get(f"/v2/organizations/{org.id}/attributes/options/{outsider.id}", headers=org.admin.headers), 404
    )
    assert (await _counts(db))[2] == 0


async def test_member_may_unassign_only_their_own_options(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "dept", "MULTI_SELECT", ["A"])
    (option,) = await _options(client, org, attribute["id"])
    for user in (org.member, org.admin):
        await _assign(client, org, user.id, {"attributeId": attribute["id"], "attributeOptionId": option["id"]})
    base = f"/v2/organizations/{org.id}/attributes/options"
    error(await client.delete(f"{base}/{org.admin.id}/{option['id']}", headers=org.member.headers), 403)
    assert (await _counts(db))[2] == 2
    data(await client.delete(f"{base}/{org.member.id}/{option['id']}", headers=org.member.headers))
    assert (await _counts(db))[2] == 1


async def test_unassigning_someone_elses_option(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    attribute = await _attribute(client, org, "dept", "MULTI_SELECT", ["A"])
    (option,) = await _options(client, org, attribute["id"])
    await _assign(client, org, org.admin.id, {"attributeId": attribute["id"], "attributeOptionId": option["id"]})
    base = f"/v2/organizations/{org.id}/attributes/options/{org.admin.id}"
    # An option the user does not hold is 404 for any member, as for the user themselves.
    err = error(await client.delete(f"{base}/missing", headers=org.member.headers), 404)
    assert err["message"] == "Attribute does not belong to this user"
    error(await client.delete(f"{base}/{option['id']}", headers=org.member.headers), 403)
    assert (await _counts(db))[2] == 1
    # A custom role granting the route's permission acts as an admin here.
    role_id = await create_custom_role(db, org.id, "Attribute editor", ["organization.attributes.update"])
    await give_custom_role(db, org.id, org.member.id, role_id)
    removed = data(await client.delete(f"{base}/{option['id']}", headers=org.member.headers))
    assert removed["attributeOptionId"] == option["id"]
    assert (await _counts(db))[2] == 0


async def test_assigned_options_filters(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    team_id = await create_org_team(db, org.id, "sales-team", {org.member.id: "MEMBER"})
    dept = await _attribute(client, org, "dept", options=["Sales", "Ops", "Unused"])
    sales, ops, _unused = await _options(client, org, dept["id"])
    region = await _attribute(client, org, "region", options=["EU"])
    (eu,) = await _options(client, org, region["id"])
    await _assign(client, org, org.member.id, {"attributeId": dept["id"], "attributeOptionId": sales["id"]})
    await _assign(client, org, org.admin.id, {"attributeId": dept["id"], "attributeOptionId": ops["id"]})
    await _assign(client, org, org.admin.id, {"attributeId": region["id"], "attributeOptionId": eu["id"]})
    by_id = f"/v2/organizations/{org.id}/attributes/{dept['id']}/options/assigned"
    headers = org.member.headers
    expected = [{**sales, "assignedUserIds": [org.member.id]}, {**ops, "assignedUserIds": [org.admin.id]}]
    assert data(await client.get(by_id, headers=headers)) == expected
    assert (
        data(await client.get(f"/v2/organizations/{org.id}/attributes/slugs/dept/options/assigned", headers=headers))
        == expected
    )
    assert data(await client.get(f"{by_id}?take=1&skip=1", headers=headers)) == expected[1:]
    assert data(await client.get(f"{by_id}?teamIds={team_id}", headers=headers)) == expected[:1]
    assert data(await client.get(f"{by_id}?assignedOptionIds={eu['id']}", headers=headers)) == expected[1:]
    err = error(await client.get(f"{by_id}?assignedOptionIds={eu['id']}&teamIds={team_id}", headers=headers), 404)
    assert err["message"].startswith("Options provided in assignedOptionIds are not assigned to anyone")
    error(await client.get(f"/v2/organizations/{org.id}/attributes/slugs/nope/options/assigned", headers=headers), 404)
    error(await client.get(f"{by_id}?teamIds=abc", headers=headers), 400)


async def test_attributes_for_memberships_shapes(client: httpx.AsyncClient, db: Database) -> None:
    org = await create_org_with_members(db)
    text = await _attribute(client, org, "motto", "TEXT")
    number = await _attribute(client, org, "floor", "NUMBER")
    single = await _attribute(client, org, "office", options=["Paris"])
    multi = await _attribute(client, org, "langs", "MULTI_SELECT", ["Fr", "En"])
    (paris,) = await _options(client, org, single["id"])
    fr, en = await _options(client, org, multi["id"])
    user = org.member.id
    await _assign(client, org, user, {"attributeId": text["id"], "value": "Carpe diem"})
    await _assign(client, org, user, {"attributeId": number["id"], "value": "3"})
    await _assign(client, org, user, {"attributeId": single["id"], "attributeOptionId": paris["id"]})
    await _assign(client, org, user, {"attributeId": multi["id"], "attributeOptionId": en["id"]})
    await _assign(client, org, user, {"attributeId": multi["id"], "attributeOptionId": fr["id"]})
    (motto,) = await _options(client, org, text["id"])
    (floor,) = await _options(client, org, number["id"])
    other = await create_org_with_members(db, "other")
    await _attribute(client, other, "motto", "TEXT")
    async with db.read() as session:
        found = await attributes_for_memberships(session, org.id, [user, org.admin.id, other.member.id])
    assert found == {
        user: [
            {"id": text["id"], "name": "Motto", "type": "text", "optionId": motto["id"], "option": "Carpe diem"},
            {"id": number["id"], "name": "Floor", "type": "number", "optionId": floor["id"], "option": 3},
            {"id": single["id"], "name": "Office", "type": "singleSelect", "optionId": paris["id"], "option": "Paris"},
            {
                "id": multi["id"],
                "name": "Langs",
                "type": "multiSelect",
                "options": [{"optionId": en["id"], "option": "En"}, {"optionId": fr["id"], "option": "Fr"}],
            },
        ],
        org.admin.id: [],
        other.member.id: [],
    }
    async with db.read() as session:
        assert await attributes_for_memberships(session, org.id, []) == {}
