"""Envelopes, errors, request ids, CORS, versions and parameter parsing shared by every route."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Query

from opencal.core.envelope import success
from opencal.core.params import CsvList, IntId
from opencal.core.versioning import VersionedRoute, versions
from support import create_user, data, error


async def test_unknown_route_is_404_in_error_envelope(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/does-not-exist?x=1")
    err = error(response, 404)
    assert err["code"] == "NotFoundException"
    assert err["message"] == "Cannot GET /v2/does-not-exist"
    assert response.json()["path"] == "/v2/does-not-exist?x=1"


async def test_wrong_method_is_404_like_cal_com(client: httpx.AsyncClient) -> None:
    err = error(await client.delete("/v2/me"), 404)
    assert err["message"] == "Cannot DELETE /v2/me"


async def test_request_id_is_echoed_or_generated(client: httpx.AsyncClient) -> None:
    response = await client.get("/v2/me", headers={"X-Request-Id": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = (await client.get("/v2/me")).headers["x-request-id"]
    assert len(generated) == 32


async def test_cors_preflight_allows_cal_headers(client: httpx.AsyncClient) -> None:
    response = await client.options(
        "/v2/me",
        headers={
            "Origin": "https://example.com",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "cal-api-version,x-cal-client-id,x-cal-secret-key,authorization",
        },
    )
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("cal-api-version", "x-cal-client-id", "x-cal-secret-key", "authorization"):
        assert header in allowed


async def test_malformed_json_is_400(client: httpx.AsyncClient, db: Any) -> None:
    user = await create_user(db)
    response = await client.patch(
        "/v2/me", content=b'{"name": "x",', headers={**user.headers, "Content-Type": "application/json"}
    )
    err = error(response, 400)
    assert err["code"] == "BadRequestException"
    assert "JSON" in err["message"]


async def test_wrong_type_names_the_field(client: httpx.AsyncClient, db: Any) -> None:
    user = await create_user(db)
    err = error(await client.patch("/v2/me", json={"timeFormat": 13}, headers=user.headers), 400)
    assert err["message"].startswith("timeFormat:")
    assert err["details"]["errors"][0]["property"] == "timeFormat"


# -- the shared mechanisms, on a probe router mounted only for these tests ------------------------


def _probe_app(app: FastAPI) -> FastAPI:
    probe = APIRouter(prefix="/v2/probe", route_class=VersionedRoute)

    @probe.get("/items/{itemId}", openapi_extra=versions("2024-08-13"))
    async def new_version(itemId: IntId) -> Any:
        return success({"version": "2024-08-13", "id": itemId})

    @probe.get("/items/{itemId}", openapi_extra=versions("2024-04-15", "2024-06-11"), include_in_schema=False)
    async def legacy_version(itemId: IntId) -> Any:
        return success({"version": "legacy", "id": itemId})

    @probe.get("/list")
    async def listing(ids: Annotated[list[int] | None, CsvList, Query()] = None) -> Any:
        return success({"ids": ids})

    app.include_router(probe)
    return app


@pytest.fixture
async def probe(app: FastAPI) -> Any:
    _probe_app(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        yield http


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"cal-api-version": "2024-08-13"}, "2024-08-13"),
        ({"cal-api-version": "2024-06-11"}, "legacy"),
        ({}, "legacy"),  # missing means 2024-04-15
        ({"cal-api-version": "1999-01-01"}, "legacy"),  # unknown means 2024-04-15
    ],
)
async def test_one_path_served_by_several_versions(
    probe: httpx.AsyncClient, header: dict[str, str], expected: str
) -> None:
    assert data(await probe.get("/v2/probe/items/7", headers=header))["version"] == expected


async def test_version_without_a_route_is_404(probe: httpx.AsyncClient) -> None:
    err = error(await probe.get("/v2/probe/items/7", headers={"cal-api-version": "2024-09-04"}), 404)
    assert err["code"] == "NotFoundException"


@pytest.mark.parametrize("raw", ["abc", "1.0", "+1", "1_0", " 1"])
async def test_integer_path_ids_are_strict(probe: httpx.AsyncClient, raw: str) -> None:
    err = error(await probe.get(f"/v2/probe/items/{raw}", headers={"cal-api-version": "2024-08-13"}), 400)
    assert err["message"].startswith("itemId:")


@pytest.mark.parametrize(
    "query", ["ids=1,2,3", "ids=1&ids=2&ids=3", "ids[]=1&ids[]=2&ids[]=3", "ids%5B%5D=1&ids%5B%5D=2,3"]
)
async def test_array_query_parameters_in_all_three_forms(probe: httpx.AsyncClient, query: str) -> None:
    assert data(await probe.get(f"/v2/probe/list?{query}"))["ids"] == [1, 2, 3]


async def test_array_query_items_are_validated(probe: httpx.AsyncClient) -> None:
    err = error(await probe.get("/v2/probe/list?ids=1,x"), 400)
    assert "ids" in err["message"]


async def test_unhandled_exception_is_500_envelope(app: FastAPI) -> None:
    boom = APIRouter()

    @boom.get("/v2/boom")
    async def explode() -> Any:
        raise RuntimeError("secret internals")

    app.include_router(boom)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        response = await http.get("/v2/boom", headers={"X-Request-Id": "r-1"})
    err = error(response, 500)
    assert err["message"] == "Internal server error"
    assert "secret" not in response.text
    assert response.headers["x-request-id"] == "r-1"
