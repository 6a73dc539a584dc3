"""The inspection rules: pure functions from a conversation's record to hits with evidence."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kefu.quality.schemas import Hit

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
CARD = re.compile(r"(?<!\d)\d{16,19}(?!\d)")


@dataclass(frozen=True)
class Msg:
    id: str
    seq: int
    sender_type: str
    body: str
    private: bool
    at: datetime
    negative: bool = False


@dataclass(frozen=True)
class Record:
    """What inspection reads about one conversation."""

    messages: Sequence[Msg]
    assigned_at: datetime | None
    queued_at: datetime | None
    first_agent_reply_at: datetime | None
    assignments: int
    bot_outcomes: Sequence[str]
    bot_unhelpful: Sequence[str]  # reply message ids rated not helpful

    def agent_messages(self) -> list[Msg]:
        return [m for m in self.messages if m.sender_type == "agent" and not m.private]


@dataclass(frozen=True)
class RuleSpec:
    id: str
    kind: str
    name: str
    weight: float
    params: dict[str, Any]

    def hit(
        self, message: Msg | None = None, span: tuple[int, int] | None = None, detail: str = ""
    ) -> Hit:
        return Hit(
            rule_id=self.id,
            kind=self.kind,
            name=self.name,
            weight=self.weight,
            message_id=message.id if message else None,
            seq=message.seq if message else None,
            span=span,
            detail=detail,
        )


def _find(text: str, phrases: Sequence[str]) -> tuple[int, int] | None:
    lower = text.lower()
    for phrase in phrases:
        at = lower.find(phrase.lower())
        if at >= 0:
            return at, at + len(phrase)
    return None


def forbidden_phrase(rule: RuleSpec, r: Record) -> list[Hit]:
    hits = []
    for m in r.agent_messages():
        span = _find(m.body, rule.params["phrases"])
        if span:
            hits.append(rule.hit(m, span, m.body[span[0] : span[1]]))
    return hits


def required_greeting(rule: RuleSpec, r: Record) -> list[Hit]:
    agent = r.agent_messages()
    if agent and _find(agent[0].body, rule.params["phrases"]) is None:
        return [rule.hit(agent[0], detail="no greeting in the first reply")]
    return []


def required_closing(rule: RuleSpec, r: Record) -> list[Hit]:
    agent = r.agent_messages()
    if agent and _find(agent[-1].body, rule.params["phrases"]) is None:
        return [rule.hit(agent[-1], detail="no closing in the last reply")]
    return []


def first_response_over(rule: RuleSpec, r: Record) -> list[Hit]:
    start = r.assigned_at or r.queued_at
    if start is None or r.first_agent_reply_at is None:
        return []
    waited = (r.first_agent_reply_at - start).total_seconds()
    return [rule.hit(detail=f"{waited:.0f} s")] if waited > rule.params["seconds"] else []


def agent_silence_over(rule: RuleSpec, r: Record) -> list[Hit]:
    hits, waiting_since = [], None
    for m in r.messages:
        if m.private:
            continue
        if m.sender_type == "contact" and waiting_since is None:
            waiting_since = m
        elif m.sender_type == "agent" and waiting_since is not None:
            gap = (m.at - waiting_since.at).total_seconds()
            if r.assigned_at and waiting_since.at >= r.assigned_at and gap > rule.params["seconds"]:
                hits.append(rule.hit(waiting_since, detail=f"{gap:.0f} s"))
            waiting_since = None
    return hits


def negative_without_empathy(rule: RuleSpec, r: Record) -> list[Hit]:
    hits = []
    for i, m in enumerate(r.messages):
        if m.sender_type != "contact" or not m.negative:
            continue
        reply = next(
            (n for n in r.messages[i + 1 :] if n.sender_type == "agent" and not n.private), None
        )
        if reply is not None and _find(reply.body, rule.params["phrases"]) is None:
            hits.append(rule.hit(reply, detail="no apology after a negative message"))
    return hits


def bot_unhelpful(rule: RuleSpec, r: Record) -> list[Hit]:
    by_id = {m.id: m for m in r.messages}
    return [rule.hit(by_id.get(mid), detail="rated not helpful") for mid in r.bot_unhelpful]


def bot_fallback_loop(rule: RuleSpec, r: Record) -> list[Hit]:
    run = longest = 0
    for outcome in r.bot_outcomes:
        run = run + 1 if outcome == "fallback" else 0
        longest = max(longest, run)
    return (
        [rule.hit(detail=f"{longest} fallbacks in a row")]
        if longest >= rule.params["count"]
        else []
    )


def transfer_bounce(rule: RuleSpec, r: Record) -> list[Hit]:
    transfers = max(0, r.assignments - 1)
    return [rule.hit(detail=f"{transfers} transfers")] if transfers > rule.params["count"] else []


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def sensitive_data(rule: RuleSpec, r: Record) -> list[Hit]:
    hits = []
    for m in r.agent_messages():
        for pattern, label in ((PHONE, "phone"), (ID_NUMBER, "id_number"), (CARD, "bank_card")):
            for found in pattern.finditer(m.body):
                if label == "bank_card" and not _luhn(found.group(0)):
                    continue
                hits.append(rule.hit(m, (found.start(), found.end()), label))
    return hits


RULES: dict[str, Callable[[RuleSpec, Record], list[Hit]]] = {
    f.__name__: f
    for f in (
        forbidden_phrase, required_greeting, required_closing, first_response_over,
        agent_silence_over, negative_without_empathy, bot_unhelpful, bot_fallback_loop,
        transfer_bounce, sensitive_data,
    )
}  # fmt: skip


def inspect(rules: Sequence[RuleSpec], record: Record) -> tuple[float, list[Hit]]:
    """Score = 100 minus the weight of every rule with at least one hit (floored at 0)."""
    hits: list[Hit] = []
    lost = 0.0
    for rule in rules:
        found = RULES[rule.kind](rule, record)
        if found:
            lost += rule.weight
            hits.extend(found)
    return max(0.0, 100.0 - lost), hits
