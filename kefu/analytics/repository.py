"""Tenant-scoped reads of analytics rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics.models import AlertRule
from kefu.core.auth import Principal
from kefu.core.errors import NotFound


async def get_alert_rule_for(
    session: AsyncSession, principal: Principal, rule_id: uuid.UUID
) -> AlertRule:
    rule = await session.get(AlertRule, rule_id)
    if rule is None or rule.tenant_id != principal.tenant_id:
        raise NotFound("alert_rule")
    return rule


async def alert_rules(
    session: AsyncSession, tenant_id: uuid.UUID, *, firing_only: bool = False
) -> Sequence[AlertRule]:
    stmt = select(AlertRule).where(AlertRule.tenant_id == tenant_id)
    if firing_only:
        stmt = stmt.where(AlertRule.firing_since.is_not(None))
    return (
        (await session.execute(stmt.order_by(AlertRule.created_at, AlertRule.id))).scalars().all()
    )
