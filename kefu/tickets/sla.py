"""SLA clocks in business time, on the shared business-hours module (`kefu.core.business_hours`):
weekly hours, holidays and make-up working days (调休) in the tenant's time zone.

A calendar is a core `Schedule`, or None for 24/7. A policy uses the tenant's stored business
hours unless it carries its own calendar (`{"weekly": {"mon": [["09:00", "18:00"]]}, ...}`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from kefu.core.business_hours import (
    DAY_MINUTES,
    Hours,
    Schedule,
    add_business_seconds,
    business_seconds_between,
    validate_hours,
)

Calendar = Schedule | None  # None: always open
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minute(text: str) -> int:
    if text in ("24:00", "24:00:00"):
        return DAY_MINUTES
    t = time.fromisoformat(text)
    return t.hour * 60 + t.minute


def _hours(pairs: Sequence[Sequence[str]]) -> Hours:
    """`[["09:00", "12:00"], ["13:00", "18:00"]]` → minute intervals; ValueError when bad."""
    return validate_hours(tuple((_minute(a), _minute(b)) for a, b in pairs))


def schedule_from_json(data: dict[str, Any], timezone: str) -> Calendar:
    """A policy's own calendar: weekly hours, `holidays`, make-up `workdays` opening with
    `makeup` hours (or, without them, the hours of `makeup_weekday`, Monday by default).
    `{"always_open": true}` is 24/7 whatever the tenant's business hours say."""
    if data.get("always_open"):
        return None
    weekly = {WEEKDAYS.index(d): _hours(spans) for d, spans in dict(data["weekly"]).items()}
    makeup = _hours(data["makeup"]) if data.get("makeup") else None
    return Schedule(
        timezone=timezone,
        weekly=weekly,
        holidays=frozenset(date.fromisoformat(d) for d in data.get("holidays", [])),
        makeup_days={date.fromisoformat(d): makeup for d in data.get("workdays", [])},
        makeup_weekday=int(data.get("makeup_weekday", 0)),
    )


def business_seconds(cal: Calendar, start: datetime, end: datetime) -> float:
    """Working seconds in [start, end)."""
    return business_seconds_between(cal, start, end)


def add_business(cal: Calendar, start: datetime, seconds: float) -> datetime | None:
    """When `seconds` of working time after `start` have passed (None: not within a year)."""
    if seconds <= 0:
        return start
    return add_business_seconds(cal, start, seconds)


@dataclass(frozen=True)
class Clock:
    """A pausable SLA clock: seconds consumed so far, and since when it runs (None = paused)."""

    target: float
    warn_percent: int
    consumed: float = 0.0
    running_since: datetime | None = None

    def due(self, cal: Calendar) -> datetime | None:
        if self.running_since is None:
            return None
        return add_business(cal, self.running_since, max(self.target - self.consumed, 0.0))

    def warn(self, cal: Calendar) -> datetime | None:
        if self.running_since is None:
            return None
        left = self.target * self.warn_percent / 100 - self.consumed
        return add_business(cal, self.running_since, max(left, 0.0))

    def pause(self, cal: Calendar, now: datetime) -> Clock:
        if self.running_since is None:
            return self
        spent = business_seconds(cal, self.running_since, now)
        return Clock(self.target, self.warn_percent, self.consumed + spent, None)

    def resume(self, now: datetime) -> Clock:
        if self.running_since is not None:
            return self
        return Clock(self.target, self.warn_percent, self.consumed, now)

    def elapsed(self, cal: Calendar, now: datetime) -> float:
        if self.running_since is None:
            return self.consumed
        return self.consumed + business_seconds(cal, self.running_since, now)
