"""Metrics over recorded facts (conversation facts, bot turns, CSAT answers, QA results)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from kefu.analytics import business
from kefu.analytics.definitions import DEFINITIONS
from kefu.analytics.models import ConversationFact as F
from kefu.analytics.schemas import HeatCell, Metric, SeriesPoint, Summary
from kefu.bot.models import BotTurn
from kefu.conversations.models import Conversation, Message
from kefu.quality.models import QaResult
from kefu.surveys.models import CsatResponse


@dataclass(frozen=True)
class Scope:
    tenant_id: uuid.UUID
    start: datetime
    end: datetime
    channel: str | None = None
    team_id: uuid.UUID | None = None
    agent_id: uuid.UUID | None = None
    tz: str = "Asia/Shanghai"  # the tenant's: buckets and order days are local

    def previous(self) -> Scope:
        return replace(self, start=self.start - (self.end - self.start), end=self.start)

    def bot_turns(self) -> ColumnElement[bool]:
        """Bot turns of the period; of the channel's conversations when one is chosen (team and
        agent do not apply: the bot answers before either is known)."""
        conds = [
            BotTurn.tenant_id == self.tenant_id,
            BotTurn.created_at >= self.start,
            BotTurn.created_at < self.end,
        ]
        if self.channel:
            of_channel = select(Conversation.id).where(
                Conversation.tenant_id == self.tenant_id, Conversation.channel == self.channel
            )
            conds.append(BotTurn.conversation_id.in_(of_channel))
        return and_(*conds)

    def facts(self, column: Any) -> ColumnElement[bool]:
        conds = [F.tenant_id == self.tenant_id, column >= self.start, column < self.end]
        if self.channel:
            conds.append(F.channel == self.channel)
        if self.team_id:
            conds.append(F.team_id == self.team_id)
        if self.agent_id:
            conds.append(F.agent_id == self.agent_id)
        return and_(*conds)


def _ratio(num: Any, den: Any) -> float | None:
    return None if not den else float(num or 0) / float(den)


def _avg(value: Any) -> float | None:
    return None if value is None else float(value)


def _flag(column: Any) -> Any:
    return func.sum(cast(column, Integer))


async def _conversation_metrics(session: AsyncSession, s: Scope) -> dict[str, float | None]:
    row = (
        await session.execute(
            select(
                func.count(),
                func.sum(F.messages_contact + F.messages_agent + F.messages_bot),
                _flag(F.self_service),
                _flag(F.had_bot),
                func.sum(case((and_(F.had_bot, F.first_queued_at.is_not(None)), 1), else_=0)),
                func.avg(F.first_response_seconds),
                func.avg(F.handle_seconds),
                func.avg(F.resolution_seconds),
            ).where(s.facts(F.created_at))
        )
    ).one()
    n, messages, self_service, bot, handed, frt, aht, resolution = row
    return {
        "conversations": float(n),
        "messages": float(messages or 0),
        "self_service_rate": _ratio(self_service, n),
        "transfer_to_human_rate": _ratio(handed, bot),
        "first_response_time": _avg(frt),
        "handle_time": _avg(aht),
        "resolution_time": _avg(resolution),
    }


async def _queue_metrics(
    session: AsyncSession, s: Scope, sl_seconds: int
) -> dict[str, float | None]:
    answered = case((F.wait_seconds <= sl_seconds, 1), else_=0)
    row = (
        await session.execute(
            select(
                func.count(), func.sum(answered), func.avg(F.wait_seconds), _flag(F.abandoned)
            ).where(s.facts(F.first_queued_at))
        )
    ).one()
    queued, within, asa, abandoned = row
    return {
        "service_level": _ratio(within, queued),
        "asa": _avg(asa),
        "abandonment_rate": _ratio(abandoned, queued),
    }


async def _bot_metrics(session: AsyncSession, s: Scope) -> dict[str, float | None]:
    stmt = select(BotTurn.outcome, func.count()).where(s.bot_turns()).group_by(BotTurn.outcome)
    counts = {k: int(v) for k, v in (await session.execute(stmt)).all()}
    questions = counts.get("answer", 0) + counts.get("clarify", 0) + counts.get("fallback", 0)
    return {
        "bot_coverage": _ratio(counts.get("answer", 0), questions),
        "clarify_rate": _ratio(counts.get("clarify", 0), questions),
    }


async def _rating_metrics(session: AsyncSession, s: Scope) -> dict[str, float | None]:
    csat = select(func.avg(CsatResponse.score)).where(
        CsatResponse.tenant_id == s.tenant_id,
        CsatResponse.created_at >= s.start,
        CsatResponse.created_at < s.end,
    )
    qa = select(func.avg(func.coalesce(QaResult.override_score, QaResult.score))).where(
        QaResult.tenant_id == s.tenant_id,
        QaResult.inspected_at >= s.start,
        QaResult.inspected_at < s.end,
    )
    if s.agent_id:
        csat = csat.where(CsatResponse.agent_id == s.agent_id)
        qa = qa.where(QaResult.agent_id == s.agent_id)
    return {
        "csat": _avg((await session.execute(csat)).scalar()),
        "qa_score": _avg((await session.execute(qa)).scalar()),
    }


async def _all(session: AsyncSession, s: Scope, sl_seconds: int) -> dict[str, float | None]:
    conversations = await _conversation_metrics(session, s)
    return {
        **conversations,
        **await _queue_metrics(session, s, sl_seconds),
        **await _bot_metrics(session, s),
        **await _rating_metrics(session, s),
        **await business.ticket_metrics(session, s),
        **await business.contacts_per_orders(session, s, conversations["conversations"]),
    }


async def summary(session: AsyncSession, s: Scope, sl_seconds: int) -> Summary:
    now, before = await _all(session, s, sl_seconds), await _all(session, s.previous(), sl_seconds)
    metrics = [
        Metric(
            key=k,
            value=now.get(k),
            previous=before.get(k),
            unit=unit,
            definition_en=en,
            definition_zh=zh,
        )
        for k, (unit, en, zh) in DEFINITIONS.items()
    ]
    return Summary(start=s.start, end=s.end, service_level_seconds=sl_seconds, metrics=metrics)


SLOT_SECONDS = 900  # every time zone's offset is a multiple of 15 minutes


def _slot(session: AsyncSession) -> Any:
    """The UTC quarter-hour of a fact's creation, as an integer, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        return func.floor(func.extract("epoch", F.created_at) / SLOT_SECONDS)
    return cast(func.strftime("%s", F.created_at), Integer) // SLOT_SECONDS


