"""The pure parts of routing: rule matching, eligibility (skills, language, team), ordering."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kefu.routing.models import RoutingRule
from kefu.routing.rules import Candidate, Facts, Need, eligible, first_match, order

INBOX = uuid.uuid4()
TEAM = uuid.uuid4()


def rule(name: str, position: int, **conditions: object) -> RoutingRule:
    return RoutingRule(
        name=name,
        position=position,
        enabled=conditions.pop("enabled", True),
        inbox_ids=conditions.pop("inbox_ids", []),
        languages=conditions.pop("languages", []),
        tags=conditions.pop("tags", []),
        intents=conditions.pop("intents", []),
        handoff_reasons=conditions.pop("handoff_reasons", []),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def facts(**kw: object) -> Facts:
    base: dict[str, object] = {
        "inbox_id": INBOX,
        "language": "zh-CN",
        "tags": frozenset(),
        "intents": frozenset(),
        "handoff_reason": None,
    }
    return Facts(**{**base, **kw})  # type: ignore[arg-type]


def test_first_matching_rule_in_order_wins() -> None:
    rules = [
        rule("catch-all", 9),
        rule("english", 1, languages=["en"]),
        rule("angry", 0, handoff_reasons=["negative_sentiment"]),
        rule("refund intent", 2, intents=["faq-refund"]),
        rule("vip", 3, tags=["vip"], enabled=False),
    ]
    assert first_match(rules, facts()).name == "catch-all"  # type: ignore[union-attr]
    assert first_match(rules, facts(language="en-US")).name == "english"  # type: ignore[union-attr]
    angry = facts(language="en", handoff_reason="negative_sentiment")
    assert first_match(rules, angry).name == "angry"  # type: ignore[union-attr]
    refund = facts(intents=frozenset({"faq-refund"}))
    assert first_match(rules, refund).name == "refund intent"  # type: ignore[union-attr]
    assert first_match(rules, facts(tags=frozenset({"vip"}))).name == "catch-all"  # type: ignore[union-attr]
    assert first_match([rule("other inbox", 0, inbox_ids=[str(uuid.uuid4())])], facts()) is None


def agent(**kw: object) -> Candidate:
    base: dict[str, object] = {
        "user_id": uuid.uuid4(),
        "skills": frozenset(),
        "languages": frozenset({"zh-CN", "en"}),
        "team_ids": frozenset(),
        "capacity": 2,
        "load": 0,
    }
    return Candidate(**{**base, **kw})  # type: ignore[arg-type]


def test_eligibility_checks_capacity_team_skills_and_language() -> None:
    need = Need(team_id=TEAM, skills=frozenset({"refunds"}), language="en")
    good = agent(team_ids=frozenset({TEAM}), skills=frozenset({"refunds", "vip"}))
    assert eligible(good, need, match_skills=True, match_language=True)
    full = agent(team_ids=frozenset({TEAM}), skills=frozenset({"refunds"}), load=2)
    assert not eligible(full, need, match_skills=True, match_language=True)
    outsider = agent(skills=frozenset({"refunds"}))
    assert not eligible(outsider, need, match_skills=True, match_language=True)
    unskilled = agent(team_ids=frozenset({TEAM}))
    assert not eligible(unskilled, need, match_skills=True, match_language=True)
    assert eligible(unskilled, need, match_skills=False, match_language=True)
    chinese_only = agent(
        team_ids=frozenset({TEAM}), skills=frozenset({"refunds"}), languages=frozenset({"zh-CN"})
    )
    assert not eligible(chinese_only, need, match_skills=True, match_language=True)
    assert eligible(chinese_only, need, match_skills=True, match_language=False)
    excluded = Need(
        team_id=None, skills=frozenset(), language=None, excluded=frozenset({good.user_id})
    )
    assert not eligible(good, excluded, match_skills=True, match_language=True)


def test_ordering_by_strategy_and_sticky() -> None:
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    a = agent(load=1, capacity=4, last_assigned_at=late)
    b = agent(load=1, capacity=2, last_assigned_at=early)
    c = agent(load=0, capacity=2, last_assigned_at=None)
    assert order([a, b, c], "least_busy") == [c, a, b], "lowest load ratio first"
    assert order([a, b, c], "round_robin") == [c, b, a], "longest since the last assignment"
    assert order([a, b, c], "least_busy", sticky=b.user_id)[0] is b
