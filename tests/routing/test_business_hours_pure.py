"""The pure business-hours calculation: weekly hours, holidays, 调休, time zones, SLA arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.core.business_hours import (
    ALWAYS_OPEN,
    Schedule,
    add_business_seconds,
    business_seconds_between,
    is_open,
    next_close,
    next_open,
    open_intervals,
    validate_hours,
)

SH = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = ((9 * 60, 18 * 60),)
WEEKDAYS = {d: NINE_TO_SIX for d in range(5)}
# 2026-10-01 (Thu) .. 10-07 National Day holiday; Sun 09-27 and Sat 10-10 are make-up workdays
GOLDEN_WEEK = frozenset(date(2026, 10, d) for d in range(1, 8))
MAKEUP = {date(2026, 9, 27): None, date(2026, 10, 10): ((10 * 60, 16 * 60),)}
CN = Schedule("Asia/Shanghai", WEEKDAYS, GOLDEN_WEEK, MAKEUP)


def local(*args: int, tz: ZoneInfo = SH) -> datetime:
    return datetime(*args, tzinfo=tz)  # type: ignore[misc]


def test_weekly_hours_in_the_tenant_time_zone() -> None:
    monday = local(2026, 9, 21, 10, 0)
    assert is_open(CN, monday)
    assert is_open(CN, monday.astimezone(UTC)), "the instant matters, not its zone"
    assert not is_open(CN, local(2026, 9, 21, 8, 59))
    assert is_open(CN, local(2026, 9, 21, 9, 0)), "start is inclusive"
    assert not is_open(CN, local(2026, 9, 21, 18, 0)), "end is exclusive"
    assert not is_open(CN, local(2026, 9, 26, 12, 0)), "Saturday"
    # 02:00 UTC is 10:00 in Shanghai: open; the same wall time in New York is not
    ny = Schedule("America/New_York", WEEKDAYS)
    at = datetime(2026, 9, 21, 2, 0, tzinfo=UTC)
    assert is_open(CN, at) and not is_open(ny, at)


def test_holidays_close_and_makeup_days_open() -> None:
    assert not is_open(CN, local(2026, 10, 1, 10, 0)), "National Day"
    assert not is_open(CN, local(2026, 10, 5, 10, 0)), "a Monday inside the holiday"
    assert is_open(CN, local(2026, 9, 27, 10, 0)), "调休 Sunday works Monday hours"
    assert not is_open(CN, local(2026, 9, 27, 18, 30))
    assert is_open(CN, local(2026, 10, 10, 15, 0)), "调休 Saturday with its own hours"
    assert not is_open(CN, local(2026, 10, 10, 9, 30))
    both = Schedule("Asia/Shanghai", WEEKDAYS, frozenset({date(2026, 9, 27)}), MAKEUP)
    assert not is_open(both, local(2026, 9, 27, 10, 0)), "a holiday wins over a make-up day"


def test_next_open_and_next_close() -> None:
    # Wednesday 30 Sep 19:00 → the holiday week → the next opening is Thu 8 Oct 09:00
    assert next_open(CN, local(2026, 9, 30, 19, 0)) == local(2026, 10, 8, 9, 0)
    inside = local(2026, 9, 30, 11, 0)
    assert next_open(CN, inside) == inside
    assert next_close(CN, inside) == local(2026, 9, 30, 18, 0)
    assert next_open(Schedule("UTC"), inside) is None, "never open"
    assert next_open(None, inside) == inside and is_open(None, inside)
    assert next_close(ALWAYS_OPEN, inside) is None


def test_round_the_clock_intervals_merge_across_midnight() -> None:
    spans = list(open_intervals(ALWAYS_OPEN, local(2026, 9, 21, 22, 0), local(2026, 9, 23, 2, 0)))
    assert spans == [(local(2026, 9, 21, 22, 0), local(2026, 9, 23, 2, 0))]
    night = Schedule("UTC", {0: ((22 * 60, 1440),), 1: ((0, 6 * 60),)})
    monday = datetime(2026, 9, 21, 23, 0, tzinfo=UTC)
    assert next_close(night, monday) == datetime(2026, 9, 22, 6, 0, tzinfo=UTC)


def test_business_seconds_for_sla_clocks() -> None:
    # Friday 25 Sep 17:00 → Tuesday 29 Sep 10:00: Fri 1 h + Sun (调休) 9 h + Mon 9 h + Tue 1 h
    start, end = local(2026, 9, 25, 17, 0), local(2026, 9, 29, 10, 0)
    assert business_seconds_between(CN, start, end) == 20 * 3600
    assert business_seconds_between(CN, end, start) == 0
    assert add_business_seconds(CN, start, 20 * 3600) == end
    # a 4-hour SLA opened on the eve of the holiday falls due after it
    due = add_business_seconds(CN, local(2026, 9, 30, 16, 0), 4 * 3600)
    assert due == local(2026, 10, 8, 11, 0)
    assert add_business_seconds(None, start, 60) == start + timedelta(seconds=60)
    assert add_business_seconds(Schedule("UTC"), start, 60) is None


def test_daylight_saving_days_have_their_real_length() -> None:
    ny = Schedule("America/New_York", {6: ((0, 1440),)})
    spring = datetime(2026, 3, 8, tzinfo=ZoneInfo("America/New_York"))  # a 23-hour Sunday
    total = business_seconds_between(ny, spring - timedelta(hours=1), spring + timedelta(days=2))
    assert total == 23 * 3600


def test_validate_hours() -> None:
    assert validate_hours(((600, 720), (540, 600))) == ((540, 600), (600, 720))
    for bad in (((600, 540),), ((0, 1441),), ((540, 700), (600, 720))):
        with pytest.raises(ValueError):
            validate_hours(bad)
