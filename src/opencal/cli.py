"""The `opencal` command. Every subcommand prints exactly one JSON object on stdout; bad
arguments print one line on stderr and exit with status 2, having written nothing."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from opencal.agents.cli import register as register_agents_cli
from opencal.config import Settings, get_settings
from opencal.core import migrate
from opencal.core.db import Database
from opencal.core.errors import ApiError
from opencal.mcp_server.cli import register as register_mcp_cli
from opencal.models import User
from opencal.organizations.roles.cli import register as register_roles_cli
from opencal.platform.permissions import parse_permissions
from opencal.routing_forms.cli import register as register_routing_forms_cli
from opencal.users import bootstrap
from opencal.users.service import find_user
from opencal.webhooks.cli import register as register_webhooks_cli

EXIT_BAD_ARGUMENTS = 2
DEMO_EMAIL = "demo@example.com"
DEMO_KEY_FILE = ".opencal-demo-key"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise UsageError(f"{self.prog}: {message}")


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _run_db(settings: Settings, work: Callable[[Database], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    async def runner() -> dict[str, Any]:
        db = Database(settings.database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(runner())


async def _require_user(db: Database, email_or_id: str) -> User:
    async with db.read() as session:
        user = await find_user(session, email_or_id)
    if user is None:
        raise UsageError(f"no user '{email_or_id}'")
    return user


# -- commands ----------------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    migrate.upgrade(settings.database_url)
    return {"migrated": True, "database": _safe_url(settings.database_url)}


def cmd_users_create(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    async def work(db: Database) -> dict[str, Any]:
        async with db.write() as session:
            created = await bootstrap.create_user(
                session,
                email=args.email,
                username=args.username,
                name=args.name,
                time_zone=args.time_zone,
                with_api_key=args.api_key,
                api_key_prefix=settings.api_key_prefix,
            )
            user = created.user
            out = {
                "id": user.id,
                "email": user.email,
                "username": user.username,
                "name": user.name,
                "timeZone": user.time_zone,
            }
            if created.api_key:
                out["apiKey"] = created.api_key
            return out

    return _run_db(settings, work)


def cmd_keys_create(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    try:
        expires_on = date.fromisoformat(args.expires_at) if args.expires_at else None
    except ValueError as exc:
        raise UsageError(f"--expires-at must be YYYY-MM-DD: {args.expires_at}") from exc

    async def work(db: Database) -> dict[str, Any]:
        user = await _require_user(db, args.user)
        async with db.write() as session:
            key = await bootstrap.create_key(
                session, user=user, prefix=settings.api_key_prefix, expires_on=expires_on, team_id=args.team_id
            )
        return {"apiKey": key}

    return _run_db(settings, work)


def cmd_orgs_create(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    async def work(db: Database) -> dict[str, Any]:
        owner = await _require_user(db, args.owner)
        async with db.write() as session:
            owner = await session.get(User, owner.id) or owner  # attach to this transaction
            org = await bootstrap.create_organization(session, name=args.name, slug=args.slug, owner=owner)
            return {"id": org.id, "slug": org.slug}

    return _run_db(settings, work)


def cmd_teams_create(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    async def work(db: Database) -> dict[str, Any]:
        owner = await _require_user(db, args.owner)
        async with db.write() as session:
            owner = await session.get(User, owner.id) or owner
            team = await bootstrap.create_team(
                session, name=args.name, slug=args.slug, owner=owner, organization_id=args.org_id
            )
            return {"id": team.id, "slug": team.slug}

    return _run_db(settings, work)


def cmd_oauth_clients_create(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    try:
        permissions = parse_permissions(args.permissions or ["*"])
    except ValueError as exc:
        raise UsageError(str(exc)) from exc

    async def work(db: Database) -> dict[str, Any]:
        async with db.write() as session:
            client, secret = await bootstrap.create_oauth_client(
                session,
                organization_id=args.org_id,
                name=args.name,
                redirect_uris=args.redirect_uri,
                permissions=permissions,
                default_event_types=not args.no_default_event_types,
            )
            return {"id": client.id, "secret": secret}

    return _run_db(settings, work)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> dict[str, Any]:
    import uvicorn

    from opencal.app import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    if settings.is_sqlite:
        migrate.upgrade(settings.database_url)
    if args.demo:
        key_file = Path(DEMO_KEY_FILE)
        remembered = key_file.read_text().strip() if key_file.exists() else ""
        demo = _run_db(settings, lambda db: _demo_credentials(db, settings, remembered))
        if demo["apiKey"] != remembered:
            key_file.write_text(demo["apiKey"] + "\n")
            key_file.chmod(0o600)
        base = settings.base_url if (args.host is None and args.port is None) else f"http://{host}:{port}"
        sys.stderr.write(f"opencal is running at {base}\nDemo user: {demo['email']}\nAPI key: {demo['apiKey']}\n")
        sys.stderr.write(f'Try: curl -H "Authorization: Bearer {demo["apiKey"]}" {base}/v2/me\n')
        sys.stderr.flush()
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())
    return {"stopped": True}


async def _demo_credentials(db: Database, settings: Settings, remembered: str) -> dict[str, Any]:
    """The demo user and a working key: the remembered one while it is still valid, else a new one."""
    from sqlalchemy import select

    from opencal.core.security import hash_api_key
    from opencal.models import ApiKey

    async with db.write() as session:
        user = await find_user(session, DEMO_EMAIL)
        if user is None:
            created = await bootstrap.create_user(
                session,
                email=DEMO_EMAIL,
                username="demo",
                name="Demo User",
                time_zone="UTC",
                api_key_prefix=settings.api_key_prefix,
            )
            user = created.user
        if remembered:
            hashed = hash_api_key(remembered, settings.api_key_prefix)
            owner = await session.scalar(select(ApiKey.user_id).where(ApiKey.hashed_key == hashed))
            if owner == user.id:
                return {"email": user.email, "apiKey": remembered}
        key = await bootstrap.create_key(
            session, user=user, prefix=settings.api_key_prefix, expires_on=None, team_id=None
        )
    return {"email": user.email, "apiKey": key}


def _safe_url(url: str) -> str:
    """The database URL without its password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url


