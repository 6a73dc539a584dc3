"""Interval volume forecasting with model selection by rolling-origin backtest.

Input is a :class:`~kefu.wfm.series.DaySeries` (see :func:`kefu.wfm.series.bucket` and
:func:`kefu.wfm.series.read_contacts_csv`; buckets of 15, 30 or 60 minutes cut in the tenant's
time zone).  Models (``MODELS``): ``seasonal_naive`` (same interval, same weekday last week),
``ets`` (Holt-Winters) and ``sarima``; see :mod:`kefu.wfm._fc_models` for their form.

Rolling origin: for each evaluated day, the model sees only the days before it (day-ahead).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from kefu.wfm._fc_models import MODELS, History, TenantEvent
from kefu.wfm.accuracy import Accuracy, accuracy
from kefu.wfm.series import DaySeries

__all__ = [
    "MODELS",
    "Backtest",
    "ForecastReport",
    "Selection",
    "TenantEvent",
    "backtest",
    "forecast_aht",
    "forecast_day",
    "forecast_days",
    "forecast_report",
    "select_model",
]

FloatArray = NDArray[np.float64]
BASELINE = "seasonal_naive"


def _model(name: str) -> str:
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose from {sorted(MODELS)}")
    return name


def forecast_day(
    series: DaySeries, target: date, model: str, events: Sequence[TenantEvent] = ()
) -> FloatArray:
    """Volume per interval of ``target`` from all history strictly before it."""
    n = sum(1 for d in series.days if d < target)
    if n == 0:
        raise ValueError("no history before the target day")
    return MODELS[_model(model)](History(series.head(n), tuple(events)), target)


def forecast_days(
    series: DaySeries, targets: Sequence[date], model: str, events: Sequence[TenantEvent] = ()
) -> FloatArray:
    """A (targets × intervals) forecast, every day from the same history (no actuals fed back)."""
    return np.vstack([forecast_day(series, d, model, events) for d in targets])


def forecast_aht(series: DaySeries, target: date, weeks: int = 6) -> FloatArray:
    """AHT per interval: contact-weighted mean over the last ``weeks`` same weekdays, falling
    back to the weighted mean of all history where an interval has none (NaN if no AHT)."""
    past = [i for i, d in enumerate(series.days) if d < target]
    same = [i for i in past if series.days[i].weekday() == target.weekday()][-weeks:]
    vol, aht = series.volume, series.aht
    known = ~np.isnan(aht)
    weights = np.where(known, vol, 0.0)
    handled = np.where(known, aht * vol, 0.0)
    overall = handled[past].sum() / weights[past].sum() if weights[past].sum() else np.nan
    w, h = weights[same].sum(axis=0), handled[same].sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(w > 0, h / w, overall)
    return np.asarray(out, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Backtest:
    """Day-ahead rolling-origin forecasts of one model, and the seasonal naive ones."""

    model: str
    days: tuple[date, ...]
    forecast: FloatArray
    baseline_forecast: FloatArray
    actual: FloatArray
    accuracy: Accuracy
    baseline: Accuracy

    @property
    def wape_ratio(self) -> float:
        """Interval WAPE of the model ÷ that of seasonal naive (< 1 beats the baseline)."""
        b = self.baseline.interval_wape
        return self.accuracy.interval_wape / b if b else 1.0


def backtest(
    series: DaySeries, first_day: int, model: str, events: Sequence[TenantEvent] = ()
) -> Backtest:
    """Forecast each day from index ``first_day`` on, one day ahead, refitting every day."""
    if not 0 < first_day < len(series.days):
        raise ValueError("first_day must leave history before and days to test after it")
    days = series.days[first_day:]
    f = _roll(series, first_day, model, tuple(events))
    b = f if model == BASELINE else _roll(series, first_day, BASELINE, tuple(events))
    actual = series.volume[first_day:]
    return Backtest(model, days, f, b, actual, accuracy(days, f, actual), accuracy(days, b, actual))


def _roll(
    series: DaySeries, first_day: int, model: str, events: tuple[TenantEvent, ...]
) -> FloatArray:
    fn = MODELS[_model(model)]
    rows = [
        fn(History(series.head(i), events), series.days[i])
        for i in range(first_day, len(series.days))
    ]
    return np.vstack(rows)


@dataclass(frozen=True, slots=True)
class Selection:
    model: str
    scores: tuple[tuple[str, float], ...]  # (model, interval WAPE) on the selection window


def select_model(
    series: DaySeries,
    window_days: int = 10,
    candidates: Sequence[str] = tuple(MODELS),
    events: Sequence[TenantEvent] = (),
) -> Selection:
    """Pick the candidate with the lowest interval WAPE over the last ``window_days`` days,
    each forecast day-ahead from the days before it."""
    first = max(1, len(series.days) - window_days)
    scores = tuple(
        (name, backtest(series, first, name, events).accuracy.interval_wape) for name in candidates
    )
    best = min(scores, key=lambda s: s[1])[0]
    return Selection(best, scores)


@dataclass(frozen=True, slots=True)
class ForecastReport:
    selection: Selection
    backtest: Backtest


def forecast_report(
    series: DaySeries,
    test_days: int,
    window_days: int = 10,
    events: Sequence[TenantEvent] = (),
) -> ForecastReport:
    """Select a model on the days before the last ``test_days``, then backtest it on them."""
    first = len(series.days) - test_days
    if first <= window_days:
        raise ValueError("not enough history for selection and test windows")
    sel = select_model(series.head(first), window_days, events=events)
    return ForecastReport(sel, backtest(series, first, sel.model, events))
