from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter

from opencal.core.auth import Principal
from opencal.core.context import Db
from opencal.core.envelope import success
from opencal.me import service
from opencal.me.schemas import GetMeOutput, UpdateManagedUserInput, UpdateMeOutput
from opencal.platform.permissions import Permission, require_permission

router = APIRouter(prefix="/v2/me", tags=["Me"])


@router.get(
    "",
    operation_id="MeController_getMe",
    summary="Get my profile",
    response_model=GetMeOutput,
    response_model_exclude_unset=True,
)
async def get_me(db: Db, principal: Annotated[Principal, require_permission(Permission.PROFILE_READ)]) -> Any:
    return success(await service.get_me(db, principal))


@router.patch(
    "",
    operation_id="MeController_updateMe",
    summary="Update my profile",
    description="Updates the authenticated user's profile.",
    response_model=UpdateMeOutput,
    response_model_exclude_unset=True,
)
async def update_me(
    db: Db, principal: Annotated[Principal, require_permission(Permission.PROFILE_WRITE)], body: UpdateManagedUserInput
) -> Any:
    return success(await service.update_me(db, principal, body))
