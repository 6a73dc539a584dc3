"""The simulator agrees with Erlang A and reacts sensibly to what-if scenarios."""

from __future__ import annotations

from kefu.wfm.erlang import Workload, erlang_a_metrics
from kefu.wfm.scenarios import Scenario, compare_scenarios
from kefu.wfm.simulate import AgentGroup, QueueSpec, SimConfig, SimModel, simulate


def _stationary(intervals: int, agents: int = 14) -> SimModel:
    return SimModel(
        queues=(QueueSpec("q", (100.0,) * intervals, aht_seconds=180, patience_seconds=300),),
        groups=(AgentGroup("g", frozenset({"q"}), (agents,) * intervals),),
        interval_seconds=1800,
    )


def test_matches_erlang_a_within_half_a_point() -> None:
    model = _stationary(intervals=96)
    res = simulate(model, SimConfig(replications=20, seed=7, warmup_intervals=1))
    exact = erlang_a_metrics(Workload(100, 1800, 180), 14, 20, 300)
    assert abs(res.total.service_level - exact.service_level) < 0.005
    assert abs(res.total.abandon_rate - exact.p_abandon) < 0.003
    assert abs(res.total.occupancy - exact.occupancy) < 0.01


def test_same_seed_same_result() -> None:
    a = simulate(_stationary(4), SimConfig(seed=3))
    b = simulate(_stationary(4), SimConfig(seed=3))
    assert a == b


def test_skills_route_only_to_able_groups() -> None:
    model = SimModel(
        queues=(
            QueueSpec("sales", (50.0,) * 4, 180, 300),
            QueueSpec("vip", (20.0,) * 4, 180, 300),
        ),
        groups=(AgentGroup("sales-only", frozenset({"sales"}), (10,) * 4),),
        interval_seconds=1800,
    )
    res = simulate(model, SimConfig(seed=1))
    # nobody serves vip, so about 20/70 of queued contacts abandon
    assert 0.2 < res.total.abandon_rate < 0.4


def test_scenarios_move_in_the_expected_direction() -> None:
    calls = (40.0,) * 4 + (100.0,) * 8
    model = SimModel(
        queues=(QueueSpec("q", calls, 180, 300, bot_containment=0.2),),
        groups=(AgentGroup("g", frozenset({"q"}), (6,) * 4 + (11,) * 8, capacity=1),),
        interval_seconds=1800,
    )
    results = compare_scenarios(
        model,
        [
            Scenario("bot +10%", bot_containment_delta=0.10),
            Scenario("two fewer late", staff_delta=-2, first_interval=8),
            Scenario("volume +30%", volume_factor=1.3),
        ],
        SimConfig(replications=5, seed=11),
    )
    sl = {r.scenario.name: r.result.total.service_level for r in results}
    assert sl["bot +10%"] > sl["base"] > sl["volume +30%"]
    assert sl["two fewer late"] < sl["base"]
    worst = {r.scenario.name: r.result.bottlenecks for r in results}
    assert worst["volume +30%"]
    assert all(i >= 4 for i in worst["volume +30%"])


def test_capacity_serves_concurrent_chats() -> None:
    one = SimModel(
        queues=(QueueSpec("chat", (200.0,) * 4, 300, 120),),
        groups=(AgentGroup("g", frozenset({"chat"}), (10,) * 4, capacity=1),),
        interval_seconds=1800,
    )
    three = SimModel(one.queues, (AgentGroup("g", frozenset({"chat"}), (10,) * 4, 3),), 1800)
    cfg = SimConfig(seed=2)
    assert simulate(three, cfg).total.service_level > simulate(one, cfg).total.service_level


def test_agents_take_contacts_only_on_duty() -> None:
    def model(patience: float) -> SimModel:
        return SimModel(
            queues=(
                QueueSpec("q", (5.0, 0.0, 0.0, 0.0), aht_seconds=60, patience_seconds=patience),
            ),
            groups=(AgentGroup("g", frozenset({"q"}), (0, 1, 0, 1)),),
            interval_seconds=1800,
        )

    patient = simulate(model(1e9), SimConfig(replications=20, seed=9))
    assert patient.total.answered == patient.total.queued > 0
    assert patient.total.answered_within == 0  # nobody on duty before 1800 s
    assert patient.total.asa_seconds > 0
    assert patient.intervals[1].busy_seconds > 0
    assert patient.intervals[2].busy_seconds < patient.intervals[1].busy_seconds
    impatient = simulate(model(60.0), SimConfig(replications=20, seed=9))
    assert impatient.total.abandoned > 0.9 * impatient.total.queued  # patience is exponential
    assert impatient.total.answered_within == 0


def test_lognormal_handle_times_keep_the_mean() -> None:
    base = _stationary(intervals=24)
    q = base.queues[0]
    low_var = SimModel(
        (QueueSpec("q", q.calls, q.aht_seconds, q.patience_seconds, aht_cv=0.3),),
        base.groups,
        base.interval_seconds,
    )
    cfg = SimConfig(replications=10, seed=5)
    a, b = simulate(base, cfg), simulate(low_var, cfg)
    assert abs(a.total.occupancy - b.total.occupancy) < 0.02  # same mean handle time
    assert b.total.service_level > a.total.service_level  # less variable, less queueing
