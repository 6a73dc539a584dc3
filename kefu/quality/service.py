"""Inspecting conversations against the tenant's rules; supervisors' overrides."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.bot.models import BotTurn
from kefu.conversations.models import Conversation, Message, Transition
from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.db import rows_affected, utcnow
from kefu.quality.models import QaResult, QaRule
from kefu.quality.repository import ended_at, rules_of
from kefu.quality.rules import Msg, Record, RuleSpec, inspect
from kefu.quality.schemas import Hit, OverrideIn, ReinspectIn, RuleIn


def _negative(text: str) -> bool:
    from kefu.bot.sentiment import strongly_negative  # lazy: the models load on first use

    return strongly_negative(text)


async def _record(session: AsyncSession, c: Conversation) -> Record:
    rows = (
        await session.execute(
            select(Message).where(Message.conversation_id == c.id).order_by(Message.seq)
        )
    ).scalars()
    raw = list(rows)
    contact_texts = [m.body for m in raw if m.sender_type == "contact" and m.body.strip()]
    flags = await asyncio.to_thread(lambda: {t: _negative(t) for t in contact_texts})
    messages = [
        Msg(
            str(m.id),
            m.seq,
            m.sender_type,
            m.body,
            m.private,
            m.created_at,
            flags.get(m.body, False),
        )
        for m in raw
    ]
    assignments = await session.execute(
        select(func.count())
        .select_from(Transition)
        .where(Transition.conversation_id == c.id, Transition.to_status == "assigned")
    )
    turns = list(
        (
            await session.execute(
                select(BotTurn).where(BotTurn.conversation_id == c.id).order_by(BotTurn.created_at)
            )
        ).scalars()
    )
    return Record(
        messages=messages,
        assigned_at=c.assigned_at,
        queued_at=c.queued_at,
        first_agent_reply_at=c.first_agent_reply_at,
        assignments=int(assignments.scalar_one()),
        bot_outcomes=[t.outcome for t in turns],
        bot_unhelpful=[
            str(t.reply_message_id) for t in turns if t.helpful is False and t.reply_message_id
        ],
    )


def _specs(rules: Sequence[QaRule]) -> list[RuleSpec]:
    return [RuleSpec(str(r.id), r.kind, r.name, r.weight, r.params) for r in rules if r.enabled]


async def _store(session: AsyncSession, c: Conversation, score: float, hits: list[Hit]) -> None:
    """Write (or rewrite) one conversation's result; a supervisor's override is kept."""
    result = (
        await session.execute(select(QaResult).where(QaResult.conversation_id == c.id))
    ).scalar_one_or_none()
    if result is None:
        result = QaResult(tenant_id=c.tenant_id, conversation_id=c.id)
        session.add(result)
    result.agent_id = c.assignee_id
    result.score, result.hits, result.inspected_at = score, [h.model_dump() for h in hits], utcnow()
    rule_ids = sorted({h.rule_id for h in hits})
    result.hit_rule_ids = f",{','.join(rule_ids)}," if rule_ids else ""
    result.stale = False
    await session.flush()


async def inspect_by_id(rt: Runtime, conversation_id: uuid.UUID) -> bool:
    """Job step: read and judge on a reader connection (sentiment off the loop), then write the
    result in a short transaction of its own."""
    async with rt.db.read_sessions() as reader:
        c = await reader.get(Conversation, conversation_id)
        if c is None:
            return False
        specs, record = _specs(await rules_of(reader, c.tenant_id)), await _record(reader, c)
    score, hits = inspect(specs, record)
    for _attempt in range(2):  # a concurrent first insert wins once; then it is an update
        async with rt.db.sessions() as session:
            try:
                await _store(session, c, score, hits)
                await session.commit()
                return True
            except IntegrityError:
                await session.rollback()
    return False


async def save_rule(
    session: AsyncSession, principal: Principal, data: RuleIn, rule: QaRule | None = None
) -> QaRule:
    if rule is None:
        rule = QaRule(tenant_id=principal.tenant_id)
        session.add(rule)
    for key, value in data.model_dump().items():
        setattr(rule, key, value)
    await session.flush()
    return rule


def override(result: QaResult, principal: Principal, data: OverrideIn) -> QaResult:
    result.override_score, result.override_comment = data.score, data.comment
    result.overridden_by, result.overridden_at = principal.user_id, utcnow()
    return result


async def mark_stale(session: AsyncSession, principal: Principal, data: ReinspectIn) -> int:
    """Re-inspection on request: the job scores these again under the current rules (overrides
    stay). Ids and the date range narrow it down; neither means every inspected conversation."""
    stmt = update(QaResult).where(QaResult.tenant_id == principal.tenant_id).values(stale=True)
    if data.conversation_ids:
        stmt = stmt.where(QaResult.conversation_id.in_(list(data.conversation_ids)))
    if data.ended_from is not None or data.ended_to is not None:
        ended = select(Conversation.id).where(Conversation.tenant_id == principal.tenant_id)
        if data.ended_from is not None:
            ended = ended.where(ended_at() >= data.ended_from)
        if data.ended_to is not None:
            ended = ended.where(ended_at() < data.ended_to)
        stmt = stmt.where(QaResult.conversation_id.in_(ended))
    result = await session.execute(stmt)
    return rows_affected(result)
