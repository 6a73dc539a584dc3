"""Blocking simulation and intraday computations behind the API (run in a worker thread)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kefu.wfm.compute import ComputeError

MAX_SIM_CONTACTS = 2_000_000  # offered contacts × replications × scenarios, per request


@dataclass(frozen=True, slots=True)
class SimProblem:
    queues: tuple[tuple[str, tuple[float, ...], float], ...]  # (name, calls per interval, AHT)
    groups: tuple[tuple[tuple[str, ...], tuple[int, ...]], ...]  # (queues served, staff)
    labels: tuple[str, ...]
    interval_seconds: float
    patience_seconds: float
    bot_containment: float
    capacity: int
    target_sl: float
    target_time: float
    replications: int
    seed: int
    scenarios: tuple[dict[str, Any], ...]


def offset_labels(n: int, interval_seconds: float) -> list[str]:
    """'09:30' from the start for a day or less, 'D1 09:30' beyond."""
    out = []
    multi = n * interval_seconds > 86_400
    for i in range(n):
        s = int(i * interval_seconds)
        day, rest = divmod(s, 86_400)
        hhmm = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"
        out.append(f"D{day} {hhmm}" if multi else hhmm)
    return out


def _scenario_out(p: SimProblem, sr: Any, staff: Sequence[int]) -> dict[str, Any]:
    res, reps = sr.result, sr.result.replications
    t = res.total
    rows = res.intervals
    return {
        "name": sr.scenario.name,
        "totals": {
            "offered": t.offered / reps,
            "contained": t.contained / reps,
            "queued": t.queued / reps,
            "answered": t.answered / reps,
            "abandoned": t.abandoned / reps,
            "service_level": t.service_level,
            "asa_seconds": t.asa_seconds,
            "abandon_rate": t.abandon_rate,
            "occupancy": t.occupancy,
        },
        "intervals": {
            "labels": list(p.labels),
            "offered": [s.offered / reps for s in rows],
            "service_level": [s.service_level for s in rows],
            "asa_seconds": [s.asa_seconds for s in rows],
            "abandon_rate": [s.abandon_rate for s in rows],
            "occupancy": [s.occupancy for s in rows],
            "agents": list(staff),
        },
        "bottlenecks": [p.labels[i] for i in res.bottlenecks],
        "bottleneck_intervals": list(res.bottlenecks),
    }


def _on_duty(model: Any, n: int) -> list[int]:
    return [sum(g.staff[i] for g in model.groups if i < len(g.staff)) for i in range(n)]


def run_simulation(p: SimProblem) -> list[dict[str, Any]]:
    """The base case and every scenario, with common random numbers."""
    from kefu.wfm.scenarios import Scenario, apply_scenario, compare_scenarios
    from kefu.wfm.simulate import AgentGroup, QueueSpec, SimConfig, SimModel

    scenarios = [Scenario(**s) for s in p.scenarios]
    load = sum(sum(q[1]) for q in p.queues) * p.replications * (1 + len(scenarios))
    load *= max([1.0] + [s.volume_factor for s in scenarios])
    if load > MAX_SIM_CONTACTS:
        raise ComputeError("wfm_simulation_too_large", limit=MAX_SIM_CONTACTS)
    try:
        queues = tuple(
            QueueSpec(name, calls, aht, p.patience_seconds, p.bot_containment)
            for name, calls, aht in p.queues
        )
    except ValueError as e:
        raise ComputeError("wfm_input_invalid", detail=str(e)) from None
    groups = tuple(
        AgentGroup("+".join(skills), frozenset(skills), staff, p.capacity)
        for skills, staff in p.groups
    )
    model = SimModel(queues, groups, p.interval_seconds)
    config = SimConfig(p.target_time, p.target_sl, p.replications, p.seed)
    results = compare_scenarios(model, scenarios, config)
    return [
        _scenario_out(p, sr, _on_duty(apply_scenario(model, sr.scenario), len(p.labels)))
        for sr in results
    ]


# --- intraday --------------------------------------------------------------------------


def intraday(
    result: dict[str, Any],
    day: date,
    actual: dict[int, float],
    now_local: datetime,
    minutes: int,
    threshold: float,
) -> dict[str, Any]:
    """Actual vs forecast for ``day``; ``actual`` maps a slot's start minute to contacts."""
    from kefu.wfm.intraday import intraday_status

    row = result["days"].index(day.isoformat())
    forecast = [float(v or 0.0) for v in result["volume"][row]]
    starts: list[int] = result["slot_minutes"]
    if day < now_local.date():
        elapsed = len(starts)
    elif day > now_local.date():
        elapsed = 0
    else:
        minute = now_local.hour * 60 + now_local.minute
        elapsed = sum(1 for s in starts if s + minutes <= minute)
    seen = [actual.get(s, 0.0) for s in starts[:elapsed]]
    status = intraday_status(forecast, seen, threshold=threshold)
    outside = sum(v for s, v in actual.items() if s not in set(starts))
    return {
        "slots": result["slots"],
        "forecast": forecast,
        "actual": [*seen, *([None] * (len(starts) - elapsed))],
        "reforecast": [*([None] * elapsed), *status.reforecast],
        "elapsed": elapsed,
        "actual_so_far": status.actual_so_far,
        "forecast_so_far": status.forecast_so_far,
        "deviation": status.deviation,
        "alert": status.alert,
        "interval_alerts": [result["slots"][i] for i in status.interval_alerts],
        "outside_slots": outside,
    }


def slot_counts(records: Sequence[Any], day: date, minutes: int, tz: str) -> dict[int, float]:
    """Contacts of ``day`` per slot start minute (local time)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    out: dict[int, float] = {}
    for r in records:
        local = r.timestamp.astimezone(zone)
        if local.date() != day:
            continue
        slot = (local.hour * 60 + local.minute) // minutes * minutes
        out[slot] = out.get(slot, 0.0) + r.contacts
    return out
