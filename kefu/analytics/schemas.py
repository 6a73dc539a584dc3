"""API shapes of analytics."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metric(BaseModel):
    key: str
    value: float | None
    previous: float | None
    unit: str  # count | ratio | seconds | score
    definition_en: str
    definition_zh: str


class Summary(BaseModel):
    start: datetime
    end: datetime
    service_level_seconds: int
    metrics: list[Metric]


class SeriesPoint(BaseModel):
    bucket: str
    conversations: int
    messages: int


class HeatCell(BaseModel):
    weekday: int  # 0 = Monday
    hour: int
    conversations: int


class AnsweredQuestion(BaseModel):
    faq_id: str  # the bot's intents are FAQ ids
    question: str
    count: int


class UnansweredQuestion(BaseModel):
    text: str
    count: int


class TopQuestions(BaseModel):
    answered: list[AnsweredQuestion]
    unanswered: list[UnansweredQuestion]


class BreakdownRow(BaseModel):
    key: str | None  # team id, agent id or channel; null = none
    name: str | None
    conversations: int
    messages: int
    queued: int
    service_level: float | None
    abandonment_rate: float | None
    first_response_time: float | None
    handle_time: float | None


class SettingsIO(Strict):
    service_level_seconds: int = Field(ge=1, le=3600)


class OrderDay(Strict):
    day: date
    orders: int = Field(ge=0, le=1_000_000_000)


class OrdersIn(Strict):
    days: list[OrderDay] = Field(min_length=1, max_length=400)


AlertMetric = Literal["waiting", "longest_wait", "service_level"]


class AlertRuleIn(Strict):
    """waiting > N; longest_wait > S seconds; service_level (last 30 min) < X (a share, 0–1)."""

    name: str = Field(min_length=1, max_length=200)
    metric: AlertMetric
    threshold: float = Field(ge=0, le=1_000_000)
    enabled: bool = True


class AlertRulePatch(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    threshold: float | None = Field(default=None, ge=0, le=1_000_000)
    enabled: bool | None = None


class AlertRuleOut(BaseModel):
    id: uuid.UUID
    name: str
    metric: AlertMetric
    threshold: float
    enabled: bool
    firing_since: datetime | None
    last_value: float | None
    created_at: datetime


class LiveOut(BaseModel):
    waiting: int
    longest_wait_seconds: int
    service_level: float | None  # last 30 minutes, outcomes known
    service_level_seconds: int
    service_level_queued: int  # decided conversations behind the ratio
    agents: dict[str, int]  # presence → count of active agents
    alerts: list[AlertRuleOut]  # the rules firing now
    definitions: dict[str, tuple[str, str, str]]
