"""Report settings, posted order counts, the live monitor figures and the alert rules."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from kefu.analytics import alerts
from kefu.analytics.definitions import LIVE_DEFINITIONS
from kefu.analytics.live import agents_by_presence, live_figures, service_level_seconds
from kefu.analytics.models import AnalyticsSettings, OrderCount
from kefu.analytics.repository import alert_rules, get_alert_rule_for
from kefu.analytics.schemas import (
    AlertRuleIn,
    AlertRuleOut,
    AlertRulePatch,
    LiveOut,
    OrderDay,
    OrdersIn,
    SettingsIO,
)
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.tenants.auth import AdminPrincipal, ManagerPrincipal

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])


@router.get("/settings", response_model=SettingsIO)
async def get_settings(principal: ManagerPrincipal, session: DbSession) -> SettingsIO:
    return SettingsIO(
        service_level_seconds=await service_level_seconds(session, principal.tenant_id)
    )


@router.put("/settings", response_model=SettingsIO)
async def put_settings(
    body: SettingsIO, principal: AdminPrincipal, session: DbSession
) -> SettingsIO:
    row = await session.get(AnalyticsSettings, principal.tenant_id)
    if row is None:
        row = AnalyticsSettings(tenant_id=principal.tenant_id)
        session.add(row)
    row.service_level_seconds = body.service_level_seconds
    await commit(session)
    return body


@router.put("/orders", response_model=list[OrderDay])
async def put_orders(
    body: OrdersIn, principal: AdminPrincipal, session: DbSession
) -> list[OrderDay]:
    """Order counts per local day (an API key may post them); a day posted again is replaced."""
    for item in body.days:
        row = await session.get(OrderCount, (principal.tenant_id, item.day))
        if row is None:
            session.add(OrderCount(tenant_id=principal.tenant_id, day=item.day, orders=item.orders))
        else:
            row.orders = item.orders
    await commit(session)
    return body.days


@router.get("/orders", response_model=list[OrderDay])
async def list_orders(principal: ManagerPrincipal, session: DbSession) -> list[OrderDay]:
    stmt = (
        select(OrderCount)
        .where(OrderCount.tenant_id == principal.tenant_id)
        .order_by(OrderCount.day.desc())
        .limit(400)
    )
    return [OrderDay(day=r.day, orders=r.orders) for r in (await session.execute(stmt)).scalars()]


@router.get("/live", response_model=LiveOut)
async def live(request: Request, principal: ManagerPrincipal, session: DbSession) -> LiveOut:
    """Waiting now, longest wait, agents by presence, service level of the last 30 minutes and
    the alert rules firing now."""
    rt, tenant = runtime_of(request), principal.tenant_id
    figures = await live_figures(rt, session, tenant)
    firing = await alert_rules(session, tenant, firing_only=True)
    return LiveOut(
        waiting=figures.waiting,
        longest_wait_seconds=figures.longest_wait_seconds,
        service_level=figures.service_level,
        service_level_seconds=figures.service_level_seconds,
        service_level_queued=figures.service_level_queued,
        agents=await agents_by_presence(rt, session, tenant),
        alerts=[alerts.rule_out(r) for r in firing],
        definitions=LIVE_DEFINITIONS,
    )


@router.get("/alert-rules", response_model=list[AlertRuleOut])
async def list_alert_rules(principal: ManagerPrincipal, session: DbSession) -> list[AlertRuleOut]:
    return [alerts.rule_out(r) for r in await alert_rules(session, principal.tenant_id)]


@router.post("/alert-rules", response_model=AlertRuleOut, status_code=201)
async def create_alert_rule(
    body: AlertRuleIn, principal: ManagerPrincipal, session: DbSession
) -> AlertRuleOut:
    rule = alerts.create_rule(session, principal.tenant_id, body)
    await commit(session)
    return alerts.rule_out(rule)


@router.patch("/alert-rules/{alert_rule_id}", response_model=AlertRuleOut)
async def update_alert_rule(
    alert_rule_id: uuid.UUID,
    body: AlertRulePatch,
    request: Request,
    principal: ManagerPrincipal,
    session: DbSession,
) -> AlertRuleOut:
    rule = await get_alert_rule_for(session, principal, alert_rule_id)
    await alerts.update_rule(session, runtime_of(request), rule, body)
    await commit(session)
    return alerts.rule_out(rule)


@router.delete("/alert-rules/{alert_rule_id}", status_code=204)
async def delete_alert_rule(
    alert_rule_id: uuid.UUID, request: Request, principal: ManagerPrincipal, session: DbSession
) -> Response:
    rule = await get_alert_rule_for(session, principal, alert_rule_id)
    await alerts.delete_rule(session, runtime_of(request), rule)
    await commit(session)
    return Response(status_code=204)
