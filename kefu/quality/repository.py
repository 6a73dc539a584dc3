"""Tenant- and role-scoped reads of quality inspection: managers see every result of the tenant,
an agent only the results of its own conversations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact
from kefu.conversations.models import Conversation
from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.quality.models import QaResult, QaRule
from kefu.quality.schemas import ResultOut


def final_score() -> ColumnElement[float]:
    """The supervisor's score if overridden, else the inspection's."""
    return func.coalesce(QaResult.override_score, QaResult.score)


def ended_at() -> ColumnElement[datetime]:
    """When the conversation ended: resolved, else abandoned, else closed."""
    return func.coalesce(
        Conversation.resolved_at, Conversation.abandoned_at, Conversation.closed_at
    )


Rows = Select[QaResult, datetime, str]


@dataclass(frozen=True)
class ResultFilter:
    agent_id: uuid.UUID | None = None
    ended_from: datetime | None = None
    ended_to: datetime | None = None
    min_score: float | None = None
    max_score: float | None = None
    below: float | None = None
    rule_id: uuid.UUID | None = None
    reviewed: bool | None = None
    limit: int = 100
    offset: int = 0


def _scoped(principal: Principal) -> Rows:
    stmt = (
        select(QaResult, ended_at(), Contact.name)
        .join(Conversation, Conversation.id == QaResult.conversation_id)
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(QaResult.tenant_id == principal.tenant_id)
    )
    if not principal.is_manager:
        stmt = stmt.where(QaResult.agent_id == principal.user_id)
    return stmt


def _filtered(stmt: Rows, f: ResultFilter) -> Rows:
    conditions: list[ColumnElement[bool]] = []
    if f.agent_id is not None:
        conditions.append(QaResult.agent_id == f.agent_id)
    if f.ended_from is not None:
        conditions.append(ended_at() >= f.ended_from)
    if f.ended_to is not None:
        conditions.append(ended_at() < f.ended_to)
    if f.min_score is not None:
        conditions.append(final_score() >= f.min_score)
    if f.max_score is not None:
        conditions.append(final_score() <= f.max_score)
    if f.below is not None:
        conditions.append(final_score() < f.below)
    if f.rule_id is not None:
        conditions.append(QaResult.hit_rule_ids.contains(f",{f.rule_id},"))
    if f.reviewed is not None:
        reviewed = QaResult.overridden_at.is_not(None)
        conditions.append(reviewed if f.reviewed else QaResult.overridden_at.is_(None))
    return stmt.where(*conditions)


def _out(row: Any) -> ResultOut:
    result, ended, contact_name = row
    final = result.override_score if result.override_score is not None else result.score
    return ResultOut.model_validate(
        {
            **{k: getattr(result, k) for k in ResultOut.model_fields if hasattr(result, k)},
            "final_score": final,
            "ended_at": ended,
            "contact_name": contact_name,
            "reviewed": result.overridden_at is not None,
        }
    )


async def list_results(
    session: AsyncSession, principal: Principal, f: ResultFilter
) -> list[ResultOut]:
    """Newest ended first (then id), paged by limit / offset."""
    stmt = _filtered(_scoped(principal), f)
    stmt = stmt.order_by(ended_at().desc(), QaResult.id.desc()).limit(f.limit).offset(f.offset)
    return [_out(row) for row in (await session.execute(stmt)).all()]


async def result_out_for(
    session: AsyncSession, principal: Principal, condition: ColumnElement[bool]
) -> ResultOut:
    row = (await session.execute(_scoped(principal).where(condition))).first()
    if row is None:
        raise NotFound("qa_result")
    return _out(row)


async def get_result_for(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> QaResult:
    result = await session.get(QaResult, result_id)
    if result is None or result.tenant_id != principal.tenant_id:
        raise NotFound("qa_result")
    if not principal.is_manager and result.agent_id != principal.user_id:
        raise NotFound("qa_result")
    return result


async def get_rule_for(session: AsyncSession, principal: Principal, rule_id: uuid.UUID) -> QaRule:
    rule = await session.get(QaRule, rule_id)
    if rule is None or rule.tenant_id != principal.tenant_id:
        raise NotFound("qa_rule")
    return rule


async def rules_of(session: AsyncSession, tenant_id: uuid.UUID) -> list[QaRule]:
    stmt = select(QaRule).where(QaRule.tenant_id == tenant_id).order_by(QaRule.name)
    return list((await session.execute(stmt)).scalars())
