"""SLA arithmetic in business time: a weekly schedule, holidays and make-up working days (调休).

Pure functions over a small `Calendar` protocol, so that the shared business-hours module of
`kefu.core` can stand behind it once it lands (see docs/tickets.md). All datetimes are aware;
the calendar's time zone (the tenant's) decides what "Monday 09:00" means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

Interval = tuple[time, time]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 3 * 366  # a target that cannot be met within three years is a configuration error


class Calendar(Protocol):
    """What SLA arithmetic needs from business hours."""

    @property
    def tz(self) -> ZoneInfo: ...

    def intervals_on(self, day: date) -> Sequence[Interval]:
        """A local date's working intervals, sorted, disjoint; `time.max` as end means 24:00."""
        ...


@dataclass(frozen=True)
class AlwaysOpen:
    """24/7: every second counts."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    def intervals_on(self, day: date) -> Sequence[Interval]:
        return ((time(0), time.max),)


@dataclass(frozen=True)
class WeeklySchedule:
    """Weekly hours plus holidays (closed) and make-up working days (调休, open with `makeup`)."""

    tz: ZoneInfo
    weekly: dict[int, tuple[Interval, ...]]
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    makeup: tuple[Interval, ...] = ((time(9), time(18)),)

    def intervals_on(self, day: date) -> Sequence[Interval]:
        if day in self.holidays:
            return ()
        if day in self.workdays:
            return self.weekly.get(day.weekday()) or self.makeup
        return self.weekly.get(day.weekday(), ())

    @classmethod
    def from_json(cls, data: dict[str, Any], tz: str) -> WeeklySchedule:
        """`{"weekly": {"mon": [["09:00", "18:00"]]}, "holidays": [..], "workdays": [..]}`."""
        weekly = {
            WEEKDAYS.index(name): tuple(_interval(pair) for pair in spans)
            for name, spans in dict(data.get("weekly", {})).items()
        }
        makeup = tuple(_interval(p) for p in data.get("makeup", [])) or ((time(9), time(18)),)
        return cls(
            tz=ZoneInfo(tz),
            weekly=weekly,
            holidays=frozenset(date.fromisoformat(d) for d in data.get("holidays", [])),
            workdays=frozenset(date.fromisoformat(d) for d in data.get("workdays", [])),
            makeup=makeup,
        )


def parse_time(text: str) -> time:
    return time.max if text in ("24:00", "24:00:00") else time.fromisoformat(text)


def _interval(pair: Sequence[str]) -> Interval:
    start, end = parse_time(pair[0]), parse_time(pair[1])
    if end <= start:
        raise ValueError(f"interval {pair[0]}-{pair[1]} is empty")
    return start, end


def _spans(cal: Calendar, day: date) -> list[tuple[datetime, datetime]]:
    """The day's working intervals as aware UTC datetimes."""
    out = []
    for start, end in cal.intervals_on(day):
        a = datetime.combine(day, start, cal.tz)
        b = (
            datetime.combine(day + timedelta(days=1), time(0), cal.tz)
            if end == time.max
            else datetime.combine(day, end, cal.tz)
        )
        out.append((a.astimezone(UTC), b.astimezone(UTC)))
    return out


def business_seconds(cal: Calendar, start: datetime, end: datetime) -> float:
    """Working seconds in [start, end)."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(cal.tz).date() - timedelta(days=1)
    last = end.astimezone(cal.tz).date()
    while day <= last:
        for a, b in _spans(cal, day):
            lo, hi = max(a, start), min(b, end)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total


def add_business(cal: Calendar, start: datetime, seconds: float) -> datetime:
    """The moment `seconds` of working time after `start` have passed."""
    if seconds <= 0:
        return start
    remaining = seconds
    day = start.astimezone(cal.tz).date() - timedelta(days=1)
    for _ in range(MAX_DAYS):
        for a, b in _spans(cal, day):
            lo = max(a, start)
            if b <= lo:
                continue
            available = (b - lo).total_seconds()
            if available >= remaining:
                return lo + timedelta(seconds=remaining)
            remaining -= available
        day += timedelta(days=1)
    raise ValueError("the calendar has no working time for this target")


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
