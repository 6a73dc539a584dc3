"""Forecast → requirement → schedule → simulation, and intraday re-forecasting."""

from __future__ import annotations

import pytest

from kefu.wfm.erlang import ServiceTarget
from kefu.wfm.intraday import intraday_status
from kefu.wfm.plan import groups_from_schedule, requirement_per_interval
from kefu.wfm.schedule import Agent, ScheduleProblem, ShiftTemplate, build_schedule
from kefu.wfm.simulate import QueueSpec, SimConfig, SimModel, simulate


def test_chain_from_volumes_to_simulated_service_level() -> None:
    volumes = [20.0, 60.0, 100.0, 100.0, 100.0, 100.0, 60.0, 20.0]  # per hour
    target = ServiceTarget(0.8, 20, patience_seconds=300)
    reqs = requirement_per_interval(volumes, 180, 3600, target)
    need = tuple(r.agents for r in reqs)
    assert need[0] < need[3]
    agents = tuple(Agent(f"a{i}", frozenset({"q"})) for i in range(12))
    tpl = ShiftTemplate("4h", 4, 0, 4)
    sched = build_schedule(ScheduleProblem({"q": need}, (tpl,), agents, 8, 1, 60))
    assert all(c.under == 0 for c in sched.coverage)
    groups = groups_from_schedule(sched, agents, horizon=8)
    assert len(groups) == 1
    assert all(g >= n for g, n in zip(groups[0].staff, need, strict=True))
    model = SimModel((QueueSpec("q", tuple(volumes), 180, 300),), groups, 3600)
    res = simulate(model, SimConfig(replications=20, seed=4))
    assert res.total.service_level > 0.8


def test_requirement_needs_matching_aht() -> None:
    with pytest.raises(ValueError):
        requirement_per_interval([1.0, 2.0], [180.0], 1800, ServiceTarget())


def test_intraday_reforecast_and_alerts() -> None:
    forecast = [100.0] * 8
    st = intraday_status(forecast, [130.0, 125.0, 135.0], threshold=0.15)
    assert st.alert
    assert st.deviation == pytest.approx(0.3)
    assert st.interval_alerts == (0, 1, 2)
    assert len(st.reforecast) == 5
    assert 100.0 < st.reforecast[0] < 130.0  # pulled up, but with credibility below the full ratio
    calm = intraday_status(forecast, [98.0, 104.0])
    assert not calm.alert
    assert calm.interval_alerts == ()
    with pytest.raises(ValueError):
        intraday_status([1.0], [1.0, 2.0])
