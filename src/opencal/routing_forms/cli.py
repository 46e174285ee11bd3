"""`opencal routing-forms create --org-id ID --file form.json`: make a routing form of a team.

The file holds one JSON object (`RoutingFormDefinition`): `name`, `teamId` (a team of the
organization), and optionally `description`, `userId` (the owner), `disabled`, `position`,
`fields`, `routes` and `settings` in Cal.com's shapes. It prints the form as the API shows it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from opencal.config import Settings
from opencal.core.db import Database
from opencal.core.errors import BadRequest
from opencal.routing_forms.schemas import RoutingFormDefinition
from opencal.routing_forms.service import create_form, form_output


def register(sub: Any) -> None:
    forms = sub.add_parser("routing-forms", help="routing forms (made in Cal.com's web app, here from a file)")
    actions = forms.add_subparsers(dest="action", required=True, parser_class=type(forms))
    p = actions.add_parser("create", help="create a routing form of a team from a JSON file")
    p.add_argument("--org-id", type=int, required=True, help="the organization owning the form's team")
    p.add_argument("--file", required=True, help="JSON file describing the form")
    p.set_defaults(handler=cmd_create)


def read_definition(path: str) -> RoutingFormDefinition:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadRequest(f"--file: cannot read {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise BadRequest(f"--file: {path} is not valid JSON: {exc}") from exc
    try:
        return RoutingFormDefinition.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors())
        raise BadRequest(f"--file: {problems}") from exc


def cmd_create(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    definition = read_definition(args.file)

    async def work() -> dict[str, Any]:
        db = Database(settings.database_url)
        try:
            async with db.write() as session:
                return form_output(await create_form(session, args.org_id, definition))
        finally:
            await db.dispose()

    return asyncio.run(work())
