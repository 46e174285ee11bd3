from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from opencal.api_keys import service
from opencal.api_keys.schemas import RefreshApiKeyInput, RefreshApiKeyOutput
from opencal.core.auth import CurrentPrincipal, read_credentials
from opencal.core.context import Ctx
from opencal.core.envelope import success

router = APIRouter(prefix="/v2/api-keys", tags=["Api Keys"])


@router.post(
    "/refresh",
    operation_id="ApiKeysController_refresh",
    summary="Refresh API Key",
    description="Generate a new API key and delete the current one. Provide the API key to refresh as a "
    'Bearer token in the Authorization header (e.g. "Authorization: Bearer <apiKey>").',
    response_model=RefreshApiKeyOutput,
    status_code=200,
)
async def refresh(
    request: Request, ctx: Ctx, principal: CurrentPrincipal, body: RefreshApiKeyInput | None = None
) -> Any:
    body = body or RefreshApiKeyInput()
    presented = read_credentials(request.headers, {}).bearer or ""
    prefix = ctx.settings.api_key_prefix
    key = await service.refresh_api_key(
        ctx.db, principal, presented, prefix, body.apiKeyDaysValid, bool(body.apiKeyNeverExpires)
    )
    return success({"apiKey": key})
