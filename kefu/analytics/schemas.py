"""API shapes of analytics."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


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
