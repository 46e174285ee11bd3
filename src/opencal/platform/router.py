from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from opencal.core.auth import CurrentPrincipal
from opencal.core.context import Ctx, Db
from opencal.core.envelope import LimitOffset, SkipTake, limit_offset_params, skip_take_params, success
from opencal.core.params import CsvList, IntId
from opencal.me.schemas import UpdateManagedUserInput
from opencal.platform import clients, managed_users
from opencal.platform.access import client_webhook_access
from opencal.platform.schemas import (
    CreateManagedUserInput,
    CreateManagedUserOutput,
    CreateOAuthClientInput,
    CreateOAuthClientResponseDto,
    GetManagedUserOutput,
    GetManagedUsersOutput,
    GetOAuthClientResponseDto,
    GetOAuthClientsResponseDto,
    KeysResponseDto,
    RefreshTokenInput,
    UpdateOAuthClientInput,
)
from opencal.webhooks import service as webhooks
from opencal.webhooks.schemas import (
    CreateWebhookInputDto,
    DeleteManyWebhooksOutputResponseDto,
    OAuthClientWebhookOutputResponseDto,
    OAuthClientWebhooksOutputResponseDto,
    UpdateWebhookInputDto,
)

CLIENTS_TAG = "Deprecated: Platform OAuth Clients"
USERS_TAG = "Deprecated: Platform / Managed Users"
WEBHOOKS_TAG = "Deprecated: Platform / Webhooks"
DEPRECATED = "<Warning>These endpoints are deprecated and will be removed in the future.</Warning>"
TOKENS_DOCS = (
    "Access token is valid for 60 minutes and refresh token for 1 year. Make sure to store them in your database, "
    "for example, in your User database model `calAccessToken` and `calRefreshToken` fields.\nResponse also "
    "contains `accessTokenExpiresAt` and `refreshTokenExpiresAt` fields, but if you decode the jwt token the "
    "payload will contain `clientId` (OAuth client ID), `ownerId` (user to whom token belongs ID), `iat` (issued "
    "at time) and `expiresAt` (when does the token expire) fields."
)
# The secret is read by the authenticator; this only documents the header as the official document does.
SECRET_HEADER: dict[str, Any] = {
    "parameters": [
        {
            "name": "x-cal-secret-key",
            "in": "header",
            "description": "OAuth client secret key",
            "required": True,
            "schema": {"type": "string"},
        }
    ]
}

router = APIRouter()
Page = Annotated[LimitOffset, Depends(limit_offset_params)]
WebhookPage = Annotated[SkipTake, Depends(skip_take_params(250))]
WebhookId = Annotated[str, Path()]
Emails = Annotated[
    list[str] | None,
    CsvList,
    Query(
        description="Filter managed users by email. If you want to filter by multiple emails, separate them with a "
        "comma.",
        examples=["?emails=email1@example.com,email2@example.com"],
    ),
]

# -- OAuth clients ------------------------------------------------------------------------------


@router.post(
    "/v2/oauth-clients",
    tags=[CLIENTS_TAG],
    operation_id="OAuthClientsController_createOAuthClient",
    summary="Create an OAuth client",
    description=DEPRECATED,
    status_code=201,
    response_model=CreateOAuthClientResponseDto,
)
async def create_oauth_client(db: Db, principal: CurrentPrincipal, body: CreateOAuthClientInput) -> Any:
    return success(await clients.create(db, principal, body))


@router.get(
    "/v2/oauth-clients",
    tags=[CLIENTS_TAG],
    operation_id="OAuthClientsController_getOAuthClients",
    summary="Get all OAuth clients",
    description=DEPRECATED,
    response_model=GetOAuthClientsResponseDto,
    response_model_exclude_unset=True,
)
async def get_oauth_clients(db: Db, principal: CurrentPrincipal) -> Any:
    return success(await clients.list_clients(db, principal))


@router.get(
    "/v2/oauth-clients/{clientId}",
    tags=[CLIENTS_TAG],
    operation_id="OAuthClientsController_getOAuthClientById",
    summary="Get an OAuth client",
    description=DEPRECATED,
    response_model=GetOAuthClientResponseDto,
    response_model_exclude_unset=True,
)
async def get_oauth_client(db: Db, principal: CurrentPrincipal, clientId: str) -> Any:
    return success(await clients.get_client(db, principal, clientId))


