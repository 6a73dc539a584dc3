"""Blocking WFM computations behind the API, run in a worker thread (``asyncio.to_thread``).

Inputs are plain records read by the service; outputs are JSON-ready dicts stored as the
``result`` of a forecast.  numpy and statsmodels load on first use, not on import of the app.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from kefu.wfm.forecast import Backtest, ForecastReport
    from kefu.wfm.series import ContactRecord, DaySeries

HISTORY_SHOWN = 28  # days of history returned with a forecast, for the chart
BAND = (0.1, 0.9)


@lru_cache(maxsize=1)
def limit_blas_threads() -> None:
    """One BLAS thread (``KEFU_WFM_BLAS_THREADS``) for the process: statsmodels fits small
    matrices, and on a shared 2-core machine OpenBLAS threads slow a forecast 3-6× (measured:
    bank series in a worker thread 7.6 s limited, 47-82 s not)."""
    from importlib import import_module

    from threadpoolctl import threadpool_limits

    for name in ("statsmodels.tsa.holtwinters", "statsmodels.tsa.statespace.sarimax"):
        import_module(name)  # loads scipy's own OpenBLAS too, so the limit reaches it

    threadpool_limits(limits=int(os.environ.get("KEFU_WFM_BLAS_THREADS", "1")))


class ComputeError(ValueError):
    """Input the maths cannot use; ``code`` is an i18n message code."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class CsvProblem:
    row: int
    column: str
    reason: str


