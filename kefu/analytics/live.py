"""Live figures for the monitor and the alert rules: waiting now, longest wait, agents by
presence, and the service level of the last 30 minutes (from the conversation facts)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics.models import AnalyticsSettings
from kefu.analytics.models import ConversationFact as F
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.routing.presence import PresenceStore
from kefu.routing.repository import queue_rows
from kefu.tenants.models import User

WINDOW = timedelta(minutes=30)
DEFAULT_SL_SECONDS = 20


@dataclass(frozen=True)
class LiveFigures:
    waiting: int
    longest_wait_seconds: int
    service_level: float | None
    service_level_seconds: int
    service_level_queued: int

    def value(self, metric: str) -> float | None:
        return {
            "waiting": float(self.waiting),
            "longest_wait": float(self.longest_wait_seconds),
            "service_level": self.service_level,
        }[metric]


async def service_level_seconds(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    row = await session.get(AnalyticsSettings, tenant_id)
    return row.service_level_seconds if row else DEFAULT_SL_SECONDS


def sl_outcome(
    queued_at: datetime, wait: int | None, abandoned: bool, now: datetime, t: int
) -> bool | None:
    """True: answered within T; False: answered later, abandoned, or still waiting past T;
    None: still waiting and not yet past T (not counted)."""
    if wait is not None:
        return wait <= t
    if abandoned or (now - queued_at).total_seconds() > t:
        return False
    return None


async def recent_service_level(
    session: AsyncSession, tenant_id: uuid.UUID, t: int, now: datetime
) -> tuple[float | None, int]:
    stmt = select(F.first_queued_at, F.wait_seconds, F.abandoned).where(
        F.tenant_id == tenant_id, F.first_queued_at >= now - WINDOW, F.first_queued_at <= now
    )
    outcomes = [
        sl_outcome(at, wait, abandoned, now, t)
        for at, wait, abandoned in (await session.execute(stmt)).all()
        if at is not None
    ]
    decided = [o for o in outcomes if o is not None]
    return (sum(decided) / len(decided) if decided else None), len(decided)


async def live_figures(rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID) -> LiveFigures:
    now = utcnow()
    queues = await queue_rows(rt, session, tenant_id)
    t = await service_level_seconds(session, tenant_id)
    sl, decided = await recent_service_level(session, tenant_id, t, now)
    return LiveFigures(
        waiting=sum(q.waiting for q in queues),
        longest_wait_seconds=max((q.longest_wait_seconds for q in queues), default=0),
        service_level=sl,
        service_level_seconds=t,
        service_level_queued=decided,
    )


async def agents_by_presence(
    rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID
) -> dict[str, int]:
    users = (
        await session.execute(
            select(User.id).where(User.tenant_id == tenant_id, User.active.is_(True))
        )
    ).scalars()
    presence = await PresenceStore.of(rt).all(tenant_id)
    out = {"online": 0, "busy": 0, "away": 0, "offline": 0}
    for uid in users:
        p = presence.get(uid)
        status = p.status if p else "offline"
        out[status] = out.get(status, 0) + 1
    return out