# -- parser ------------------------------------------------------------------------------------

Handler = Callable[[argparse.Namespace, Settings], dict[str, Any]]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="opencal", description="opencal: a Cal.com API v2 compatible scheduling server")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("migrate", help="bring the database schema to the newest version")
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("serve", help="run the HTTP server")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--demo", action="store_true", help="create a demo user and print a working API key")
    p.set_defaults(handler=cmd_serve)

    users = sub.add_parser("users").add_subparsers(dest="action", required=True, parser_class=_Parser)
    p = users.add_parser("create")
    p.add_argument("--email", required=True)
    p.add_argument("--username", required=True)
    p.add_argument("--name")
    p.add_argument("--time-zone", default="Europe/London")
    p.add_argument("--api-key", action="store_true")
    p.set_defaults(handler=cmd_users_create)

    keys = sub.add_parser("keys").add_subparsers(dest="action", required=True, parser_class=_Parser)
    p = keys.add_parser("create")
    p.add_argument("--user", required=True, help="email or id")
    p.add_argument("--expires-at")
    p.add_argument("--team-id", type=int)
    p.set_defaults(handler=cmd_keys_create)

    orgs = sub.add_parser("orgs").add_subparsers(dest="action", required=True, parser_class=_Parser)
    p = orgs.add_parser("create")
    p.add_argument("--name", required=True)
    p.add_argument("--slug", required=True)
    p.add_argument("--owner", required=True, help="email or id")
    p.set_defaults(handler=cmd_orgs_create)

    teams = sub.add_parser("teams").add_subparsers(dest="action", required=True, parser_class=_Parser)
    p = teams.add_parser("create")
    p.add_argument("--name", required=True)
    p.add_argument("--slug", required=True)
    p.add_argument("--owner", required=True, help="email or id")
    p.add_argument("--org-id", type=int)
    p.set_defaults(handler=cmd_teams_create)

    clients = sub.add_parser("oauth-clients").add_subparsers(dest="action", required=True, parser_class=_Parser)
    p = clients.add_parser("create")
    p.add_argument("--org-id", type=int, required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--redirect-uri", action="append", required=True)
    p.add_argument("--permissions", nargs="*", help="permission names, or * for all (default)")
    p.add_argument("--no-default-event-types", action="store_true")
    p.set_defaults(handler=cmd_oauth_clients_create)

    for extend in EXTENSIONS:
        extend(sub)
    return parser


# Domains add subcommands here (worker, mcp, webhooks, agents, ...): each takes the subparsers.
EXTENSIONS: list[Callable[[Any], None]] = [
    register_mcp_cli,
    register_agents_cli,
    register_webhooks_cli,
    register_routing_forms_cli,
    register_roles_cli,
]


def main(argv: Sequence[str] | None = None) -> int:
    settings = get_settings()
    try:
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        result = handler(args, settings)
    except UsageError as exc:
        sys.stderr.write(str(exc).replace("\n", " ") + "\n")
        return EXIT_BAD_ARGUMENTS
    except ApiError as exc:
        sys.stderr.write(f"opencal: {exc.message}\n")
        return EXIT_BAD_ARGUMENTS
    if result.get("stopped"):
        return 0
    _emit(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
