"""A real HTTP server on 127.0.0.1 answering like Daily's REST API, for Cal Video tests.

It keeps rooms, meeting tokens, recordings, transcripts and meetings in memory, answers Daily's
documented shapes (https://docs.daily.co/reference/rest-api) and records every request. A request
without `Authorization: Bearer <api_key>` is answered 401, as Daily does; `fail(prefix)` makes every
request whose path starts with the prefix answer 500.

    async with DailyServer("key") as daily:
        settings = settings.model_copy(update={"daily_api_key": "key", "daily_api_url": daily.url})
        daily.add_recording("room-1", recording_id="rec-1", start_ts=1_700_000_000, duration=120)
        ... daily.requests ...
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from loopback import LoopbackServer, RawRequest

ROOM_DOMAIN = "https://opencal-tests.daily.co"


@dataclass(frozen=True)
class DailyRequest:
    method: str
    path: str  # without the query
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class _State:
    rooms: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: list[dict[str, Any]] = field(default_factory=list)
    recordings: list[dict[str, Any]] = field(default_factory=list)
    transcripts: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)


class DailyServer(LoopbackServer):
    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.requests: list[DailyRequest] = []
        self.state = _State()
        self.failing: set[str] = set()

    @property
    def url(self) -> str:
        return f"{self.base_url}/v1"

    # -- test data ---------------------------------------------------------------------------------

    def fail(self, path_prefix: str) -> None:
        """Requests to paths starting with `path_prefix` (after /v1) answer 500 from now on."""
        self.failing.add(path_prefix)

    def room(self, name: str) -> dict[str, Any]:
        return self.state.rooms[name]

    def add_recording(self, room_name: str, **fields: Any) -> dict[str, Any]:
        recording = {
            "id": fields.pop("recording_id"),
            "room_name": room_name,
            "start_ts": fields.pop("start_ts", 1_700_000_000),
            "status": fields.pop("status", "finished"),
            "max_participants": fields.pop("max_participants", 2),
            "duration": fields.pop("duration", 60),
            "share_token": fields.pop("share_token", "shareTok"),
            "s3key": "domain/room/1700000000",
            "mtgSessionId": "session-of-recording",
            "tracks": [],
            **fields,
        }
        if recording["max_participants"] is None:
            del recording["max_participants"]
        self.state.recordings.append(recording)
        return recording

    def add_transcript(self, room_name: str, transcript_id: str) -> None:
        self.state.transcripts.append(
            {
                "transcriptId": transcript_id,
                "domainId": "domain-1",
                "roomId": self.room(room_name)["id"],
                "mtgSessionId": f"session-{transcript_id}",
                "duration": 300,
                "status": "t_finished",
                "isVttAvailable": True,
            }
        )

    def add_meeting(self, room_name: str, meeting_id: str, participants: list[dict[str, Any]], **fields: Any) -> None:
        self.state.meetings.append(
            {
                "id": meeting_id,
                "room": room_name,
                "start_time": fields.get("start_time", 1_700_000_100),
                "duration": fields.get("duration", 900),
                "ongoing": fields.get("ongoing", False),
                "max_participants": fields.get("max_participants", len(participants)),
                "participants": participants,
            }
        )

    def made(self, method: str, path: str) -> list[DailyRequest]:
        return [r for r in self.requests if (r.method, r.path) == (method, path)]

    # -- the API -----------------------------------------------------------------------------------

    def _answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        state = self.state
        parts = [unquote(part) for part in path.strip("/").split("/")]
        if method == "POST" and parts == ["rooms"]:
            number = len(state.rooms) + 1
            name = f"room{number:04d}"
            room = {
                "id": f"00000000-0000-4000-8000-{number:012d}",
                "name": name,
                "api_created": True,
                "privacy": body.get("privacy", "public"),
                "url": f"{ROOM_DOMAIN}/{name}",
                "created_at": "2050-09-01T10:00:00.000Z",
                "config": dict(body.get("properties", {})),
            }
            state.rooms[name] = room
            return 200, room
        if len(parts) == 2 and parts[0] == "rooms":
            existing = state.rooms.get(parts[1])
            if existing is None:
                return 404, {"error": "not-found", "info": f"room {parts[1]} was not found"}
            if method == "POST":
                existing["privacy"] = body.get("privacy", existing["privacy"])
                existing["config"] = {**existing["config"], **body.get("properties", {})}
            return 200, existing
        if method == "POST" and parts == ["meeting-tokens"]:
            state.tokens.append(body["properties"])
            return 200, {"token": f"owner-token-{len(state.tokens)}"}
        if method == "GET" and parts == ["recordings"]:
            found = [r for r in state.recordings if r["room_name"] == query.get("room_name")]
            return 200, {"total_count": len(found), "data": found}
        if method == "GET" and len(parts) == 3 and parts[0] == "recordings" and parts[2] == "access-link":
            if not any(r["id"] == parts[1] for r in state.recordings):
                return 404, {"error": "not-found", "info": f"recording {parts[1]} was not found"}
            return 200, {"download_link": f"https://download.example/{parts[1]}.mp4", "expires": 1_700_043_200}
        if method == "GET" and parts == ["transcript"]:
            found = [t for t in state.transcripts if t["roomId"] == query.get("roomId")]
            return 200, {"total_count": len(found), "data": found}
        if method == "GET" and len(parts) == 3 and parts[0] == "transcript" and parts[2] == "access-link":
            return 200, {"transcriptId": parts[1], "link": f"https://download.example/{parts[1]}.vtt"}
        if method == "GET" and parts == ["meetings"]:
            found = [m for m in state.meetings if m["room"] == query.get("room")]
            return 200, {"total_count": len(found), "data": found}
        return 404, {"error": "not-found", "info": f"{method} {path} is not an endpoint"}

    def _respond(self, request: DailyRequest) -> tuple[int, Any]:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {"error": "authentication-error", "info": "Invalid API key"}
        if not request.path.startswith("/v1/"):
            return 404, {"error": "not-found", "info": request.path}
        path = request.path[len("/v1") :]
        if any(path.startswith(prefix) for prefix in self.failing):
            return 500, {"error": "server-error", "info": "Daily is having a bad day"}
        return self._answer(request.method, path, request.query, request.json() if request.body else {})

    async def respond(self, raw: RawRequest) -> tuple[int, bytes]:
        split = urlsplit(raw.target)
        query = {key: values[-1] for key, values in parse_qs(split.query).items()}
        request = DailyRequest(raw.method, split.path, query, raw.headers, raw.body)
        self.requests.append(request)
        status, answer = self._respond(request)
        return status, json.dumps(answer).encode()
