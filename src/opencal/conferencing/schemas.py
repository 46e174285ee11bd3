"""Outputs of a booking's Cal Video recordings, transcripts and meeting sessions, named and shaped as
the official components."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from opencal.core.envelope import CalModel

Status = Literal["success", "error"]


class RecordingItem(CalModel):
    id: str = Field(examples=["1234567890"])
    roomName: str = Field(examples=["daily-video-room-123"])
    startTs: float = Field(examples=[1678901234])
    status: str = Field(examples=["completed"])
    maxParticipants: float | None = Field(default=None, examples=[10])
    duration: float = Field(examples=[3600])
    shareToken: str = Field(examples=["share-token-123"])
    downloadLink: str | None = Field(
        default=None, examples=["https://cal-video-recordings.s3.us-east-2.amazonaws.com/meetco/123s"]
    )
    error: str | None = Field(default=None, examples=["Error message"])


class GetBookingRecordingsOutput(CalModel):
    status: Status = Field(examples=["success"])
    error: dict[str, Any] | None = None
    data: list[RecordingItem]


class GetBookingTranscriptsOutput(CalModel):
    status: Status = Field(examples=["success"])
    data: list[str] = Field(examples=[["https://transcript1.com", "https://transcript2.com"]])
    error: dict[str, Any] | None = None


class CalMeetingParticipant(CalModel):
    userId: str | None = Field(examples=["user123"])
    userName: str | None = Field(examples=["John Doe"])
    joinTime: float = Field(examples=[1678901234])
    duration: float = Field(examples=[3600])


class CalMeetingSession(CalModel):
    id: str = Field(examples=["session123"])
    room: str = Field(examples=["daily-video-room-123"])
    startTime: float = Field(examples=[1678901234])
    duration: float = Field(examples=[3600])
    ongoing: bool = Field(examples=[False])
    maxParticipants: float = Field(examples=[10])
    participants: list[CalMeetingParticipant]


class GetBookingVideoSessionsOutput(CalModel):
    status: Status = Field(examples=["success"])
    data: list[CalMeetingSession]
    error: dict[str, Any] | None = None
