"""Reports beside the summary: top questions (the bot's intents are FAQ ids), a breakdown by
team, agent or channel, and the rows of every report for CSV / XLSX export."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics import service
from kefu.analytics.models import ConversationFact as F
from kefu.analytics.schemas import (
    AnsweredQuestion,
    BreakdownRow,
    TopQuestions,
    UnansweredQuestion,
)
from kefu.knowledge.repository import live_version
from kefu.tenants.models import Team, User

By = Literal["team", "agent", "channel"]
GROUP = {"team": F.team_id, "agent": F.agent_id, "channel": F.channel}


async def top_questions(session: AsyncSession, s: service.Scope, limit: int) -> TopQuestions:
    answered = await service.top_faqs(session, s, limit)
    unanswered = await service.top_unanswered(session, s, limit)
    live = await live_version(session, s.tenant_id)
    faqs = {f["id"]: f for f in (live.snapshot.get("faqs", []) if live else [])}

    def question(faq_id: str) -> str:
        faq = faqs.get(faq_id, {})
        return str(faq.get("question_zh") or faq.get("question_en") or "")

    return TopQuestions(
        answered=[AnsweredQuestion(faq_id=f, question=question(f), count=n) for f, n in answered],
        unanswered=[UnansweredQuestion(text=t, count=n) for t, n in unanswered],
    )


async def _names(session: AsyncSession, tenant_id: uuid.UUID, by: By) -> dict[str, str]:
    if by == "channel":
        return {}
    table: Any = Team if by == "team" else User
    rows = await session.execute(select(table.id, table.name).where(table.tenant_id == tenant_id))
    return {str(k): str(v) for k, v in rows.all()}


def _ratio(num: Any, den: Any) -> float | None:
    return None if not den else float(num or 0) / float(den)


async def breakdown(
    session: AsyncSession, s: service.Scope, by: By, sl_seconds: int
) -> list[BreakdownRow]:
    """Conversations created in the period, grouped; queue figures among those that queued."""
    key = GROUP[by]
    queued = func.sum(case((F.first_queued_at.is_not(None), 1), else_=0))
    stmt = (
        select(
            key, func.count(), func.sum(F.messages_contact + F.messages_agent + F.messages_bot),
            queued, func.sum(case((F.wait_seconds <= sl_seconds, 1), else_=0)),
            func.sum(cast(F.abandoned, Integer)), func.avg(F.first_response_seconds),
            func.avg(F.handle_seconds),
        )
        .where(s.facts(F.created_at))
        .group_by(key)
        .order_by(func.count().desc())
    )  # fmt: skip
    names = await _names(session, s.tenant_id, by)
    out = []
    for k, n, messages, q, within, abandoned, frt, aht in (await session.execute(stmt)).all():
        label = None if k is None else str(k)
        out.append(
            BreakdownRow(
                key=label, name=names.get(label, label) if label else None,
                conversations=int(n), messages=int(messages or 0), queued=int(q or 0),
                service_level=_ratio(within, q), abandonment_rate=_ratio(abandoned, q),
                first_response_time=None if frt is None else float(frt),
                handle_time=None if aht is None else float(aht),
            )
        )  # fmt: skip
    return out


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula (=, +, -, @) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


Table = tuple[list[str], Sequence[Sequence[object]]]


def breakdown_table(rows: list[BreakdownRow], by: By) -> Table:
    fields = list(BreakdownRow.model_fields)
    header = [by if f == "key" else f for f in fields]
    return header, [[safe_cell(getattr(r, f)) for f in fields] for r in rows]


def questions_table(top: TopQuestions, which: Literal["answered", "unanswered"]) -> Table:
    if which == "answered":
        return ["faq_id", "question", "count"], [
            [q.faq_id, safe_cell(q.question), q.count] for q in top.answered
        ]
    return ["question", "count"], [[safe_cell(q.text), q.count] for q in top.unanswered]
