"""Business hours and holidays: pure calculation, no database (used by routing, bot, tickets, WFM).

A `Schedule` holds weekly opening hours in the tenant's time zone (minutes from local midnight,
`[start, end)`, `end` may be 1440), holidays (closed all day) and make-up working days (调休:
a weekend day worked to compensate a holiday; it opens with the hours of `makeup_weekday`,
Monday by default, unless it names its own). Every function takes and returns aware datetimes;
results are in UTC. DST gaps and overlaps follow `zoneinfo` wall-clock arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Hours = tuple[tuple[int, int], ...]
DAY_MINUTES = 24 * 60
HORIZON_DAYS = 400  # how far next_open / add_business_seconds look before giving up


@dataclass(frozen=True)
class Schedule:
    timezone: str = "Asia/Shanghai"
    weekly: Mapping[int, Hours] = field(default_factory=dict)  # weekday (Mon=0) -> intervals
    holidays: frozenset[date] = frozenset()
    makeup_days: Mapping[date, Hours | None] = field(default_factory=dict)  # None: weekday hours
    makeup_weekday: int = 0

    def hours_on(self, day: date) -> Hours:
        """Opening intervals of a local calendar day (holidays win over make-up days)."""
        if day in self.holidays:
            return ()
        if day in self.makeup_days:
            own = self.makeup_days[day]
            return own if own else tuple(self.weekly.get(self.makeup_weekday, ()))
        return tuple(self.weekly.get(day.weekday(), ()))


ALWAYS_OPEN = Schedule(timezone="UTC", weekly={d: ((0, DAY_MINUTES),) for d in range(7)})


def validate_hours(hours: Hours) -> Hours:
    """Sorted, non-overlapping `[start, end)` minute intervals within a day, or ValueError."""
    clean = sorted((int(s), int(e)) for s, e in hours)
    previous_end = 0
    for start, end in clean:
        if not 0 <= start < end <= DAY_MINUTES or start < previous_end:
            raise ValueError(f"bad interval {start}-{end}")
        previous_end = end
    return tuple(clean)


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    return at


def _local_point(day: date, minute: int, tz: ZoneInfo) -> datetime:
    midnight = datetime.combine(day, time(0), tzinfo=tz)
    return (midnight + timedelta(minutes=minute)).astimezone(UTC)


def _day_intervals(
    schedule: Schedule, day: date, tz: ZoneInfo
) -> Iterator[tuple[datetime, datetime]]:
    for start, end in schedule.hours_on(day):
        yield _local_point(day, start, tz), _local_point(day, end, tz)


def open_intervals(
    schedule: Schedule, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The open periods overlapping `[start, end)`, clipped to it, merged across midnight (UTC)."""
    start, end = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
    tz = ZoneInfo(schedule.timezone)
    day = start.astimezone(tz).date() - timedelta(days=1)
    last_day = end.astimezone(tz).date()
    pending: tuple[datetime, datetime] | None = None
    while day <= last_day:
        for a, b in _day_intervals(schedule, day, tz):
            a, b = max(a, start), min(b, end)
            if a >= b:
                continue
            if pending is not None and a <= pending[1]:
                pending = (pending[0], max(pending[1], b))
                continue
            if pending is not None:
                yield pending
            pending = (a, b)
        day += timedelta(days=1)
    if pending is not None:
        yield pending


def is_open(schedule: Schedule | None, at: datetime) -> bool:
    """Whether the tenant is open at `at` (no schedule: always open)."""
    if schedule is None:
        return True
    at = _aware(at).astimezone(UTC)
    return any(True for _ in open_intervals(schedule, at, at + timedelta(microseconds=1)))


def next_open(schedule: Schedule | None, at: datetime) -> datetime | None:
    """`at` itself when open, else the start of the next open period (None: never, in a year)."""
    if schedule is None:
        return _aware(at)
    at = _aware(at).astimezone(UTC)
    for a, _ in open_intervals(schedule, at, at + timedelta(days=HORIZON_DAYS)):
        return a
    return None


def next_close(schedule: Schedule | None, at: datetime) -> datetime | None:
    """When the open period containing `at` (or the next one) ends; None if it never does."""
    if schedule is None:
        return None
    at = _aware(at).astimezone(UTC)
    horizon = at + timedelta(days=HORIZON_DAYS)
    for _, b in open_intervals(schedule, at, horizon):
        return None if b >= horizon else b
    return None


def business_seconds_between(schedule: Schedule | None, start: datetime, end: datetime) -> float:
    """Open time between two instants, in seconds (0 if `end <= start`). For SLA clocks."""
    if end <= start:
        return 0.0
    if schedule is None:
        return (end - start).total_seconds()
    return sum((b - a).total_seconds() for a, b in open_intervals(schedule, start, end))


def add_business_seconds(
    schedule: Schedule | None, start: datetime, seconds: float
) -> datetime | None:
    """The instant when `seconds` of open time have passed since `start` (an SLA due time).

    None when the schedule does not open that much within the horizon (about a year).
    """
    start = _aware(start).astimezone(UTC)
    if schedule is None:
        return start + timedelta(seconds=seconds)
    left = timedelta(seconds=max(0.0, seconds))
    for a, b in open_intervals(schedule, start, start + timedelta(days=HORIZON_DAYS)):
        if b - a >= left:
            return a + left
        left -= b - a
    return None
