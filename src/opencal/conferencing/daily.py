"""A typed client for Daily's REST API (https://docs.daily.co/reference/rest-api), Cal Video's engine.

Only what Cal Video needs: rooms and their owner meeting tokens, recordings and their access links,
transcripts and theirs, and meeting sessions with their participants. Every failure (the network,
a non-2xx answer, a body of an unexpected shape) is raised as `DailyError`, so callers handle one
exception type.

    async with DailyClient(api_key, "https://api.daily.co/v1") as daily:
        room = await daily.create_room({"privacy": "public", "properties": {...}})
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

DEFAULT_API_URL = "https://api.daily.co/v1"
_Model = TypeVar("_Model", bound=BaseModel)
Number = int | float


class DailyError(Exception):
    """Daily could not be reached, refused the request, or answered something unexpected."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class _DailyModel(BaseModel):
    # Daily adds fields over time; only the ones read here are declared.
    model_config = ConfigDict(extra="ignore")


class RoomConfig(_DailyModel):
    exp: int | None = None


class Room(_DailyModel):
    id: str
    name: str
    url: str
    privacy: str | None = None
    config: RoomConfig = RoomConfig()


class MeetingToken(_DailyModel):
    token: str


class Recording(_DailyModel):
    id: str
    room_name: str
    start_ts: Number
    status: str
    max_participants: int | None = None
    duration: Number
    share_token: str


class RecordingList(_DailyModel):
    total_count: int | None = None
    data: list[Recording]


class RecordingAccessLink(_DailyModel):
    download_link: str
    expires: Number | None = None


class Transcript(_DailyModel):
    transcriptId: str
    roomId: str | None = None
    mtgSessionId: str | None = None
    status: str | None = None
    duration: Number | None = None


class TranscriptList(_DailyModel):
    total_count: int | None = None
    data: list[Transcript]


class TranscriptAccessLink(_DailyModel):
    link: str


class Participant(_DailyModel):
    user_id: str | None
    participant_id: str
    user_name: str | None
    join_time: Number
    duration: Number


class Meeting(_DailyModel):
    id: str
    room: str
    start_time: Number
    duration: Number
    ongoing: bool
    max_participants: int
    participants: list[Participant]


class MeetingList(_DailyModel):
    total_count: int | None = None
    data: list[Meeting]


def _segment(value: str) -> str:
    return quote(value, safe="")


class DailyClient:
    """One connection pool to Daily, authenticated with `Authorization: Bearer <api key>`."""

    def __init__(
        self,
        api_key: str,
        api_url: str = DEFAULT_API_URL,
        *,
        timeout_seconds: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=api_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
            timeout=timeout_seconds,
            transport=transport,
        )

    async def __aenter__(self) -> DailyClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._http.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        model: type[_Model],
        *,
        params: dict[str, str | int] | None = None,
        body: dict[str, Any] | None = None,
    ) -> _Model:
        try:
            response = await self._http.request(method, path, params=params, json=body)
        except httpx.HTTPError as exc:
            raise DailyError(f"Daily could not be reached for {method} {path}: {exc!r}") from exc
        if response.is_error:
            raise DailyError(
                f"Daily answered {response.status_code} to {method} {path}: {_reason(response)}",
                status_code=response.status_code,
            )
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise DailyError(f"Daily answered {method} {path} with an unexpected body: {exc}") from exc

    # -- rooms -------------------------------------------------------------------------------------

    async def create_room(self, body: dict[str, Any]) -> Room:
        """`POST /rooms`: a new room, named by Daily."""
        return await self._call("POST", "/rooms", Room, body=body)

    async def update_room(self, name: str, body: dict[str, Any]) -> Room:
        """`POST /rooms/{name}`: new settings for an existing room."""
        return await self._call("POST", f"/rooms/{_segment(name)}", Room, body=body)

    async def get_room(self, name: str) -> Room:
        """`GET /rooms/{name}`."""
        return await self._call("GET", f"/rooms/{_segment(name)}", Room)

    async def create_meeting_token(self, properties: dict[str, Any]) -> str:
        """`POST /meeting-tokens`: a signed token carrying `properties` (room, expiry, owner...)."""
        return (await self._call("POST", "/meeting-tokens", MeetingToken, body={"properties": properties})).token

    # -- recordings --------------------------------------------------------------------------------

    async def list_recordings(self, room_name: str) -> list[Recording]:
        """`GET /recordings?room_name=`: the recordings of one room."""
        return (await self._call("GET", "/recordings", RecordingList, params={"room_name": room_name})).data

    async def recording_access_link(self, recording_id: str, *, valid_for_secs: int) -> RecordingAccessLink:
        """`GET /recordings/{id}/access-link`: a temporary download link."""
        path = f"/recordings/{_segment(recording_id)}/access-link"
        return await self._call("GET", path, RecordingAccessLink, params={"valid_for_secs": valid_for_secs})

    # -- transcripts -------------------------------------------------------------------------------

    async def list_transcripts(self, room_id: str) -> list[Transcript]:
        """`GET /transcript?roomId=`: the stored transcripts of one room (by its id, not its name)."""
        return (await self._call("GET", "/transcript", TranscriptList, params={"roomId": room_id})).data

    async def transcript_access_link(self, transcript_id: str) -> str:
        """`GET /transcript/{id}/access-link`: a temporary download link."""
        path = f"/transcript/{_segment(transcript_id)}/access-link"
        return (await self._call("GET", path, TranscriptAccessLink)).link

    # -- meetings ----------------------------------------------------------------------------------

    async def list_meetings(self, room_name: str) -> list[Meeting]:
        """`GET /meetings?room=`: the meeting sessions held in one room, with their participants."""
        return (await self._call("GET", "/meetings", MeetingList, params={"room": room_name})).data


def _reason(response: httpx.Response) -> str:
    """Daily's `{"error": ..., "info": ...}`, or the start of whatever else it sent."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or response.reason_phrase
    if isinstance(body, dict) and (body.get("error") or body.get("info")):
        return " - ".join(str(body[key]) for key in ("error", "info") if body.get(key))
    return response.text[:200]
