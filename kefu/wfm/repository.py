"""Tenant-scoped reads for WFM: history (kefu's own records plus imports) and stored objects.

Own history: a contact is a conversation *entering the agent queue*, i.e. a transition to
``queued`` from nothing (a new conversation without the bot), from ``bot`` (handoff) or from
``resolved``/``abandoned`` (reopened); a requeue after ``unassign`` is not a new contact.  Its
queue is the conversation's team (``default`` without a team; ``all`` is every contact) and
its handle time is ``assigned_at → resolved_at`` where both exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from kefu.conversations.models import Conversation, Transition
from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.tenants.models import Team, Tenant
from kefu.wfm.models import (
    WfmEvent,
    WfmForecast,
    WfmIntervalCount,
    WfmSchedule,
    WfmShiftTemplate,
)

if TYPE_CHECKING:
    from kefu.wfm.series import ContactRecord

ALL, DEFAULT = "all", "default"
NEW_CONTACT_FROM = ("bot", "resolved", "abandoned")


async def tenant_zone(session: AsyncSession, tenant_id: uuid.UUID) -> str:
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("tenant")
    return tenant.timezone


async def _own(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    queue: str,
    channel: str | None,
    since: datetime,
    until: datetime | None,
) -> Sequence[Any]:
    stmt = (
        select(Transition.created_at, Conversation.assigned_at, Conversation.resolved_at)
        .join(Conversation, Conversation.id == Transition.conversation_id)
        .outerjoin(Team, Team.id == Conversation.team_id)
        .where(
            Transition.tenant_id == tenant_id,
            Transition.to_status == "queued",
            or_(Transition.from_status.is_(None), Transition.from_status.in_(NEW_CONTACT_FROM)),
            Transition.created_at >= since,
        )
    )
    if until is not None:
        stmt = stmt.where(Transition.created_at < until)
    if queue == DEFAULT:
        stmt = stmt.where(Conversation.team_id.is_(None))
    elif queue != ALL:
        stmt = stmt.where(Team.name == queue)
    if channel is not None:
        stmt = stmt.where(Conversation.channel == channel)
    return (await session.execute(stmt)).all()


async def _imported(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    queue: str,
    since: datetime,
    until: datetime | None,
) -> Sequence[WfmIntervalCount]:
    stmt = select(WfmIntervalCount).where(
        WfmIntervalCount.tenant_id == tenant_id, WfmIntervalCount.starts_at >= since
    )
    if until is not None:
        stmt = stmt.where(WfmIntervalCount.starts_at < until)
    if queue != ALL:
        stmt = stmt.where(WfmIntervalCount.queue == queue)
    return (await session.execute(stmt)).scalars().all()


async def contact_records(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    queue: str,
    channel: str | None,
    since: datetime,
    until: datetime | None = None,
) -> list[ContactRecord]:
    """Own contacts (one record each) plus imported counts (only when no channel is asked)."""
    from kefu.wfm.series import ContactRecord

    out = []
    for queued_at, assigned_at, resolved_at in await _own(
        session, tenant_id, queue, channel, since, until
    ):
        aht = None
        if assigned_at is not None and resolved_at is not None and resolved_at > assigned_at:
            aht = (resolved_at - assigned_at).total_seconds()
        out.append(ContactRecord(queued_at, queue, 1.0, aht))
    if channel is None:
        for row in await _imported(session, tenant_id, queue, since, until):
            out.append(ContactRecord(row.starts_at, queue, row.contacts, row.aht_seconds))
    return out


async def queue_names(session: AsyncSession, tenant_id: uuid.UUID) -> tuple[list[str], list[str]]:
    teams = await session.execute(select(Team.name).where(Team.tenant_id == tenant_id))
    imported = await session.execute(
        select(WfmIntervalCount.queue).where(WfmIntervalCount.tenant_id == tenant_id).distinct()
    )
    own = [ALL, DEFAULT, *sorted(teams.scalars())]
    return own, sorted(imported.scalars())


async def _get(
    session: AsyncSession, principal: Principal, model: Any, id_: uuid.UUID, entity: str
) -> Any:
    row = await session.get(model, id_)
    if row is None or row.tenant_id != principal.tenant_id:
        raise NotFound(entity)
    return row


async def get_forecast_for(
    session: AsyncSession, principal: Principal, forecast_id: uuid.UUID
) -> WfmForecast:
    row: WfmForecast = await _get(session, principal, WfmForecast, forecast_id, "wfm_forecast")
    return row


async def get_event_for(
    session: AsyncSession, principal: Principal, event_id: uuid.UUID
) -> WfmEvent:
    row: WfmEvent = await _get(session, principal, WfmEvent, event_id, "wfm_event")
    return row


async def get_template_for(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> WfmShiftTemplate:
    row: WfmShiftTemplate = await _get(
        session, principal, WfmShiftTemplate, template_id, "shift_template"
    )
    return row


async def get_schedule_for(
    session: AsyncSession, principal: Principal, schedule_id: uuid.UUID
) -> WfmSchedule:
    row: WfmSchedule = await _get(session, principal, WfmSchedule, schedule_id, "wfm_schedule")
    return row


async def events(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[WfmEvent]:
    stmt = select(WfmEvent).where(WfmEvent.tenant_id == tenant_id).order_by(WfmEvent.start)
    return (await session.execute(stmt)).scalars().all()


async def templates(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[WfmShiftTemplate]:
    stmt = select(WfmShiftTemplate).where(WfmShiftTemplate.tenant_id == tenant_id)
    return (await session.execute(stmt.order_by(WfmShiftTemplate.name))).scalars().all()


async def forecasts(
    session: AsyncSession, tenant_id: uuid.UUID, queue: str | None, limit: int
) -> Sequence[WfmForecast]:
    stmt = (
        select(WfmForecast)
        .options(defer(WfmForecast.result, raiseload=True))
        .where(WfmForecast.tenant_id == tenant_id)
    )
    if queue is not None:
        stmt = stmt.where(WfmForecast.queue == queue)
    stmt = stmt.order_by(WfmForecast.created_at.desc()).limit(limit)
    return (await session.execute(stmt)).scalars().all()


async def schedules(
    session: AsyncSession, tenant_id: uuid.UUID, limit: int
) -> Sequence[WfmSchedule]:
    stmt = (
        select(WfmSchedule)
        .options(defer(WfmSchedule.result, raiseload=True))
        .where(WfmSchedule.tenant_id == tenant_id)
    )
    stmt = stmt.order_by(WfmSchedule.created_at.desc()).limit(limit)
    return (await session.execute(stmt)).scalars().all()
