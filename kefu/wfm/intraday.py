"""Intraday: actual vs forecast as the day goes, re-forecast of the rest, deviation alerts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["IntradayStatus", "intraday_status"]


@dataclass(frozen=True, slots=True)
class IntradayStatus:
    """``reforecast`` covers the intervals not yet observed; ``deviation`` is
    (actual − forecast) ÷ forecast over the intervals observed so far."""

    elapsed: int
    actual_so_far: float
    forecast_so_far: float
    deviation: float
    ratio: float
    reforecast: tuple[float, ...]
    alert: bool
    interval_alerts: tuple[int, ...]


def intraday_status(
    forecast: Sequence[float],
    actual_so_far: Sequence[float],
    threshold: float = 0.15,
    min_volume: float = 20.0,
    credibility: float = 200.0,
) -> IntradayStatus:
    """Compare the day so far with its forecast and rescale the rest of the day.

    The rest is multiplied by ``1 + z (actual/forecast − 1)`` with the credibility weight
    ``z = F / (F + credibility)`` (F = contacts forecast so far), so a few early contacts do
    not swing the whole day.  The day alerts when ``|deviation| > threshold`` once at least
    ``min_volume`` contacts were forecast; an interval alerts under the same rule on its own.
    """
    n = len(actual_so_far)
    if n > len(forecast):
        raise ValueError("more actual intervals than forecast intervals")
    f_so_far = float(sum(forecast[:n]))
    a_so_far = float(sum(actual_so_far))
    deviation = (a_so_far - f_so_far) / f_so_far if f_so_far else 0.0
    z = f_so_far / (f_so_far + credibility) if f_so_far else 0.0
    ratio = 1.0 + z * deviation
    rest = tuple(max(0.0, f * ratio) for f in forecast[n:])
    alerts = tuple(
        i
        for i, (f, a) in enumerate(zip(forecast[:n], actual_so_far, strict=True))
        if f >= min_volume and abs(a - f) / f > threshold
    )
    alert = f_so_far >= min_volume and abs(deviation) > threshold
    return IntradayStatus(n, a_so_far, f_so_far, deviation, ratio, rest, alert, alerts)