@router.patch(
    "/v2/oauth-clients/{clientId}",
    tags=[CLIENTS_TAG],
    operation_id="OAuthClientsController_updateOAuthClient",
    summary="Update an OAuth client",
    description=DEPRECATED,
    response_model=GetOAuthClientResponseDto,
    response_model_exclude_unset=True,
)
async def update_oauth_client(db: Db, principal: CurrentPrincipal, clientId: str, body: UpdateOAuthClientInput) -> Any:
    return success(await clients.update_client(db, principal, clientId, body))


@router.delete(
    "/v2/oauth-clients/{clientId}",
    tags=[CLIENTS_TAG],
    operation_id="OAuthClientsController_deleteOAuthClient",
    summary="Delete an OAuth client",
    description=DEPRECATED,
    response_model=GetOAuthClientResponseDto,
    response_model_exclude_unset=True,
)
async def delete_oauth_client(db: Db, principal: CurrentPrincipal, clientId: str) -> Any:
    return success(await clients.delete_client(db, principal, clientId))


# -- managed users ------------------------------------------------------------------------------


@router.get(
    "/v2/oauth-clients/{clientId}/users",
    tags=[USERS_TAG],
    operation_id="OAuthClientUsersController_getManagedUsers",
    summary="Get all managed users",
    description=DEPRECATED,
    response_model=GetManagedUsersOutput,
    openapi_extra=SECRET_HEADER,
)
async def get_managed_users(
    db: Db, principal: CurrentPrincipal, clientId: str, page: Page, emails: Emails = None
) -> Any:
    return success(await managed_users.list_managed_users(db, principal, clientId, page, emails))


@router.post(
    "/v2/oauth-clients/{clientId}/users",
    tags=[USERS_TAG],
    operation_id="OAuthClientUsersController_createUser",
    summary="Create a managed user",
    description=DEPRECATED,
    status_code=201,
    response_model=CreateManagedUserOutput,
    openapi_extra=SECRET_HEADER,
)
async def create_managed_user(
    ctx: Ctx, principal: CurrentPrincipal, clientId: str, body: CreateManagedUserInput
) -> Any:
    return success(await managed_users.create_managed_user(ctx.db, principal, clientId, body, await ctx.secret_key()))


@router.get(
    "/v2/oauth-clients/{clientId}/users/{userId}",
    tags=[USERS_TAG],
    operation_id="OAuthClientUsersController_getUserById",
    summary="Get a managed user",
    description=DEPRECATED,
    response_model=GetManagedUserOutput,
    openapi_extra=SECRET_HEADER,
)
async def get_managed_user(db: Db, principal: CurrentPrincipal, clientId: str, userId: IntId) -> Any:
    return success(await managed_users.get_managed_user(db, principal, clientId, userId))


@router.patch(
    "/v2/oauth-clients/{clientId}/users/{userId}",
    tags=[USERS_TAG],
    operation_id="OAuthClientUsersController_updateUser",
    summary="Update a managed user",
    description=DEPRECATED,
    response_model=GetManagedUserOutput,
    openapi_extra=SECRET_HEADER,
)
async def update_managed_user(
    db: Db, principal: CurrentPrincipal, clientId: str, userId: IntId, body: UpdateManagedUserInput
) -> Any:
    return success(await managed_users.update_managed_user(db, principal, clientId, userId, body))


@router.delete(
    "/v2/oauth-clients/{clientId}/users/{userId}",
    tags=[USERS_TAG],
    operation_id="OAuthClientUsersController_deleteUser",
    summary="Delete a managed user",
    description=DEPRECATED,
    response_model=GetManagedUserOutput,
    openapi_extra=SECRET_HEADER,
)
async def delete_managed_user(db: Db, principal: CurrentPrincipal, clientId: str, userId: IntId) -> Any:
    return success(await managed_users.delete_managed_user(db, principal, clientId, userId))


