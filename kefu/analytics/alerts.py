"""Alert rules on live figures: waiting > N, longest wait > S seconds, service level of the last
30 minutes < X. A periodic pass raises a rule once when its condition starts to hold and clears it
once when it stops: each change is a guarded write (`UPDATE … WHERE firing_since IS NULL`) in the
transaction that records its durable event (`alert.raised` / `alert.cleared`), so a pass run twice
or by two workers announces nothing twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics.events import AlertCleared, AlertRaised
from kefu.analytics.live import LiveFigures, live_figures
from kefu.analytics.models import AlertRule
from kefu.analytics.repository import alert_rules
from kefu.analytics.schemas import AlertRuleIn, AlertRuleOut, AlertRulePatch
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit
from kefu.core.errors import Invalid
from kefu.realtime.service import record_event


def rule_out(rule: AlertRule) -> AlertRuleOut:
    return AlertRuleOut.model_validate(rule, from_attributes=True)


def holds(metric: str, threshold: float, value: float | None) -> bool:
    """waiting / longest_wait fire above the threshold; service level fires below it."""
    if value is None:
        return False
    return value < threshold if metric == "service_level" else value > threshold


def _check(metric: str, threshold: float) -> None:
    if metric == "service_level" and threshold > 1:
        raise Invalid("alert_threshold_invalid")


def create_rule(session: AsyncSession, tenant_id: uuid.UUID, body: AlertRuleIn) -> AlertRule:
    _check(body.metric, body.threshold)
    rule = AlertRule(tenant_id=tenant_id, **body.model_dump())
    session.add(rule)
    return rule


async def update_rule(
    session: AsyncSession, rt: Runtime, rule: AlertRule, body: AlertRulePatch
) -> AlertRule:
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    _check(rule.metric, changes.get("threshold", rule.threshold))
    for key, value in changes.items():
        setattr(rule, key, value)
    if rule.firing_since is not None and ("threshold" in changes or not rule.enabled):
        await clear(session, rt, rule, rule.last_value)  # re-judged on the next pass
    await session.flush()
    return rule


async def delete_rule(session: AsyncSession, rt: Runtime, rule: AlertRule) -> None:
    if rule.firing_since is not None:
        await clear(session, rt, rule, rule.last_value)
    await session.delete(rule)


async def _flip(session: AsyncSession, rule: AlertRule, since: datetime | None) -> bool:
    """Set or unset `firing_since` only if nobody did it first; True when this call did."""
    guard = AlertRule.firing_since.is_(None) if since else AlertRule.firing_since.is_not(None)
    stmt = update(AlertRule).where(AlertRule.id == rule.id, guard).values(firing_since=since)
    done = bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]
    if done:
        rule.firing_since = since
    return done


async def raise_alert(session: AsyncSession, rt: Runtime, rule: AlertRule, value: float) -> None:
    if await _flip(session, rule, utcnow()):
        event = AlertRaised(rule=rule_out(rule), value=value)
        await record_event(session, rt, rule.tenant_id, event)


async def clear(session: AsyncSession, rt: Runtime, rule: AlertRule, value: float | None) -> None:
    if await _flip(session, rule, None):
        event = AlertCleared(rule=rule_out(rule), value=value)
        await record_event(session, rt, rule.tenant_id, event)


async def judge(
    session: AsyncSession, rt: Runtime, rules: Sequence[AlertRule], live: LiveFigures
) -> int:
    """Apply one tenant's live figures to its rules; returns how many rules changed state."""
    changed = 0
    for rule in rules:
        value = live.value(rule.metric)
        rule.last_value = value
        firing = rule.enabled and holds(rule.metric, rule.threshold, value)
        if firing and rule.firing_since is None and value is not None:
            await raise_alert(session, rt, rule, value)
            changed += 1
        elif not firing and rule.firing_since is not None:
            await clear(session, rt, rule, value)
            changed += 1
    return changed


async def evaluate_alerts(rt: Runtime) -> int:
    """The periodic pass: every tenant that has enabled (or still firing) rules."""
    changed = 0
    async with rt.db.read_sessions() as session:
        tenants = (await session.execute(select(AlertRule.tenant_id).distinct())).scalars().all()
    for tenant_id in tenants:
        async with rt.db.sessions() as session:
            rules = await alert_rules(session, tenant_id)
            if not any(r.enabled or r.firing_since for r in rules):
                continue
            changed += await judge(session, rt, rules, await live_figures(rt, session, tenant_id))
            await commit(session)
    return changed
