"""Erlang C / Erlang A against textbook and published values."""

from __future__ import annotations

import math

import pytest

from kefu.wfm.erlang import (
    ServiceTarget,
    Workload,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    required_agents,
    required_agents_series,
    required_agents_table,
)

TEXTBOOK = Workload(calls=100, interval_seconds=1800, aht_seconds=180)


def test_textbook_case_needs_14_agents() -> None:
    req = required_agents(TEXTBOOK, ServiceTarget(service_level=0.8, target_seconds=20))
    assert req.agents == 14
    assert req.scheduled_agents == 14
    assert req.metrics.service_level == pytest.approx(0.888, abs=0.0005)
    assert req.metrics.asa_seconds == pytest.approx(7.8, abs=0.05)
    assert req.metrics.occupancy == pytest.approx(10 / 14)


def test_shrinkage_grosses_up_to_20() -> None:
    req = required_agents(TEXTBOOK, ServiceTarget(shrinkage=0.3))
    assert (req.agents, req.scheduled_agents) == (14, 20)


def test_max_occupancy_binds() -> None:
    req = required_agents(TEXTBOOK, ServiceTarget(max_occupancy=0.6))
    assert req.agents == 17  # ceil(10 / 0.6)
    assert req.metrics.occupancy <= 0.6


def test_erlang_b_published_table() -> None:
    # Erlang B tables: 10 erlangs on 10 trunks block 21.46 %; 15 erlangs on 20 trunks 4.56 %.
    assert erlang_b(10, 10.0) == pytest.approx(0.2146, abs=1e-4)
    assert erlang_b(20, 15.0) == pytest.approx(0.0456, abs=1e-4)


def test_erlang_c_closed_form_mm2() -> None:
    # M/M/2 at rho = 0.5: P(wait) = 2 rho^2 / (1 + rho) = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(14, 10.0) == pytest.approx(0.1741, abs=1e-4)


def test_large_loads_do_not_overflow() -> None:
    work = Workload(calls=20_000, interval_seconds=1800, aht_seconds=300)  # 3,333 erlangs
    req = required_agents(work, ServiceTarget())
    assert 3334 <= req.agents <= 3400
    assert math.isfinite(req.metrics.asa_seconds)
    a = required_agents(work, ServiceTarget(patience_seconds=120))
    assert a.agents < req.agents  # abandonment relieves the queue


def test_erlang_a_known_value() -> None:
    m = erlang_a_metrics(TEXTBOOK, agents=14, target_seconds=20, patience_seconds=300)
    assert m.p_wait == pytest.approx(0.1453, abs=1e-4)
    assert m.p_abandon == pytest.approx(0.0140, abs=1e-4)
    assert m.service_level > erlang_c_metrics(TEXTBOOK, 14, 20).service_level


def test_erlang_a_tends_to_erlang_c_with_infinite_patience() -> None:
    a = erlang_a_metrics(TEXTBOOK, 14, 20, patience_seconds=1e9)
    c = erlang_c_metrics(TEXTBOOK, 14, 20)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-6)
    assert a.asa_seconds == pytest.approx(c.asa_seconds, abs=1e-4)


def test_erlang_a_stable_when_overloaded() -> None:
    m = erlang_a_metrics(TEXTBOOK, agents=5, target_seconds=20, patience_seconds=60)
    assert 0.0 < m.service_level < 0.5
    assert 0.3 < m.p_abandon < 1.0
    assert m.occupancy <= 1.0


def test_requirement_per_interval_series() -> None:
    series = [Workload(c, 1800, 180) for c in (0, 10, 100, 400)]
    reqs = required_agents_series(series, ServiceTarget(patience_seconds=300))
    assert reqs[0].agents == 0
    agents = [r.agents for r in reqs]
    assert agents == sorted(agents)
    assert all(r.metrics.service_level >= 0.8 for r in reqs[1:])


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        Workload(calls=-1, interval_seconds=1800, aht_seconds=180)
    with pytest.raises(ValueError):
        ServiceTarget(shrinkage=1.0)


def test_table_matches_one_by_one() -> None:
    work = [Workload(c, 1800, aht) for c in (0, 1, 7, 55, 100, 380, 1200) for aht in (60, 180, 420)]
    for target in (
        ServiceTarget(),
        ServiceTarget(0.9, 60, max_occupancy=0.85, shrinkage=0.35),
        ServiceTarget(0.5, 0),
    ):
        table = required_agents_table(work, target)
        for i, w in enumerate(work):
            one = required_agents(w, target)
            row = table.row(i)
            assert (row.agents, row.scheduled_agents) == (one.agents, one.scheduled_agents)
            assert row.metrics.service_level == pytest.approx(one.metrics.service_level)
            assert row.metrics.asa_seconds == pytest.approx(one.metrics.asa_seconds)
            assert row.metrics.occupancy == pytest.approx(one.metrics.occupancy)
    with pytest.raises(ValueError):
        required_agents_table(work, ServiceTarget(patience_seconds=300))
