"""API shapes of presence, routing settings and rules, queues, transfer and business hours."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kefu.conversations.schemas import ConversationOut, Status
from kefu.routing.presence import PresenceStatus

Strategy = Literal["round_robin", "least_busy"]
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PresenceIn(Strict):
    status: PresenceStatus


class PresenceOut(BaseModel):
    user_id: uuid.UUID
    name: str
    status: PresenceStatus
    since: datetime | None
    auto: bool
    connected: bool
    load: int
    capacity: int


class RoutingSettingsIn(Strict):
    auto_assign: bool = True
    strategy: Strategy = "least_busy"
    match_skills: bool = True
    match_language: bool = True
    vip_tags: list[str] = Field(default_factory=list, max_length=50)
    vip_priority: int = Field(default=10, ge=0, le=1000)
    prioritise_negative: bool = False
    negative_priority: int = Field(default=20, ge=0, le=1000)
    sticky: bool = True
    overflow_after_seconds: int | None = Field(default=None, ge=1, le=7 * 24 * 3600)
    overflow_team_id: uuid.UUID | None = None
    presence_grace_seconds: int = Field(default=60, ge=0, le=24 * 3600)
    contact_grace_seconds: int = Field(default=60, ge=0, le=24 * 3600)
    first_response_seconds: int = Field(default=300, ge=0, le=7 * 24 * 3600)


class RoutingSettingsOut(RoutingSettingsIn):
    model_config = ConfigDict(from_attributes=True)


class TeamRoutingIn(Strict):
    strategy: Strategy | None = None
    overflow_after_seconds: int | None = Field(default=None, ge=1, le=7 * 24 * 3600)
    overflow_team_id: uuid.UUID | None = None


class TeamRoutingOut(TeamRoutingIn):
    model_config = ConfigDict(from_attributes=True)

    team_id: uuid.UUID


class RuleIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    position: int = Field(default=0, ge=0, le=10_000)
    enabled: bool = True
    inbox_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    languages: list[str] = Field(default_factory=list, max_length=20)
    tags: list[str] = Field(default_factory=list, max_length=50)
    intents: list[str] = Field(default_factory=list, max_length=100)
    handoff_reasons: list[str] = Field(default_factory=list, max_length=20)
    team_id: uuid.UUID | None = None
    required_skills: list[str] = Field(default_factory=list, max_length=50)
    priority: int = Field(default=0, ge=-1000, le=1000)


class RuleOut(RuleIn):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID


class QueueOut(BaseModel):
    team_id: uuid.UUID | None
    team_name: str | None
    waiting: int
    longest_wait_seconds: int
    online_agents: int


class TransferIn(Strict):
    agent_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def one_target(self) -> TransferIn:
        if (self.agent_id is None) == (self.team_id is None):
            raise ValueError("give exactly one of agent_id and team_id")
        return self


class BulkAssignIn(TransferIn):
    conversation_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class BotTurnOut(BaseModel):
    outcome: str
    faq_id: str | None
    question: str | None
    score: float
    language: str
    sentiment: float
    handoff_reason: str | None
    created_at: datetime


class TranscriptLine(BaseModel):
    seq: int
    sender_type: str
    body: str
    created_at: datetime


class HandoffContextOut(BaseModel):
    conversation_id: uuid.UUID
    handoff_reason: str | None
    language: str | None
    intents: list[str]
    turns: list[BotTurnOut]
    transcript: list[TranscriptLine]


class QueuePositionOut(BaseModel):
    conversation_id: uuid.UUID | None
    status: Status | None
    position: int | None
    estimated_wait_seconds: int | None


class LeaveOut(BaseModel):
    conversation_id: uuid.UUID | None
    status: Status | None
    waited_seconds: int | None


class Interval(Strict):
    start: str
    end: str

    @field_validator("start", "end")
    @classmethod
    def hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("use HH:MM")
        return value


class SpecialDay(Strict):
    date: date
    name: str = Field(default="", max_length=200)
    hours: list[Interval] | None = Field(default=None, max_length=10)


class BusinessHoursIn(Strict):
    enabled: bool = False
    weekly: dict[int, list[Interval]] = Field(default_factory=dict)
    holidays: list[SpecialDay] = Field(default_factory=list, max_length=500)
    workdays: list[SpecialDay] = Field(default_factory=list, max_length=500)
    makeup_weekday: int = Field(default=0, ge=0, le=6)
    off_hours_message: dict[Literal["en", "zh-CN"], str] = Field(default_factory=dict)

    @field_validator("weekly")
    @classmethod
    def weekdays(cls, value: dict[int, list[Interval]]) -> dict[int, list[Interval]]:
        if any(not 0 <= k <= 6 for k in value):
            raise ValueError("weekdays are 0 (Monday) to 6 (Sunday)")
        return value


class BusinessHoursOut(BusinessHoursIn):
    timezone: str
    open_now: bool
    next_open: datetime | None


__all__ = ["ConversationOut"]
