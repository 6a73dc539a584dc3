"""Business hours and holidays of a tenant: `GET/PUT /api/v1/business-hours`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import delete

from kefu.core.business_hours import Hours, is_open, next_open, validate_hours
from kefu.core.business_hours_db import (
    BusinessHoursConfig,
    Holiday,
    build_schedule,
    load_config,
)
from kefu.core.context import runtime_of
from kefu.core.db import utcnow
from kefu.core.deps import DbSession, commit
from kefu.core.errors import Invalid
from kefu.routing.engine import Kicker
from kefu.routing.schemas import BusinessHoursIn, BusinessHoursOut, Interval, SpecialDay
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal
from kefu.tenants.repository import get_tenant

router = APIRouter(prefix="/api/v1", tags=["business hours"])
MAX_MESSAGE = 1000


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _to_hours(intervals: list[Interval], where: str) -> Hours:
    try:
        return validate_hours(tuple((_minutes(i.start), _minutes(i.end)) for i in intervals))
    except ValueError as exc:
        raise Invalid("business_hours_invalid", detail=where) from exc


def _intervals(hours: list[list[int]] | None) -> list[Interval] | None:
    if hours is None:
        return None
    return [Interval(start=_hhmm(a), end=_hhmm(b)) for a, b in hours]


def _out(
    timezone: str, config: BusinessHoursConfig | None, days: list[Holiday]
) -> BusinessHoursOut:
    config = config or BusinessHoursConfig(
        enabled=False, weekly={}, makeup_weekday=0, off_hours_message={}
    )
    schedule = build_schedule(timezone, config, days) if config.enabled else None
    now = utcnow()
    return BusinessHoursOut(
        enabled=config.enabled,
        weekly={int(k): _intervals(v) or [] for k, v in (config.weekly or {}).items()},
        holidays=[SpecialDay(date=d.day, name=d.name) for d in days if d.kind == "holiday"],
        workdays=[
            SpecialDay(date=d.day, name=d.name, hours=_intervals(d.hours))
            for d in days
            if d.kind == "workday"
        ],
        makeup_weekday=config.makeup_weekday,
        off_hours_message=dict(config.off_hours_message or {}),
        timezone=timezone,
        open_now=is_open(schedule, now),
        next_open=next_open(schedule, now),
    )


@router.get("/business-hours", response_model=BusinessHoursOut)
async def get_business_hours(principal: AnyPrincipal, session: DbSession) -> BusinessHoursOut:
    tenant = await get_tenant(session, principal.tenant_id)
    config, days = await load_config(session, principal.tenant_id)
    return _out(tenant.timezone, config, days)


def _check(body: BusinessHoursIn) -> dict[str, list[list[int]]]:
    weekly = {
        str(k): [list(p) for p in _to_hours(v, f"weekly.{k}")] for k, v in body.weekly.items()
    }
    dates = [d.date for d in (*body.holidays, *body.workdays)]
    if len(dates) != len(set(dates)):
        raise Invalid("business_hours_invalid", detail="a date is listed twice")
    if any(len(text) > MAX_MESSAGE for text in body.off_hours_message.values()):
        raise Invalid("business_hours_invalid", detail="off_hours_message")
    for day in body.workdays:
        if day.hours is not None:
            _to_hours(day.hours, str(day.date))
    return weekly


@router.put("/business-hours", response_model=BusinessHoursOut)
async def put_business_hours(
    body: BusinessHoursIn, request: Request, principal: AdminPrincipal, session: DbSession
) -> BusinessHoursOut:
    weekly = _check(body)
    tenant = await get_tenant(session, principal.tenant_id)
    config = await session.get(BusinessHoursConfig, tenant.id)
    if config is None:
        config = BusinessHoursConfig(tenant_id=tenant.id)
        session.add(config)
    config.enabled, config.weekly, config.makeup_weekday = body.enabled, weekly, body.makeup_weekday
    config.off_hours_message = {k: v for k, v in body.off_hours_message.items() if v.strip()}
    config.updated_at = utcnow()
    await session.execute(delete(Holiday).where(Holiday.tenant_id == tenant.id))
    for kind, days in (("holiday", body.holidays), ("workday", body.workdays)):
        for d in days:
            hours = [list(p) for p in _to_hours(d.hours, str(d.date))] if d.hours else None
            session.add(
                Holiday(tenant_id=tenant.id, day=d.date, kind=kind, name=d.name, hours=hours)
            )
    await commit(session)
    Kicker.of(runtime_of(request)).kick(tenant.id)
    config_now, days_now = await load_config(session, tenant.id)
    return _out(tenant.timezone, config_now, days_now)
