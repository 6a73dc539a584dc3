"""Pure routing decisions: which rule matches, which agents are eligible, in what order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kefu.routing.models import RoutingRule

STRATEGIES = ("round_robin", "least_busy")


@dataclass(frozen=True)
class Facts:
    """What the rules look at in a queued conversation."""

    inbox_id: uuid.UUID
    language: str | None
    tags: frozenset[str]
    intents: frozenset[str]
    handoff_reason: str | None


def _lang(value: str | None) -> str:
    return (value or "").lower().split("-")[0]


def rule_matches(rule: RoutingRule, facts: Facts) -> bool:
    """Every condition that is set must hold; an empty condition matches anything."""
    if not rule.enabled:
        return False
    if rule.inbox_ids and str(facts.inbox_id) not in rule.inbox_ids:
        return False
    if rule.languages and _lang(facts.language) not in {_lang(x) for x in rule.languages}:
        return False
    if rule.tags and not facts.tags & set(rule.tags):
        return False
    if rule.intents and not facts.intents & set(rule.intents):
        return False
    return not (rule.handoff_reasons and facts.handoff_reason not in rule.handoff_reasons)


def first_match(rules: Sequence[RoutingRule], facts: Facts) -> RoutingRule | None:
    for rule in sorted(rules, key=lambda r: (r.position, r.created_at)):
        if rule_matches(rule, facts):
            return rule
    return None


@dataclass
class Candidate:
    """An online agent that might take a conversation."""

    user_id: uuid.UUID
    skills: frozenset[str]
    languages: frozenset[str]
    team_ids: frozenset[uuid.UUID]
    capacity: int
    load: int
    last_assigned_at: datetime | None = None
    full: bool = field(default=False)

    @property
    def spare(self) -> int:
        return 0 if self.full else max(0, self.capacity - self.load)


@dataclass(frozen=True)
class Need:
    """What a queued conversation needs from an agent."""

    team_id: uuid.UUID | None
    skills: frozenset[str]
    language: str | None
    excluded: frozenset[uuid.UUID] = frozenset()


def eligible(agent: Candidate, need: Need, *, match_skills: bool, match_language: bool) -> bool:
    if agent.spare <= 0 or agent.user_id in need.excluded:
        return False
    if need.team_id is not None and need.team_id not in agent.team_ids:
        return False
    if match_skills and not need.skills <= agent.skills:
        return False
    if match_language and need.language and agent.languages:
        return _lang(need.language) in {_lang(x) for x in agent.languages}
    return True


def order(
    agents: Sequence[Candidate], strategy: str, sticky: uuid.UUID | None = None
) -> list[Candidate]:
    """Agents in the order to try: the sticky agent first, then by strategy."""
    epoch = datetime.min

    def last(a: Candidate) -> datetime:
        return a.last_assigned_at.replace(tzinfo=None) if a.last_assigned_at else epoch

    if strategy == "round_robin":
        ranked = sorted(agents, key=lambda a: (last(a), str(a.user_id)))
    else:
        ranked = sorted(agents, key=lambda a: (a.load / max(1, a.capacity), a.load, last(a)))
    if sticky is not None:
        ranked.sort(key=lambda a: a.user_id != sticky)
    return ranked
