"""Team invitation links (`Teams / Invite`, `Orgs / Teams / Invite`)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from opencal.core import clock
from opencal.core.db import Database
from opencal.core.security import sha256_hex
from opencal.models import TeamInvite
from opencal.teams.service import load_team

INVITE_LIFETIME = timedelta(days=7)


async def create_invite(db: Database, base_url: str, team_id: int, inviter_id: int) -> dict[str, Any]:
    """A new invitation token for the team (each call makes another), and the signup link carrying it.

    Only the token's hash is stored; the plaintext is returned once, here.
    """
    token = secrets.token_hex(32)
    async with db.write() as session:
        await load_team(session, team_id)
        session.add(
            TeamInvite(
                team_id=team_id,
                token_hash=sha256_hex(token),
                created_by_id=inviter_id,
                expires_at=clock.now() + INVITE_LIFETIME,
            )
        )
    query = urlencode({"token": token, "callbackUrl": "/getting-started"}, safe="/")
    return {"token": token, "inviteLink": f"{base_url.rstrip('/')}/signup?{query}"}
