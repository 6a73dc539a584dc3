"""What-if scenarios on a simulation model.

A :class:`Scenario` changes a base :class:`~kefu.wfm.simulate.SimModel` (volume, bot
containment, handle time, agents on duty), optionally only in a window of intervals, e.g.
"bot resolves 10 % more", "two agents fewer from 20:00", "volume +30 % on 双11".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from kefu.wfm.simulate import AgentGroup, QueueSpec, SimConfig, SimModel, SimResult, simulate

__all__ = ["Scenario", "ScenarioResult", "apply_scenario", "compare_scenarios"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """Changes applied to the base model.

    ``bot_containment_delta`` is in absolute points (0.10 = the bot resolves 10 % more of all
    contacts); ``staff_delta`` adds (or, negative, removes) agents from the first agent group;
    volume and staff changes apply to intervals ``[first_interval, last_interval)``.
    """

    name: str
    volume_factor: float = 1.0
    bot_containment_delta: float = 0.0
    aht_factor: float = 1.0
    staff_delta: int = 0
    first_interval: int = 0
    last_interval: int | None = None

    def covers(self, i: int) -> bool:
        return i >= self.first_interval and (self.last_interval is None or i < self.last_interval)


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    scenario: Scenario
    result: SimResult


def _queue(q: QueueSpec, s: Scenario) -> QueueSpec:
    calls = tuple(c * s.volume_factor if s.covers(i) else c for i, c in enumerate(q.calls))
    containment = min(1.0, max(0.0, q.bot_containment + s.bot_containment_delta))
    return replace(
        q, calls=calls, bot_containment=containment, aht_seconds=q.aht_seconds * s.aht_factor
    )


def _group(g: AgentGroup, s: Scenario) -> AgentGroup:
    staff = tuple(max(0, n + s.staff_delta) if s.covers(i) else n for i, n in enumerate(g.staff))
    return replace(g, staff=staff)


def apply_scenario(model: SimModel, s: Scenario) -> SimModel:
    queues = tuple(_queue(q, s) for q in model.queues)
    groups = tuple(
        _group(g, s) if i == 0 and s.staff_delta else g for i, g in enumerate(model.groups)
    )
    return replace(model, queues=queues, groups=groups)


def compare_scenarios(
    model: SimModel, scenarios: Sequence[Scenario], config: SimConfig | None = None
) -> list[ScenarioResult]:
    """Simulate the base model and each scenario with the same seeds (common random numbers)."""
    base = Scenario("base")
    return [
        ScenarioResult(s, simulate(apply_scenario(model, s), config)) for s in (base, *scenarios)
    ]
