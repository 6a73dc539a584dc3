"""Forecasting on a synthetic seasonal series with a known structure."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from kefu.wfm.accuracy import mape, wape
from kefu.wfm.forecast import (
    TenantEvent,
    backtest,
    forecast_aht,
    forecast_day,
    forecast_report,
    select_model,
)
from kefu.wfm.series import DaySeries

START = date(2026, 8, 3)  # a Monday
WEEKDAY = np.array([1.25, 1.1, 1.0, 1.0, 1.05, 0.7, 0.6])


def _series(days: int = 63, events: dict[date, float] | None = None, seed: int = 5) -> DaySeries:
    rng = np.random.default_rng(seed)
    slots = np.arange(24)
    shape = 0.3 + np.sin(np.pi * (slots + 0.5) / 24) ** 2
    dates = tuple(START + timedelta(days=i) for i in range(days))
    level = 2000.0 * (1 + 0.002 * np.arange(days))
    mean = np.outer(level * WEEKDAY[[d.weekday() for d in dates]], shape / shape.sum())
    for d, f in (events or {}).items():
        mean[dates.index(d)] *= f
    vol = rng.poisson(mean).astype(np.float64)
    return DaySeries("q", 30, dates, tuple(480 + 30 * int(s) for s in slots), vol, vol * np.nan)


def test_metrics() -> None:
    a, f = np.array([10.0, 0.0, 30.0]), np.array([12.0, 1.0, 27.0])
    assert wape(f, a) == pytest.approx(6 / 40)
    assert mape(f, a) == pytest.approx((0.2 + 0.1) / 2)


def test_models_beat_or_match_seasonal_naive() -> None:
    s = _series()
    for model in ("ets", "sarima"):
        bt = backtest(s, 49, model)
        assert bt.wape_ratio < 1.0, model
        assert bt.accuracy.daily_wape <= bt.baseline.daily_wape
    rep = forecast_report(s, test_days=14, window_days=7)
    assert rep.backtest.wape_ratio <= 1.0
    assert {n for n, _ in rep.selection.scores} == {"seasonal_naive", "ets", "sarima"}
    assert len(rep.backtest.accuracy.months) >= 1


def test_selection_picks_lowest_backtest_wape() -> None:
    sel = select_model(_series(), window_days=7)
    assert sel.model == min(sel.scores, key=lambda x: x[1])[0]


def test_events_scale_the_day() -> None:
    promo = [START + timedelta(days=38), START + timedelta(days=52)]  # two Wednesdays
    s = _series(days=56, events={d: 2.0 for d in promo})
    events = [TenantEvent("双11", d, d) for d in promo]
    target = promo[1]
    plain = forecast_day(s, target, "ets").sum()
    lifted = forecast_day(s, target, "ets", events).sum()
    actual = s.volume[s.days.index(target)].sum()
    assert abs(lifted - actual) / actual < 0.1
    assert lifted > 1.6 * plain
    fixed = forecast_day(s, target, "seasonal_naive", [TenantEvent("sale", target, target, 1.5)])
    assert fixed.sum() == pytest.approx(1.5 * s.volume[s.days.index(target) - 7].sum())


def test_gap_days_and_short_history() -> None:
    s = _series(days=63)
    keep = [i for i, d in enumerate(s.days) if d != START + timedelta(days=45)]
    gappy = DaySeries("q", 30, tuple(s.days[i] for i in keep), s.slots, s.volume[keep], s.aht[keep])
    assert backtest(gappy, 50, "sarima").wape_ratio < 1.0
    short = s.head(5)
    f = forecast_day(s, s.days[5], "ets")  # falls back to seasonal naive on 5 days
    assert f.shape == (24,)
    with pytest.raises(ValueError):
        forecast_day(short, START, "ets")
    with pytest.raises(ValueError):
        forecast_day(s, s.days[10], "prophet")


def test_aht_forecast_weights_by_contacts() -> None:
    s = _series(days=21)
    aht = np.full_like(s.volume, 200.0)
    aht[:, 0] = np.nan  # first interval never has AHT
    aht[14, 1] = 400.0  # a Monday with long calls in interval 1
    s = DaySeries("q", 30, s.days, s.slots, s.volume, aht)
    f = forecast_aht(s, START + timedelta(days=21))  # the next Monday
    v = s.volume[[0, 7, 14], 1]
    assert f[1] == pytest.approx((200 * v[0] + 200 * v[1] + 400 * v[2]) / v.sum())
    assert not np.isnan(f[0])  # falls back to the overall mean
    assert 200.0 <= f[0] < 201.0
