"""`opencal mcp`: the tools over stdio, for MCP clients that start the server themselves."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from opencal.config import Settings
from opencal.core import migrate


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "mcp",
        help="serve the API as MCP tools on stdin/stdout (API key from CAL_API_KEY or OPENCAL_API_KEY)",
    )
    parser.set_defaults(handler=cmd_mcp)


def cmd_mcp(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    from opencal.app import create_app
    from opencal.mcp_server.transports import api_key_from_environment, serve_stdio

    if settings.is_sqlite:
        migrate.upgrade(settings.database_url)
    app = create_app(settings)
    asyncio.run(serve_stdio(app, settings, api_key_from_environment()))
    # stdout carried the protocol: nothing more may be written there.
    return {"stopped": True}