async def _created(session: AsyncSession, s: Scope) -> list[tuple[datetime, int, int]]:
    """(UTC quarter-hour start, conversations, messages) created in the period: the database
    counts per quarter-hour, so local hours and days are exact in any time zone."""
    slot = _slot(session).label("slot")
    stmt = (
        select(slot, func.count(), func.sum(F.messages_contact + F.messages_agent + F.messages_bot))
        .where(s.facts(F.created_at))
        .group_by(slot)
    )
    return [
        (datetime.fromtimestamp(int(q) * SLOT_SECONDS, UTC), int(n), int(m or 0))
        for q, n, m in (await session.execute(stmt)).all()
    ]


async def volume(session: AsyncSession, s: Scope, bucket: str, tz: str) -> list[SeriesPoint]:
    zone = ZoneInfo(tz)
    fmt = "%Y-%m-%d %H:00" if bucket == "hour" else "%Y-%m-%d"
    conversations: Counter[str] = Counter()
    messages: Counter[str] = Counter()
    for at, n, m in await _created(session, s):
        key = at.astimezone(zone).strftime(fmt)
        conversations[key] += n
        messages[key] += m
    return [
        SeriesPoint(bucket=k, conversations=conversations[k], messages=messages[k])
        for k in sorted(conversations)
    ]


async def heatmap(session: AsyncSession, s: Scope, tz: str) -> list[HeatCell]:
    zone = ZoneInfo(tz)
    cells: Counter[tuple[int, int]] = Counter()
    for at, n, _ in await _created(session, s):
        local = at.astimezone(zone)
        cells[(local.weekday(), local.hour)] += n
    return [HeatCell(weekday=d, hour=h, conversations=n) for (d, h), n in sorted(cells.items())]


async def top_unanswered(session: AsyncSession, s: Scope, limit: int) -> list[tuple[str, int]]:
    """The contact questions the bot most often could not answer (fallbacks)."""
    stmt = (
        select(Message.body, func.count())
        .join(BotTurn, BotTurn.message_id == Message.id)
        .where(s.bot_turns(), BotTurn.outcome == "fallback")
        .group_by(Message.body)
        .order_by(func.count().desc())
        .limit(limit)
    )  # fmt: skip
    return [(str(body), int(n)) for body, n in (await session.execute(stmt)).all()]


async def top_faqs(session: AsyncSession, s: Scope, limit: int) -> list[tuple[str, int]]:
    stmt = (
        select(BotTurn.faq_id, func.count())
        .where(s.bot_turns(), BotTurn.outcome == "answer", BotTurn.faq_id.is_not(None))
        .group_by(BotTurn.faq_id)
        .order_by(func.count().desc())
        .limit(limit)
    )  # fmt: skip
    return [(str(faq), int(n)) for faq, n in (await session.execute(stmt)).all()]
