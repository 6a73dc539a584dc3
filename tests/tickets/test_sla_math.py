"""SLA arithmetic in business time: hours, weekends, holidays, 调休 make-up days, pauses, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.core.business_hours import Schedule
from kefu.tickets.sla import Clock, add_business, business_seconds, schedule_from_json

SH = ZoneInfo("Asia/Shanghai")
HOUR = 3600.0


def shanghai(*args: int) -> datetime:
    return datetime(*args, tzinfo=SH)  # type: ignore[misc]


@pytest.fixture
def cal() -> Schedule | None:
    """Mon–Fri 09:00–12:00 and 13:00–18:00 (8 h); 2026 National Day holiday Oct 1–8,
    with make-up working days on Sunday Sep 27 and Saturday Oct 10 (调休)."""
    day = [["09:00", "12:00"], ["13:00", "18:00"]]
    return schedule_from_json(
        {
            "weekly": {d: day for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": [f"2026-10-0{d}" for d in range(1, 9)],
            "workdays": ["2026-09-27", "2026-10-10"],
        },
        "Asia/Shanghai",
    )


def test_within_one_day_skips_lunch(cal: Schedule | None) -> None:
    start = shanghai(2026, 11, 23, 10, 0)  # Monday
    assert add_business(cal, start, 3 * HOUR) == shanghai(2026, 11, 23, 14, 0)
    assert business_seconds(cal, start, shanghai(2026, 11, 23, 14, 0)) == 3 * HOUR


def test_outside_hours_starts_at_next_opening(cal: Schedule | None) -> None:
    evening = shanghai(2026, 11, 23, 20, 0)
    assert add_business(cal, evening, HOUR) == shanghai(2026, 11, 24, 10, 0)
    assert business_seconds(cal, evening, shanghai(2026, 11, 24, 9, 0)) == 0


def test_weekend_is_skipped(cal: Schedule | None) -> None:
    friday = shanghai(2026, 11, 27, 17, 0)
    assert add_business(cal, friday, 2 * HOUR) == shanghai(2026, 11, 30, 10, 0)
    assert business_seconds(cal, friday, shanghai(2026, 11, 30, 10, 0)) == 2 * HOUR


def test_holidays_and_makeup_days(cal: Schedule | None) -> None:
    # Wed Sep 30 17:00 + 5 h: Oct 1–8 are holidays; Oct 9 (Fri) is the next working day
    assert add_business(cal, shanghai(2026, 9, 30, 17, 0), 5 * HOUR) == shanghai(2026, 10, 9, 14, 0)
    # Fri Oct 9 17:00 + 2 h: Saturday Oct 10 is a make-up working day
    assert add_business(cal, shanghai(2026, 10, 9, 17, 0), 2 * HOUR) == shanghai(
        2026, 10, 10, 10, 0
    )
    # Sunday Sep 27 counts in full (8 h), Saturday Sep 26 not at all
    assert business_seconds(cal, shanghai(2026, 9, 26, 0), shanghai(2026, 9, 28, 0)) == 8 * HOUR


def test_always_open_is_wall_clock() -> None:
    start = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)
    assert add_business(None, start, HOUR) == start + timedelta(hours=1)
    assert schedule_from_json({"always_open": True, "weekly": {}}, "UTC") is None


def test_dst_day_counts_real_seconds() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    every_day = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    cal = schedule_from_json({"weekly": every_day}, "Europe/Berlin")
    start = datetime(2026, 3, 29, 0, 0, tzinfo=berlin)  # clocks jump 02:00 → 03:00
    assert business_seconds(cal, start, datetime(2026, 3, 30, 0, 0, tzinfo=berlin)) == 23 * HOUR


def test_from_json_and_bad_interval() -> None:
    cal = schedule_from_json(
        {"weekly": {"mon": [["09:00", "18:00"]]}, "holidays": ["2026-11-30"]}, "Asia/Shanghai"
    )
    assert cal is not None
    assert cal.hours_on(date(2026, 11, 23)) == ((540, 1080),)
    assert cal.hours_on(date(2026, 11, 30)) == ()
    with pytest.raises(ValueError):
        schedule_from_json({"weekly": {"mon": [["18:00", "09:00"]]}}, "UTC")


def test_clock_pauses_and_resumes(cal: Schedule | None) -> None:
    start = shanghai(2026, 11, 23, 9, 0)  # Monday
    clock = Clock(target=8 * HOUR, warn_percent=75, running_since=start)
    assert clock.due(cal) == shanghai(2026, 11, 23, 18, 0)
    assert clock.warn(cal) == shanghai(2026, 11, 23, 16, 0)
    # pending on the customer from 11:00 (2 h used) until Tuesday 09:00
    paused = clock.pause(cal, shanghai(2026, 11, 23, 11, 0))
    assert paused.consumed == 2 * HOUR and paused.due(cal) is None
    resumed = paused.resume(shanghai(2026, 11, 24, 9, 0))
    assert resumed.due(cal) == shanghai(2026, 11, 24, 16, 0)  # 6 h left (lunch skipped)
    assert resumed.warn(cal) == shanghai(2026, 11, 24, 14, 0)  # 4 h of warning time left
    assert resumed.elapsed(cal, shanghai(2026, 11, 24, 12, 0)) == 5 * HOUR


def test_past_warning_threshold_warns_at_once(cal: Schedule | None) -> None:
    now = shanghai(2026, 11, 24, 9, 0)
    clock = Clock(target=HOUR, warn_percent=50, consumed=0.9 * HOUR, running_since=now)
    assert clock.warn(cal) == now
