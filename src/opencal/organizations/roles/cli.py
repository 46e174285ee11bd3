"""`opencal roles assign`: give a member a custom role (the API has no operation for it, as in Cal.com).

`opencal roles assign --membership-id 12 --role-id <roleId>` prints `{"membershipId", "teamId", "userId",
"customRoleId"}`; `--none` instead of `--role-id` takes the custom role away.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from opencal.config import Settings
from opencal.core.db import Database
from opencal.organizations.roles.service import assign_role


def register(subparsers: Any) -> None:
    """Add the `roles` command to the `opencal` parser (an entry of `cli.EXTENSIONS`)."""
    roles = subparsers.add_parser("roles", help="custom roles of organization and team members")
    actions = roles.add_subparsers(dest="action", required=True, parser_class=type(roles))
    assign = actions.add_parser("assign", help="give a membership a custom role of its team or organization")
    assign.add_argument("--membership-id", type=int, required=True)
    which = assign.add_mutually_exclusive_group(required=True)
    which.add_argument("--role-id", help="a role of the membership's team or organization")
    which.add_argument("--none", action="store_true", help="take the membership's custom role away")
    assign.set_defaults(handler=cmd_assign)


def cmd_assign(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        db = Database(settings.database_url)
        try:
            async with db.write() as session:
                membership = await assign_role(session, args.membership_id, None if args.none else args.role_id)
                return {
                    "membershipId": membership.id,
                    "teamId": membership.team_id,
                    "userId": membership.user_id,
                    "customRoleId": membership.custom_role_id,
                }
        finally:
            await db.dispose()

    return asyncio.run(work())
