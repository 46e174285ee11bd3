"""Our OpenAPI uses the official operationIds, paths and schema names for what we serve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

OFFICIAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "calcom-api-v2.openapi.json"
LOCAL_OFFICIAL = Path(__file__).resolve().parents[1] / "reference" / "calcom-api-v2.openapi.json"


def _official() -> dict[str, Any]:
    path = OFFICIAL if OFFICIAL.exists() else LOCAL_OFFICIAL
    document: dict[str, Any] = json.loads(path.read_text())
    return document


async def test_served_operations_use_official_ids(client: httpx.AsyncClient) -> None:
    ours = (await client.get("/openapi.json")).json()
    official = _official()
    official_ids = {
        (method, path): op["operationId"] for path, item in official["paths"].items() for method, op in item.items()
    }
    served = 0
    for path, item in ours["paths"].items():
        for method, op in item.items():
            key = (method, path)
            if key in official_ids:
                served += 1
                assert op["operationId"] == official_ids[key], key
                assert op["tags"] == official["paths"][path][method]["tags"], key
            else:
                # Only documented extras may exist beside the official document.
                assert path.startswith(
                    (
                        "/v2/slots/available",
                        "/v2/slots/reserve",
                        "/v2/slots/selected-slot",
                        "/v2/timezones",
                        "/api/v1/",
                        "/mcp",
                    )
                ), key
    assert served >= 3
    assert "GetMeOutput" in ours["components"]["schemas"]


async def test_no_fastapi_422_shapes(client: httpx.AsyncClient) -> None:
    text = (await client.get("/openapi.json")).text
    assert "HTTPValidationError" not in text
    assert '"422"' not in text


async def test_docs_render(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