def parse_csv(
    data: bytes, tz: str, max_errors: int = 1000
) -> tuple[list[ContactRecord], list[CsvProblem]]:
    """Every row of a ``timestamp,queue,contacts[,aht_seconds]`` CSV, and every bad cell."""
    from kefu.wfm.series import REQUIRED, CsvImportError, _record

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [CsvProblem(1, "", "not UTF-8 text")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [
        CsvProblem(1, c, "column missing from the header") for c in REQUIRED if c not in header
    ]
    if missing:
        return [], missing
    reader.fieldnames = header
    records, problems = [], []
    zone = ZoneInfo(tz)
    for cells in reader:
        try:
            rec = _record(cells, reader.line_num, zone)
        except CsvImportError as e:
            problems.append(CsvProblem(e.row, e.column, e.message))
            if len(problems) >= max_errors:
                break
            continue
        if len(rec.queue) > 100:
            problems.append(CsvProblem(reader.line_num, "queue", "longer than 100 characters"))
        records.append(rec)
    if not records and not problems:
        problems.append(CsvProblem(2, "", "no rows"))
    return records, problems


def series_of(
    records: Sequence[ContactRecord], queue: str, minutes: int, tz: str, before: date | None
) -> DaySeries | None:
    """All records as one series named ``queue``, days before ``before`` only."""
    from dataclasses import replace

    from kefu.wfm.series import bucket

    merged = [replace(r, queue=queue) for r in records]
    series = bucket(merged, minutes, tz).get(queue)
    if series is None or before is None:
        return series
    n = sum(1 for d in series.days if d < before)
    return series.head(n) if n else None


def _matrix(a: Any) -> list[list[float | None]]:
    return [[None if math.isnan(x) else round(float(x), 3) for x in row] for row in a]


def _accuracy(a: Any) -> dict[str, Any]:
    return {
        "interval_wape": a.interval_wape,
        "interval_mape": a.interval_mape,
        "daily_wape": a.daily_wape,
        "daily_mape": a.daily_mape,
        "months": [
            {"month": m.month, "actual": m.actual, "forecast": m.forecast, "deviation": m.deviation}
            for m in a.months
        ],
        "slot_wape": list(a.slot_wape),
    }


def _report(rep: ForecastReport) -> dict[str, Any]:
    bt = rep.backtest
    return {
        "model": rep.selection.model,
        "selection_wape": dict(rep.selection.scores),
        "test_first_day": bt.days[0].isoformat(),
        "test_last_day": bt.days[-1].isoformat(),
        "test_days": len(bt.days),
        "model_accuracy": _accuracy(bt.accuracy),
        "seasonal_naive": _accuracy(bt.baseline),
        "wape_ratio": bt.wape_ratio,
    }


def _select(
    series: DaySeries, candidates: Sequence[str], window: int, events: Sequence[Any]
) -> tuple[str, dict[str, float], Backtest]:
    from kefu.wfm.forecast import backtest

    first = max(1, len(series.days) - window)
    runs = {name: backtest(series, first, name, events) for name in candidates}
    scores = {name: bt.accuracy.interval_wape for name, bt in runs.items()}
    best = min(scores, key=lambda k: scores[k])
    return best, scores, runs[best]


def _bands(bt: Backtest, volume: Any) -> tuple[Any, Any] | None:
    """An 80 % band from the backtest's residuals, scaled like Poisson noise (√F)."""
    import numpy as np

    if bt.actual.size < 20:
        return None
    scale = np.sqrt(np.maximum(bt.forecast, 1.0))
    z = (bt.actual - bt.forecast) / scale
    lo, hi = np.quantile(z, BAND)
    s = np.sqrt(np.maximum(volume, 1.0))
    return np.maximum(volume + lo * s, 0.0), np.maximum(volume + hi * s, 0.0)


def _targets(series: DaySeries, start: date, days_ahead: int) -> list[date]:
    """The days to forecast: weekdays never seen in two weeks or more of history are closed."""
    span = (series.days[-1] - series.days[0]).days
    open_days = {d.weekday() for d in series.days} if span >= 13 else set(range(7))
    return [
        d
        for d in (start + timedelta(days=i) for i in range(days_ahead))
        if d.weekday() in open_days
    ]


def _history(series: DaySeries) -> dict[str, Any]:
    n = len(series.days)
    shown = series.volume[max(0, n - HISTORY_SHOWN) :]
    return {
        "first_day": series.days[0].isoformat(),
        "last_day": series.days[-1].isoformat(),
        "n_days": n,
        "contacts": float(series.volume.sum()),
        "days": [d.isoformat() for d in series.days[max(0, n - HISTORY_SHOWN) :]],
        "volume": _matrix(shown),
    }


def _report_or_none(
    series: DaySeries, events: Sequence[Any], chosen: str
) -> tuple[dict[str, Any] | None, str]:
    """The out-of-sample report of model selection, plus the chosen model on the same days."""
    from kefu.wfm.forecast import backtest, forecast_report

    n = len(series.days)
    test, window = min(14, max(1, n // 3)), min(10, max(1, n // 3))
    if n - test <= window:
        return None, "not enough history for an out-of-sample report (needs 3 days or more)"
    rep = forecast_report(series, test, window, events)
    out = _report(rep)
    bt = rep.backtest
    if chosen != rep.selection.model:
        bt = backtest(series, n - test, chosen, events)
    out["chosen"] = {
        "model": chosen,
        "accuracy": _accuracy(bt.accuracy),
        "wape_ratio": bt.wape_ratio,
    }
    return out, f"selection on {window} days, then day-ahead on the last {test} days"


def run_forecast(
    series: DaySeries,
    start: date,
    days_ahead: int,
    model: str,
    events: Sequence[Any],
) -> dict[str, Any]:
    """Select a model by rolling-origin backtest, forecast, and report its accuracy."""
    import numpy as np

    from kefu.wfm.forecast import MODELS, forecast_aht, forecast_days

    limit_blas_threads()
    if len(series.days) < 2:
        raise ComputeError("wfm_not_enough_history", days=len(series.days), need=2)
    targets = _targets(series, start, days_ahead)
    if not targets:
        raise ComputeError("wfm_no_open_days")
    window = min(10, len(series.days) - 1)
    candidates = list(MODELS) if model == "auto" else [model]
    chosen, scores, bt = _select(series, candidates, window, events)
    volume = np.maximum(forecast_days(series, targets, chosen, events), 0.0)
    bands = _bands(bt, volume)
    report, note = _report_or_none(series, events, chosen)
    return {
        "days": [d.isoformat() for d in targets],
        "slots": [series.slot_label(j) for j in range(len(series.slots))],
        "slot_minutes": list(series.slots),
        "volume": _matrix(volume),
        "lower": None if bands is None else _matrix(bands[0]),
        "upper": None if bands is None else _matrix(bands[1]),
        "band": "80 % from backtest residuals" if bands else "omitted: under 20 backtest cells",
        "aht_seconds": _matrix(np.vstack([forecast_aht(series, d) for d in targets])),
        "selection": {"model": chosen, "window_days": window, "wape": scores},
        "report": report,
        "report_note": note,
        "history": _history(series),
    }
