"""API shapes of workforce management (forecast, staffing, schedules, simulation, intraday)."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Minutes = Literal[15, 30, 60]
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
Model = Literal["auto", "seasonal_naive", "ets", "sarima"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- history ---------------------------------------------------------------------------


class SeriesOut(BaseModel):
    """A days × intervals matrix in the tenant's time zone (missing days are absent)."""

    queue: str
    channel: str | None
    interval_minutes: int
    timezone: str
    days: list[dt.date]
    slots: list[str]  # "09:30": start of each column, local time
    volume: list[list[float]]
    aht_seconds: list[list[float | None]]


class ImportOut(BaseModel):
    rows: int
    queues: list[str]
    first: datetime | None
    last: datetime | None
    replaced: int


class QueuesOut(BaseModel):
    own: list[str]  # team names, "default" (no team) and "all"
    imported: list[str]


# --- events ----------------------------------------------------------------------------


class EventIn(_In):
    name: str = Field(min_length=1, max_length=100)
    date: dt.date
    end: dt.date | None = None  # inclusive; defaults to ``date``
    factor: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _order(self) -> EventIn:
        if self.end is not None and self.end < self.date:
            raise ValueError("end must not be before date")
        return self


class EventOut(BaseModel):
    id: uuid.UUID
    name: str
    date: dt.date
    end: dt.date
    factor: float | None
    created_at: datetime


# --- forecast --------------------------------------------------------------------------


class ForecastIn(_In):
    queue: str = Field(default="all", min_length=1, max_length=100)
    channel: str | None = Field(default=None, max_length=32)
    interval_minutes: Minutes = 30
    days_ahead: int = Field(default=7, ge=1, le=35)
    start: dt.date | None = None  # first forecast day; default: today in the tenant's zone
    history_days: int = Field(default=182, ge=7, le=1100)
    model: Model = "auto"
    events: list[EventIn] = Field(default_factory=list, max_length=100)


class ForecastSummary(BaseModel):
    id: uuid.UUID
    queue: str
    channel: str | None
    interval_minutes: int
    model: str
    first_day: dt.date
    last_day: dt.date
    created_at: datetime


class ForecastOut(ForecastSummary):
    """``result``: ``days``, ``slots``, ``volume`` (days × slots), ``lower``/``upper``
    (80 % band, or null), ``aht_seconds``, ``selection``, ``report`` and ``history``."""

    result: dict[str, Any]


class RequirementRow(BaseModel):
    day: dt.date
    slot: str
    volume: float
    aht_seconds: float
    agents: int
    scheduled_agents: int
    service_level: float
    asa_seconds: float | None
    occupancy: float
    p_wait: float
    p_abandon: float


class RequirementOut(BaseModel):
    forecast_id: uuid.UUID
    model: Literal["erlang_c", "erlang_a"]
    interval_minutes: int
    rows: list[RequirementRow]


# --- staffing --------------------------------------------------------------------------


class StaffingIn(_In):
    calls: float = Field(ge=0, le=1_000_000)
    interval_seconds: float = Field(default=1800, gt=0, le=86_400)
    aht: float = Field(gt=0, le=86_400)
    target_sl: float = Field(default=0.8, ge=0, lt=1)
    target_time: float = Field(default=20, ge=0, le=86_400)
    patience: float | None = Field(default=None, gt=0, le=86_400)
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    max_occupancy: float = Field(default=1.0, gt=0, le=1)
    agents: int | None = Field(default=None, ge=0, le=100_000)  # evaluate this many instead


class StaffingOut(BaseModel):
    model: Literal["erlang_c", "erlang_a"]
    traffic_erlangs: float
    agents: int
    scheduled_agents: int
    service_level: float
    asa_seconds: float | None  # null when the queue is unstable (Erlang C, agents ≤ traffic)
    occupancy: float
    p_wait: float
    p_abandon: float


# --- shift templates and schedules -----------------------------------------------------


class ShiftTemplateIn(_In):
    name: str = Field(min_length=1, max_length=100)
    length_minutes: int = Field(ge=15, le=1440)
    earliest_start: str = Field(pattern=HHMM)
    latest_start: str = Field(pattern=HHMM)
    start_step_minutes: int = Field(default=30, ge=5, le=1440)
    break_minutes: int = Field(default=0, ge=0, le=240)
    break_after_minutes: tuple[int, int] = (0, 0)

    @model_validator(mode="after")
    def _check(self) -> ShiftTemplateIn:
        lo, hi = self.break_after_minutes
        if self.latest_start < self.earliest_start:
            raise ValueError("latest_start must not be before earliest_start")
        if self.break_minutes and not (0 <= lo <= hi <= self.length_minutes - self.break_minutes):
            raise ValueError("the break must fit inside the shift")
        return self


class ShiftTemplateOut(ShiftTemplateIn):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    created_at: datetime


class TargetIn(_In):
    target_sl: float = Field(default=0.8, ge=0, lt=1)
    target_time: float = Field(default=20, ge=0, le=86_400)
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    max_occupancy: float = Field(default=1.0, gt=0, le=1)
    patience: float | None = Field(default=None, gt=0, le=86_400)
    aht: float | None = Field(default=None, gt=0, le=86_400)  # overrides the forecast's AHT


class DayOff(_In):
    agent_id: uuid.UUID
    date: dt.date


