"""Workforce-management benchmark: Erlang speed, simulator speed, forecast accuracy.

    python bench/wfm.py [--quick]

1. Erlang C agents-required solves per second on a fixed workload of 336 half-hours × 10
   queues, against the ``pyworkforce`` package (``ErlangC.required_positions``) in the same run.
2. Simulator events per second (arrival, start, end or abandonment of each contact), end to end,
   against a plain SimPy model of the same M/M/n+M system.
3. Forecast WAPE vs seasonal naive on the fpp2 bank call series: train on the first 120 days,
   forecast each following day at 30-minute intervals, day-ahead, rolling.

The last line is ``wfm: erlang_speedup=X.X sim_events_per_s=N forecast_wape_ratio=0.XX``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kefu.wfm.erlang import (
    ServiceTarget,
    Workload,
    required_agents,
    required_agents_series,
    required_agents_table,
)

DATA = Path(__file__).resolve().parents[2] / "shared/data/callcentre/fpp2_bank_calls/calls_5min.csv"
PEAKS = (20, 40, 80, 120, 200, 300, 450, 600, 800, 1000)  # contacts per half-hour at peak


def erlang_workload() -> list[Workload]:
    """336 half-hours (a week) × 10 queues, deterministic."""
    out = []
    for q, peak in enumerate(PEAKS):
        aht = 120.0 + 40.0 * q
        for t in range(336):
            day, i = divmod(t, 48)
            shape = math.sin(math.pi * i / 48) ** 2 * (0.7 if day >= 5 else 1.0)
            out.append(Workload(max(1.0, round(peak * shape)), 1800.0, aht))
    return out


def _rate(fn: Callable[[], object], n: int, min_seconds: float) -> float:
    """Solves per second of ``fn`` (n solves a call): best call over at least min_seconds,
    so that other load on the shared machine hurts both sides alike."""
    best, start = math.inf, time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return n / best


def bench_erlang(quick: bool) -> float:
    from pyworkforce.queuing import ErlangC

    work = erlang_workload()
    target = ServiceTarget(service_level=0.8, target_seconds=20)
    ours = [r.agents for r in required_agents_series(work, target)]

    def theirs_one(w: Workload) -> int:
        e = ErlangC(transactions=w.calls, aht=w.aht_seconds / 60, asa=20 / 60, interval=30)
        return int(e.required_positions(service_level=0.8)["raw_positions"])

    agree = sum(a == theirs_one(w) for a, w in zip(ours, work, strict=True)) / len(work)
    secs = 1.0 if quick else 5.0
    series = _rate(lambda: required_agents_table(work, target), len(work), secs)
    scalar = _rate(lambda: [required_agents(w, target) for w in work], len(work), secs)
    base = _rate(lambda: [theirs_one(w) for w in work], len(work), secs)
    print(f"erlang: {len(work)} solves (336 intervals x 10 queues); kefu table {series:,.0f}/s, "
          f"kefu one by one {scalar:,.0f}/s ({scalar / base:.1f}x), pyworkforce {base:,.0f}/s; "
          f"same agent count in {agree:.1%} of cells")  # fmt: skip
    return series / base


def simpy_model(n_agents: int, calls: float, hours: float, seed: int) -> tuple[int, int, float]:
    """Plain SimPy M/M/n+M; returns (contacts, SimPy events scheduled, seconds)."""
    import random

    import simpy

    rng = random.Random(seed)
    lam, aht, patience = calls / 1800, 180.0, 300.0
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=n_agents)
    count = [0]

    def contact() -> simpy.events.ProcessGenerator:
        req = agents.request()
        got = yield req | env.timeout(rng.expovariate(1 / patience))
        if req in got:
            yield env.timeout(rng.expovariate(1 / aht))
            agents.release(req)
        else:
            req.cancel()

    def arrivals() -> simpy.events.ProcessGenerator:
        while True:
            yield env.timeout(rng.expovariate(lam))
            count[0] += 1
            env.process(contact())

    env.process(arrivals())
    start = time.perf_counter()
    env.run(until=hours * 3600)
    return count[0], next(env._eid), time.perf_counter() - start


def bench_sim(quick: bool) -> int:
    from kefu.wfm.simulate import AgentGroup, QueueSpec, SimConfig, SimModel, simulate

    intervals = 48 * (4 if quick else 20)
    model = SimModel(
        queues=(QueueSpec("q", (100.0,) * intervals, 180, 300),),
        groups=(AgentGroup("g", frozenset({"q"}), (14,) * intervals),),
        interval_seconds=1800,
    )
    reps = 5 if quick else 10
    secs, res = math.inf, None
    for _ in range(3):  # best of three, as for SimPy below
        start = time.perf_counter()
        res = simulate(model, SimConfig(replications=reps, seed=1))
        secs = min(secs, time.perf_counter() - start)
    assert res is not None
    ours_cps, ours_eps = res.contacts / secs, res.events / secs
    runs = [simpy_model(14, 100.0, 24.0 * (2 if quick else 10), seed=1) for _ in range(3)]
    n, ev, s_secs = min(runs, key=lambda r: r[2])
    print(f"simulator: kefu {res.contacts:,} contacts in {secs:.2f}s = {ours_cps:,.0f} contacts/s, "
          f"{ours_eps:,.0f} events/s; SimPy {n / s_secs:,.0f} contacts/s ({ev / s_secs:,.0f} "
          f"SimPy events/s); contacts/s ratio {ours_cps / (n / s_secs):.1f}x; "
          f"SL {res.total.service_level:.4f}")  # fmt: skip
    return round(ours_eps)


def bench_forecast(quick: bool, data: Path) -> float:
    from kefu.wfm.forecast import backtest, select_model
    from kefu.wfm.series import bucket, read_contacts_csv

    if not data.is_file():
        print(f"forecast: {data} not found, skipped")
        return math.nan
    series = bucket(read_contacts_csv(data, "UTC"), 30, "UTC")["bank"]  # naive wall-clock
    train = 120
    sel = select_model(series.head(train), window_days=10)
    bt = backtest(series, train, sel.model)
    scores = ", ".join(f"{m}={w:.4f}" for m, w in sel.scores)
    a, b = bt.accuracy, bt.baseline
    print(f"forecast: {len(bt.days)} test days; selected {sel.model} ({scores}); "
          f"interval WAPE {a.interval_wape:.4f} vs naive {b.interval_wape:.4f}; "
          f"daily WAPE {a.daily_wape:.4f} vs {b.daily_wape:.4f}")  # fmt: skip
    if not quick:
        for m in ("ets", "sarima"):
            print(f"  {m}: WAPE ratio {backtest(series, train, m).wape_ratio:.3f}")
    return bt.wape_ratio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="finish in under a minute")
    ap.add_argument("--data", type=Path, default=DATA, help="fpp2 bank calls CSV")
    args = ap.parse_args()
    t0 = time.perf_counter()
    speedup = bench_erlang(args.quick)
    events = bench_sim(args.quick)
    ratio = bench_forecast(args.quick, args.data)
    print(f"total {time.perf_counter() - t0:.1f}s")
    last = f"wfm: erlang_speedup={speedup:.1f} sim_events_per_s={events}"
    print(f"{last} forecast_wape_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
