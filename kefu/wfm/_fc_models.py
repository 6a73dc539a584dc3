"""Forecast models for one day ahead of a :class:`~kefu.wfm.series.DaySeries` history.

Every model is ``(history, target_day) -> volume per interval of the day``.  Besides the
seasonal naive baseline, the models are top-down, the usual shape of call-centre forecasts:

- the **daily total** carries the weekly seasonality (ETS/Holt-Winters or seasonal ARIMA on
  the series of open days, where a "week" is the number of weekdays the centre opens), and
- the **intraday profile** carries the daily seasonality: the mean share of each interval over
  the last same weekdays.

Tenant events scale a day's total (training totals are divided by the factor, forecasts
multiplied), so 双11 neither pollutes the baseline nor is missed on the day.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from kefu.wfm.series import DaySeries

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TenantEvent:
    """A promotion, holiday or other day-level effect, inclusive of ``start`` and ``end``.

    ``factor`` multiplies the day's volume; ``None`` estimates it from past days with the same
    ``name`` (actual ÷ the mean of the previous same weekdays without events).
    """

    name: str
    start: date
    end: date
    factor: float | None = None

    def covers(self, d: date) -> bool:
        return self.start <= d <= self.end


@dataclass(frozen=True, slots=True)
class History:
    series: DaySeries
    events: tuple[TenantEvent, ...] = ()

    @property
    def totals(self) -> FloatArray:
        return np.asarray(self.series.volume.sum(axis=1), dtype=np.float64)

    def factor(self, d: date) -> float:
        f = 1.0
        for e in self.events:
            if e.covers(d):
                f *= e.factor if e.factor is not None else _estimate(self, e)
        return f


Model = Callable[[History, date], FloatArray]


def _same_weekday(days: Sequence[date], target: date, k: int, skip: set[date]) -> list[int]:
    """Indices of the last k history days with the target's weekday (not in ``skip``)."""
    out = []
    for i in range(len(days) - 1, -1, -1):
        if days[i].weekday() == target.weekday() and days[i] not in skip:
            out.append(i)
            if len(out) == k:
                break
    return out


def _event_days(h: History) -> set[date]:
    return {d for d in h.series.days if any(e.covers(d) for e in h.events)}


def _estimate(h: History, e: TenantEvent) -> float:
    days, totals = h.series.days, h.totals
    skip = _event_days(h)
    ratios = []
    for i, d in enumerate(days):
        if any(x.name == e.name and x.covers(d) for x in h.events):
            base = _same_weekday(days[:i], d, 4, skip)
            if base:
                ratios.append(totals[i] / float(np.mean(totals[base])))
    return float(np.mean(ratios)) if ratios else 1.0


def seasonal_naive(h: History, target: date) -> FloatArray:
    """Same interval, same weekday last week (or the latest same weekday before it)."""
    s = h.series
    idx = _same_weekday(s.days, target, 1, set())
    i = idx[0] if idx else len(s.days) - 1
    return np.asarray(s.volume[i] / h.factor(s.days[i]) * h.factor(target), dtype=np.float64)


def profile(h: History, target: date, weeks: int = 6) -> FloatArray:
    """Mean share of the day's contacts per interval over the last same weekdays."""
    s, totals = h.series, h.totals
    idx = _same_weekday(s.days, target, weeks, _event_days(h)) or [len(s.days) - 1]
    shares = s.volume[idx] / np.maximum(totals[idx], 1e-9)[:, None]
    p = shares.mean(axis=0)
    return np.asarray(p / max(float(p.sum()), 1e-12), dtype=np.float64)


def _calendar(h: History, target: date) -> tuple[FloatArray, int, int]:
    """Event-adjusted daily totals on the calendar of open weekdays, gaps filled from a
    period earlier; returns (totals, season length, steps ahead to the target)."""
    days = h.series.days
    open_days = {d.weekday() for d in days}
    period = len(open_days)
    known = {d: float(t) / h.factor(d) for d, t in zip(days, h.totals, strict=True)}
    y: list[float] = []
    d, steps = days[0], 0
    while d <= target:
        if d.weekday() in open_days:
            if d in known:
                y.append(known[d])
            elif d < days[-1]:
                y.append(y[-period] if len(y) >= period else y[-1])
            else:
                steps += 1
        d += timedelta(days=1)
    return np.asarray(y), period, max(steps, 1)


def _top_down(h: History, target: date, total: float) -> FloatArray:
    return profile(h, target) * max(total, 0.0) * h.factor(target)


def _enough(h: History, seasons: int) -> bool:
    return len(h.series.days) >= seasons * len({d.weekday() for d in h.series.days})


def ets(h: History, target: date) -> FloatArray:
    """Holt-Winters (additive weekly seasonality) on daily totals × intraday profile."""
    if not _enough(h, 3):
        return seasonal_naive(h, target)
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    y, period, steps = _calendar(h, target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(y, seasonal="add", seasonal_periods=period).fit()
        total = float(fit.forecast(steps)[-1])
    return _top_down(h, target, total)


def sarima(h: History, target: date) -> FloatArray:
    """SARIMA(1,0,0)(0,1,1)_week on log daily totals × intraday profile."""
    if not _enough(h, 4):
        return seasonal_naive(h, target)
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    y, period, steps = _calendar(h, target)
    scale = float(np.mean(y))
    z = np.log(np.maximum(y, 1e-3 * scale) / scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = SARIMAX(z, order=(1, 0, 0), seasonal_order=(0, 1, 1, period)).fit(disp=False)
        total = scale * math.exp(float(fit.forecast(steps)[-1]))
    return _top_down(h, target, total)


MODELS: dict[str, Model] = {"seasonal_naive": seasonal_naive, "ets": ets, "sarima": sarima}
