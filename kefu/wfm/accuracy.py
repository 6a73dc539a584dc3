"""Forecast accuracy: WAPE and MAPE per interval and per day, monthly total deviation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = ["Accuracy", "MonthDeviation", "accuracy", "mape", "wape"]


def wape(forecast: FloatArray, actual: FloatArray) -> float:
    """Σ|F − A| ÷ ΣA (weighted absolute percentage error)."""
    total = float(np.sum(actual))
    return float(np.sum(np.abs(forecast - actual))) / total if total else 0.0


def mape(forecast: FloatArray, actual: FloatArray) -> float:
    """Mean of |F − A| ÷ A over cells with A > 0."""
    mask = actual > 0
    if not mask.any():
        return 0.0
    return float(np.mean(np.abs(forecast[mask] - actual[mask]) / actual[mask]))


@dataclass(frozen=True, slots=True)
class MonthDeviation:
    month: str  # "2003-09"
    actual: float
    forecast: float

    @property
    def deviation(self) -> float:
        """(forecast − actual) ÷ actual of the month's total."""
        return (self.forecast - self.actual) / self.actual if self.actual else 0.0


@dataclass(frozen=True, slots=True)
class Accuracy:
    interval_wape: float
    interval_mape: float
    daily_wape: float
    daily_mape: float
    months: tuple[MonthDeviation, ...]
    slot_wape: tuple[float, ...]  # WAPE of each interval of the day, across days


def _months(days: Sequence[date], f: FloatArray, a: FloatArray) -> tuple[MonthDeviation, ...]:
    out: dict[str, tuple[float, float]] = {}
    for d, fd, ad in zip(days, f.sum(axis=1), a.sum(axis=1), strict=True):
        key = f"{d.year:04d}-{d.month:02d}"
        fa, aa = out.get(key, (0.0, 0.0))
        out[key] = (fa + float(fd), aa + float(ad))
    return tuple(MonthDeviation(k, a_, f_) for k, (f_, a_) in sorted(out.items()))


def accuracy(days: Sequence[date], forecast: FloatArray, actual: FloatArray) -> Accuracy:
    """Accuracy of a (days × intervals) forecast against actuals."""
    fd, ad = forecast.sum(axis=1), actual.sum(axis=1)
    slots = tuple(wape(forecast[:, j], actual[:, j]) for j in range(actual.shape[1]))
    return Accuracy(
        interval_wape=wape(forecast, actual),
        interval_mape=mape(forecast, actual),
        daily_wape=wape(fd, ad),
        daily_mape=mape(fd, ad),
        months=_months(days, forecast, actual),
        slot_wape=slots,
    )