@router.post(
    "/v2/oauth-clients/{clientId}/users/{userId}/force-refresh",
    tags=[USERS_TAG],
    operation_id="OAuthClientUsersController_forceRefresh",
    summary="Force refresh tokens",
    description=f"{DEPRECATED} If you have lost managed user access or refresh token, then you can get new ones by "
    f"using OAuth credentials. {TOKENS_DOCS}",
    status_code=200,
    response_model=KeysResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def force_refresh(ctx: Ctx, principal: CurrentPrincipal, clientId: str, userId: IntId) -> Any:
    return success(await managed_users.force_refresh(ctx.db, principal, clientId, userId, await ctx.secret_key()))


@router.post(
    "/v2/oauth/{clientId}/refresh",
    tags=[USERS_TAG],
    operation_id="OAuthFlowController_refreshTokens",
    summary="Refresh managed user tokens",
    description=f"{DEPRECATED} If managed user access token is expired then get a new one using this endpoint - it "
    f'will also refresh the refresh token, because we use "refresh token rotation" mechanism. {TOKENS_DOCS}',
    status_code=200,
    response_model=KeysResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def refresh_tokens(ctx: Ctx, principal: CurrentPrincipal, clientId: str, body: RefreshTokenInput) -> Any:
    return success(
        await managed_users.refresh_tokens(ctx.db, principal, clientId, body.refreshToken, await ctx.secret_key())
    )


# -- OAuth client webhooks ----------------------------------------------------------------------


@router.post(
    "/v2/oauth-clients/{clientId}/webhooks",
    tags=[WEBHOOKS_TAG],
    operation_id="OAuthClientWebhooksController_createOAuthClientWebhook",
    summary="Create a webhook",
    description=DEPRECATED,
    status_code=201,
    response_model=OAuthClientWebhookOutputResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def create_client_webhook(
    ctx: Ctx, principal: CurrentPrincipal, clientId: str, body: CreateWebhookInputDto
) -> Any:
    access = client_webhook_access(principal, clientId, "ADMIN")
    return success(await webhooks.create_webhook(ctx.db, await ctx.secret_box(), access, body))


@router.get(
    "/v2/oauth-clients/{clientId}/webhooks",
    tags=[WEBHOOKS_TAG],
    operation_id="OAuthClientWebhooksController_getOAuthClientWebhooks",
    summary="Get all webhooks",
    description=DEPRECATED,
    response_model=OAuthClientWebhooksOutputResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def get_client_webhooks(ctx: Ctx, principal: CurrentPrincipal, clientId: str, page: WebhookPage) -> Any:
    access = client_webhook_access(principal, clientId, "MEMBER")
    box = await ctx.secret_box()
    return success(await webhooks.list_webhooks(ctx.db, box, access, skip=page.skip, take=page.take))


@router.delete(
    "/v2/oauth-clients/{clientId}/webhooks",
    tags=[WEBHOOKS_TAG],
    operation_id="OAuthClientWebhooksController_deleteAllOAuthClientWebhooks",
    summary="Delete all webhooks",
    description=DEPRECATED,
    response_model=DeleteManyWebhooksOutputResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def delete_all_client_webhooks(ctx: Ctx, principal: CurrentPrincipal, clientId: str) -> Any:
    deleted = await webhooks.delete_all_webhooks(ctx.db, client_webhook_access(principal, clientId, "ADMIN"))
    return success(f"{deleted} webhooks deleted")


@router.patch(
    "/v2/oauth-clients/{clientId}/webhooks/{webhookId}",
    tags=[WEBHOOKS_TAG],
    operation_id="OAuthClientWebhooksController_updateOAuthClientWebhook",
    summary="Update a webhook",
    description=DEPRECATED,
    response_model=OAuthClientWebhookOutputResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def update_client_webhook(
    ctx: Ctx, principal: CurrentPrincipal, clientId: str, webhookId: WebhookId, body: UpdateWebhookInputDto
) -> Any:
    access = client_webhook_access(principal, clientId, "ADMIN")
    return success(await webhooks.update_webhook(ctx.db, await ctx.secret_box(), access, webhookId, body))


@router.get(
    "/v2/oauth-clients/{clientId}/webhooks/{webhookId}",
    tags=[WEBHOOKS_TAG],
    operation_id="OAuthClientWebhooksController_getOAuthClientWebhook",
    summary="Get a webhook",
    description=DEPRECATED,
    response_model=OAuthClientWebhookOutputResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def get_client_webhook(ctx: Ctx, principal: CurrentPrincipal, clientId: str, webhookId: WebhookId) -> Any:
    access = client_webhook_access(principal, clientId, "MEMBER")
    return success(await webhooks.get_webhook(ctx.db, await ctx.secret_box(), access, webhookId))


@router.delete(
    "/v2/oauth-clients/{clientId}/webhooks/{webhookId}",
    tags=[WEBHOOKS_TAG],
    operation_id="OAuthClientWebhooksController_deleteOAuthClientWebhook",
    summary="Delete a webhook",
    description=DEPRECATED,
    response_model=OAuthClientWebhookOutputResponseDto,
    openapi_extra=SECRET_HEADER,
)
async def delete_client_webhook(ctx: Ctx, principal: CurrentPrincipal, clientId: str, webhookId: WebhookId) -> Any:
    access = client_webhook_access(principal, clientId, "ADMIN")
    return success(await webhooks.delete_webhook(ctx.db, await ctx.secret_box(), access, webhookId))