class ScheduleIn(TargetIn):
    forecast_id: uuid.UUID
    extra_forecast_ids: list[uuid.UUID] = Field(default_factory=list, max_length=9)  # more queues
    week_start: dt.date
    templates: list[uuid.UUID] = Field(min_length=1, max_length=20)
    agents: list[uuid.UUID] = Field(min_length=1, max_length=500)
    unavailable: list[DayOff] = Field(default_factory=list, max_length=3500)  # leave, rest days
    max_shifts: int = Field(default=5, ge=1, le=7)
    time_limit_seconds: float = Field(default=10, gt=0, le=120)

    @model_validator(mode="after")
    def _days_off(self) -> ScheduleIn:
        for off in self.unavailable:
            if off.agent_id not in self.agents:
                raise ValueError("unavailable names an agent that is not in agents")
        return self

    def forecast_ids(self) -> list[uuid.UUID]:
        return list(dict.fromkeys([self.forecast_id, *self.extra_forecast_ids]))

    def days_off(self) -> dict[uuid.UUID, frozenset[int]]:
        """Per agent, the days of the week (0 = week_start) it cannot work."""
        out: dict[uuid.UUID, set[int]] = {}
        for off in self.unavailable:
            d = (off.date - self.week_start).days
            if 0 <= d < 7:
                out.setdefault(off.agent_id, set()).add(d)
        return {k: frozenset(v) for k, v in out.items()}


class ScheduleSummary(BaseModel):
    id: uuid.UUID
    forecast_id: uuid.UUID
    week_start: dt.date
    interval_minutes: int
    optimal: bool
    cost: float
    created_at: datetime


class ScheduleOut(ScheduleSummary):
    """``result``: ``assignments`` (agent_id, agent, day, date, template, start, end,
    break_start, break_end as local times), ``coverage`` (columns per interval of the week:
    labels, required, scheduled, under, over; all queues together), ``totals``, ``queues``
    (per queue: required, volume, aht_seconds per interval) and ``groups`` (agents on duty per
    interval, one group per set of queues served: skills, staff)."""

    result: dict[str, Any]


# --- simulation ------------------------------------------------------------------------


class ScenarioIn(_In):
    name: str = Field(min_length=1, max_length=100)
    volume_factor: float = Field(default=1.0, ge=0, le=100)
    bot_containment_delta: float = Field(default=0.0, ge=-1, le=1)
    aht_factor: float = Field(default=1.0, gt=0, le=100)
    staff_delta: int = Field(default=0, ge=-10_000, le=10_000)
    first_interval: int = Field(default=0, ge=0)
    last_interval: int | None = Field(default=None, ge=0)


class StaffingSeriesIn(_In):
    calls: list[float] = Field(min_length=1, max_length=2016)
    agents: list[int] = Field(min_length=1, max_length=2016)
    interval_seconds: float = Field(default=1800, gt=0, le=86_400)
    aht: float = Field(gt=0, le=86_400)

    @model_validator(mode="after")
    def _same_length(self) -> StaffingSeriesIn:
        if len(self.calls) != len(self.agents):
            raise ValueError("calls and agents need one value per interval each")
        if min(self.calls) < 0 or min(self.agents) < 0:
            raise ValueError("calls and agents must be >= 0")
        return self


class SimulationIn(_In):
    schedule_id: uuid.UUID | None = None
    staffing: StaffingSeriesIn | None = None
    scenarios: list[ScenarioIn] = Field(default_factory=list, max_length=10)
    patience: float = Field(default=300, gt=0, le=86_400)
    aht: float | None = Field(default=None, gt=0, le=86_400)  # schedule mode: overrides
    bot_containment: float = Field(default=0.0, ge=0, le=1)
    capacity: int = Field(default=1, ge=1, le=20)  # contacts an agent handles at once (chat)
    target_sl: float = Field(default=0.8, ge=0, lt=1)
    target_time: float = Field(default=20, ge=0, le=86_400)
    replications: int = Field(default=3, ge=1, le=50)
    seed: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _one_source(self) -> SimulationIn:
        if (self.schedule_id is None) == (self.staffing is None):
            raise ValueError("give either schedule_id or staffing")
        return self


class SimTotals(BaseModel):
    offered: float
    contained: float
    queued: float
    answered: float
    abandoned: float
    service_level: float
    asa_seconds: float
    abandon_rate: float
    occupancy: float


class SimIntervals(BaseModel):
    """Columns, one value per interval (averaged over replications where counts)."""

    labels: list[str]
    offered: list[float]
    service_level: list[float]
    asa_seconds: list[float]
    abandon_rate: list[float]
    occupancy: list[float]
    agents: list[int]


class ScenarioOut(BaseModel):
    name: str
    totals: SimTotals
    intervals: SimIntervals
    bottlenecks: list[str]  # interval labels below the target, worst first
    bottleneck_intervals: list[int]


class SimulationOut(BaseModel):
    interval_minutes: int
    replications: int
    scenarios: list[ScenarioOut]  # the base case first


# --- intraday --------------------------------------------------------------------------


class IntradayOut(BaseModel):
    queue: str
    date: dt.date
    forecast_id: uuid.UUID
    slots: list[str]
    forecast: list[float]
    actual: list[float | None]  # null for intervals not yet over
    reforecast: list[float | None]  # the rest of the day, rescaled; null for past intervals
    elapsed: int
    actual_so_far: float
    forecast_so_far: float
    deviation: float
    threshold: float
    alert: bool
    interval_alerts: list[str]
    outside_slots: float  # contacts today in intervals the forecast has no column for
