"""`create_app(settings)`: the FastAPI application with every domain's router."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from opencal import __version__
from opencal.agents.api import mount_agent_api
from opencal.api_keys.router import router as api_keys_router
from opencal.bookings.router import guests_router as booking_guests_router
from opencal.bookings.router import router as bookings_router
from opencal.config import Settings, get_settings
from opencal.core.auth import Authenticator
from opencal.core.context import AppContext
from opencal.core.db import Database
from opencal.core.http import RequestContextMiddleware, install_error_handlers
from opencal.core.openapi import install_openapi
from opencal.core.ratelimit import EXPOSED_HEADERS as RATE_LIMIT_HEADERS
from opencal.core.ratelimit import RateLimitMiddleware
from opencal.core.versioning import unversioned_routes
from opencal.event_types.router import private_links_router as event_type_private_links_router
from opencal.event_types.router import router as event_types_router
from opencal.mcp_server.transports import mount_mcp
from opencal.me.router import router as me_router
from opencal.organizations.attributes.router import router as org_attributes_router
from opencal.organizations.delegation_credentials.router import router as org_delegation_credentials_router
from opencal.organizations.managed.router import router as managed_orgs_router
from opencal.organizations.memberships.router import router as org_memberships_router
from opencal.organizations.ooo.router import router as org_ooo_router
from opencal.organizations.roles.router import router as org_roles_router
from opencal.organizations.routing_forms.router import router as org_routing_forms_router
from opencal.organizations.schedules.router import router as org_schedules_router
from opencal.organizations.schedules.router import teams_router as team_schedules_router
from opencal.organizations.teams.router import router as org_teams_router
from opencal.organizations.users.router import router as org_users_router
from opencal.organizations.webhooks.router import router as org_webhooks_router
from opencal.phone_calls.router import organizations_router as org_phone_calls_router
from opencal.phone_calls.router import teams_router as team_phone_calls_router
from opencal.platform import credentials as platform_credentials
from opencal.platform.router import router as platform_router
from opencal.routing_forms.router import router as routing_forms_router
from opencal.schedules.router import router as schedules_router
from opencal.schedules.router import timezones_router
from opencal.slots.router import router as slots_router
from opencal.team_event_types.router import organizations_router as org_team_event_types_router
from opencal.team_event_types.router import reassign_router as booking_reassign_router
from opencal.team_event_types.router import teams_router as team_event_types_router
from opencal.teams.router import router as teams_router
from opencal.webhooks.dispatcher import BackgroundDispatcher
from opencal.webhooks.router import event_type_router as event_type_webhooks_router
from opencal.webhooks.router import router as webhooks_router

CORS_ALLOWED_HEADERS = [
    "Accept",
    "Authorization",
    "Content-Type",
    "Origin",
    "X-Requested-With",
    "cal-api-version",
    "x-cal-client-id",
    "x-cal-secret-key",
    "x-cal-platform-embed",
    "x-request-id",
    "mcp-protocol-version",
    "mcp-session-id",
]

ROUTERS = [
    org_attributes_router,
    org_ooo_router,
    org_delegation_credentials_router,
    org_routing_forms_router,
    routing_forms_router,
    org_schedules_router,
    team_schedules_router,
    org_webhooks_router,
    me_router,
    api_keys_router,
    webhooks_router,
    event_type_webhooks_router,
    platform_router,
    schedules_router,
    timezones_router,
    slots_router,
    bookings_router,
    booking_guests_router,
    event_types_router,
    event_type_private_links_router,
    team_event_types_router,
    org_team_event_types_router,
    booking_reassign_router,
    teams_router,
    org_teams_router,
    org_memberships_router,
    org_users_router,
    managed_orgs_router,
    org_roles_router,
    team_phone_calls_router,
    org_phone_calls_router,
]


def create_app(settings: Settings | None = None, *, database: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = database or Database(settings.database_url)
    context = AppContext(settings=settings, db=db, authenticator=Authenticator(db, settings))
    platform_credentials.install(context)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await context.secret_key()
        dispatcher = None
        if settings.run_dispatcher:
            dispatcher = await BackgroundDispatcher.start(db, await context.secret_box(), settings)
        async with _app.state.mcp.running():
            yield
        if dispatcher is not None:
            await dispatcher.stop()
        if database is None:
            await db.dispose()

    app = FastAPI(
        title="opencal",
        description="A self-hostable scheduling server speaking the Cal.com API v2.",
        version=__version__,
        lifespan=lifespan,
        separate_input_output_schemas=False,
    )
    app.state.context = context
    for router in ROUTERS:
        app.include_router(router)
    if plain := unversioned_routes(app.routes):
        raise RuntimeError(f"routes declare cal-api-version values without route_class=VersionedRoute: {plain}")
    install_error_handlers(app)
    install_openapi(app)
    app.state.mcp = mount_mcp(app, settings)
    mount_agent_api(app)
    if settings.rate_limit_enabled:
        app.add_middleware(RateLimitMiddleware, settings=settings)  # inside CORS: a 429 keeps its CORS headers
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["*"],
        allow_headers=CORS_ALLOWED_HEADERS,
        expose_headers=["x-request-id", *RATE_LIMIT_HEADERS],
    )
    app.add_middleware(RequestContextMiddleware)
    return app
