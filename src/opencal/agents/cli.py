"""`opencal agents token`: a bearer token for the agent-account API."""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta
from typing import Any

from opencal.agents.tokens import DEFAULT_TTL, issue_token
from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.errors import NotFound
from opencal.core.security import load_or_create_secret_key
from opencal.models import Team


def register(subcommands: Any) -> None:
    agents = subcommands.add_parser("agents", help="the agent-account API (/api/v1/calcom)")
    actions = agents.add_subparsers(dest="action", required=True)
    token = actions.add_parser("token", help="print a bearer token for the agent-account API")
    token.add_argument("--org-id", type=int, help="the organization the token acts for (else: pass org_id per request)")
    token.add_argument("--ttl", type=_seconds, default=int(DEFAULT_TTL.total_seconds()), help="lifetime in seconds")
    token.set_defaults(handler=cmd_token)


def _seconds(value: str) -> int:
    if not value.isdigit() or int(value) <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return int(value)


def cmd_token(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        db = Database(settings.database_url)
        try:
            if args.org_id is not None:
                async with db.read() as session:
                    organization = await session.get(Team, args.org_id)
                if organization is None or not organization.is_organization:
                    raise NotFound(f"no organization with id {args.org_id}")
            secret_key = await load_or_create_secret_key(db, settings.secret_key)
        finally:
            await db.dispose()
        return {"token": issue_token(secret_key, organization_id=args.org_id, ttl=timedelta(seconds=args.ttl))}

    return asyncio.run(work())
