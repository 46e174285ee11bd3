"""The MCP server as clients meet it: `opencal mcp` over stdio and `/mcp` of a running
`opencal serve`, both driven by the MCP SDK's own client."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from opencal.app import create_app
from opencal.config import Settings
from opencal.mcp_server.naming import tool_name
from opencal.mcp_server.transports import HTTP_REFUSAL, STDIO_REFUSAL
from support import opencal_cli, opencal_server


class Deployment:
    """A migrated SQLite database with one user, whose API key was made with the CLI."""

    def __init__(self, directory: Path) -> None:
        self.database_url = f"sqlite:///{directory / 'opencal.db'}"
        opencal_cli(self.database_url, "migrate")
        user = opencal_cli(
            self.database_url, "users", "create", "--email", "mcp@example.com", "--username", "mcp", "--api-key"
        )
        self.user_id: int = user["id"]
        self.api_key: str = user["apiKey"]

    def stdio(self, **env: str) -> Client:
        command = StdioServerParameters(
            command=sys.executable,
            args=["-m", "opencal.cli", "mcp"],
            env={"OPENCAL_DATABASE_URL": self.database_url, "OPENCAL_LOG_LEVEL": "WARNING", **env},
        )
        return Client(command)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    return Deployment(tmp_path_factory.mktemp("mcp"))


@pytest.fixture(scope="module")
def server_url(deployment: Deployment) -> Iterator[str]:
    with opencal_server(deployment.database_url, OPENCAL_LOG_LEVEL="WARNING") as base_url:
        yield base_url


def served_tool_names() -> set[str]:
    app = create_app(Settings(database_url="sqlite:///unused.db", secret_key="unused"))
    return {tool_name(op["operationId"]) for item in app.openapi()["paths"].values() for op in item.values()}


def http_client(url: str, api_key: str | None) -> Client:
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    return Client(streamable_http_client(url, http_client=create_mcp_http_client(headers=headers)))


async def check_tools_and_calls(client: Client, deployment: Deployment) -> None:
    names = {tool.name for tool in (await client.list_tools()).tools}
    assert served_tool_names() <= names

    me = await client.call_tool("cal_me_controller_get_me", {})
    assert me.is_error is False
    data: dict[str, Any] = (me.structured_content or {})["data"]
    assert (data["id"], data["email"], data["username"]) == (deployment.user_id, "mcp@example.com", "mcp")

    bad = await client.call_tool("cal_me_controller_update_me", {"weekStart": "Someday"})
    assert bad.is_error is True
    error = (bad.structured_content or {})["error"]
    assert error["code"] == "BadRequestException"
    assert error["message"].startswith("weekStart: Input should be 'Monday'")


async def test_stdio(deployment: Deployment) -> None:
    async with deployment.stdio(CAL_API_KEY=deployment.api_key) as client:
        await check_tools_and_calls(client, deployment)


async def test_stdio_reads_opencal_api_key_too(deployment: Deployment) -> None:
    async with deployment.stdio(OPENCAL_API_KEY=deployment.api_key) as client:
        me = await client.call_tool("cal_me_controller_get_me", {})
    assert me.is_error is False


async def test_stdio_without_a_key_refuses_calls(deployment: Deployment) -> None:
    async with deployment.stdio() as client:
        result = await client.call_tool("cal_me_controller_get_me", {})
    assert result.is_error is True
    assert result.content[0].text == STDIO_REFUSAL  # type: ignore[union-attr]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_streamable_http(deployment: Deployment, server_url: str, mode: str) -> None:
    headers = {"Authorization": f"Bearer {deployment.api_key}"}
    transport = streamable_http_client(f"{server_url}/mcp", http_client=create_mcp_http_client(headers=headers))
    async with Client(transport, mode=mode) as client:
        await check_tools_and_calls(client, deployment)


async def test_streamable_http_without_credentials_refuses_calls(server_url: str) -> None:
    async with http_client(f"{server_url}/mcp", None) as client:
        result = await client.call_tool("cal_me_controller_get_me", {})
    assert result.is_error is True
    assert result.content[0].text == HTTP_REFUSAL  # type: ignore[union-attr]


async def test_streamable_http_with_a_bad_key_gets_the_api_401(server_url: str) -> None:
    async with http_client(f"{server_url}/mcp", "cal_00000000000000000000000000000000") as client:
        result = await client.call_tool("cal_me_controller_get_me", {})
    assert result.is_error is True
    assert (result.structured_content or {})["error"][
        "message"
    ] == "ApiAuthStrategy - api key - Your api key is not valid"
