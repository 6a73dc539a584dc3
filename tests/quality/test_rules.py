"""Each inspection rule fires on a positive case and stays silent on a negative one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kefu.quality.rules import RULES, Msg, Record, RuleSpec, inspect

T0 = datetime(2026, 11, 11, 10, 0, tzinfo=UTC)


def msg(
    seq: int,
    sender: str,
    body: str,
    seconds: int = 0,
    *,
    negative: bool = False,
    private: bool = False,
) -> Msg:
    return Msg(f"m{seq}", seq, sender, body, private, T0 + timedelta(seconds=seconds), negative)


def record(messages: list[Msg], **kw: Any) -> Record:
    base: dict[str, Any] = {
        "messages": messages,
        "assigned_at": T0,
        "queued_at": T0,
        "first_agent_reply_at": None,
        "assignments": 1,
        "bot_outcomes": [],
        "bot_unhelpful": [],
    }
    return Record(**{**base, **kw})


def rule(kind: str, **params: Any) -> RuleSpec:
    return RuleSpec("r1", kind, kind, 10.0, params)


CASES: list[tuple[str, dict[str, Any], Record, Record]] = [
    ("forbidden_phrase", {"phrases": ["不知道"]},
     record([msg(1, "contact", "怎么退货"), msg(2, "agent", "我也不知道")]),
     record([msg(1, "contact", "怎么退货"), msg(2, "agent", "您可以在订单页申请")])),
    ("required_greeting", {"phrases": ["您好", "hello"]},
     record([msg(1, "contact", "hi"), msg(2, "agent", "what's up")]),
     record([msg(1, "contact", "hi"), msg(2, "agent", "Hello! How can I help?")])),
    ("required_closing", {"phrases": ["祝您", "have a nice day"]},
     record([msg(1, "agent", "您好"), msg(2, "agent", "好的")]),
     record([msg(1, "agent", "您好"), msg(2, "agent", "祝您购物愉快")])),
    ("first_response_over", {"seconds": 60},
     record([], first_agent_reply_at=T0 + timedelta(seconds=90)),
     record([], first_agent_reply_at=T0 + timedelta(seconds=30))),
    ("agent_silence_over", {"seconds": 120},
     record([msg(1, "contact", "在吗", 10), msg(2, "agent", "在的", 300)]),
     record([msg(1, "contact", "在吗", 10), msg(2, "agent", "在的", 40)])),
    ("negative_without_empathy", {"phrases": ["抱歉", "sorry"]},
     record([msg(1, "contact", "太垃圾了", negative=True), msg(2, "agent", "请提供订单号")]),
     record([msg(1, "contact", "太垃圾了", negative=True), msg(2, "agent", "非常抱歉，请提供订单号")])),
    ("bot_unhelpful", {},
     record([msg(1, "bot", "answer")], bot_unhelpful=["m1"]),
     record([msg(1, "bot", "answer")])),
    ("bot_fallback_loop", {"count": 3},
     record([], bot_outcomes=["answer", "fallback", "fallback", "fallback"]),
     record([], bot_outcomes=["fallback", "fallback", "answer", "fallback"])),
    ("transfer_bounce", {"count": 2},
     record([], assignments=4),
     record([], assignments=3)),
    ("sensitive_data", {},
     record([msg(1, "agent", "请联系 13812345678 或卡号 4111111111111111")]),
     record([msg(1, "agent", "订单号 2026112612345671，请稍等"), msg(2, "agent", "note 13812345678", private=True)])),
]  # fmt: skip


def test_every_rule_kind_is_covered() -> None:
    assert {c[0] for c in CASES} == set(RULES)


@pytest.mark.parametrize(
    ("kind", "params", "positive", "negative"), CASES, ids=[c[0] for c in CASES]
)
def test_rule_fires_only_on_the_positive_case(
    kind: str, params: dict[str, Any], positive: Record, negative: Record
) -> None:
    spec = rule(kind, **params)
    assert RULES[kind](spec, positive), "should fire"
    assert RULES[kind](spec, negative) == [], "should stay silent"


def test_evidence_points_at_the_span() -> None:
    hits = RULES["forbidden_phrase"](rule("forbidden_phrase", phrases=["不知道"]), CASES[0][2])
    assert hits[0].message_id == "m2" and hits[0].span == (2, 5)
    card = RULES["sensitive_data"](rule("sensitive_data"), CASES[-1][2])
    assert {h.detail for h in card} == {"phone", "bank_card"}


def test_score_counts_each_rule_once() -> None:
    specs = [
        rule("forbidden_phrase", phrases=["不知道", "不清楚"]),
        RuleSpec("r2", "sensitive_data", "s", 25.0, {}),
    ]
    bad = record([msg(1, "agent", "不知道"), msg(2, "agent", "不清楚 13812345678")])
    score, hits = inspect(specs, bad)
    assert score == 65.0 and len(hits) == 3
    assert inspect(specs, record([msg(1, "agent", "您好")]))[0] == 100.0
