"""WFM write paths and orchestration: read history, release the session, compute in a worker
thread (forecasts and schedules take seconds), then store the result.

The session is committed (which returns its connection to the pool) before any computation,
so a slow forecast never holds SQLite's single writer connection.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.db import rows_affected, utcnow
from kefu.core.deps import commit
from kefu.core.errors import Invalid
from kefu.tenants.models import Team, TeamMember, User
from kefu.wfm import repository as repo
from kefu.wfm.compute import ComputeError
from kefu.wfm.erlang import ServiceTarget
from kefu.wfm.models import (
    WfmEvent,
    WfmForecast,
    WfmIntervalCount,
    WfmSchedule,
    WfmShiftTemplate,
)
from kefu.wfm.schemas import (
    EventIn,
    ForecastIn,
    ImportOut,
    ScheduleIn,
    SeriesOut,
    ShiftTemplateIn,
    TargetIn,
)

T = TypeVar("T")


async def compute(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking maths in a worker thread; its input errors become 422s."""
    try:
        return await asyncio.to_thread(fn, *args)
    except ComputeError as e:
        raise Invalid(e.code, **e.params) from None


async def release(session: AsyncSession) -> None:
    """End the read transaction so no connection is held while computing."""
    await commit(session)


def local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tz))


def today_in(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def target_of(t: TargetIn) -> ServiceTarget:
    try:
        return ServiceTarget(t.target_sl, t.target_time, t.max_occupancy, t.shrinkage, t.patience)
    except ValueError as e:
        raise Invalid("wfm_input_invalid", detail=str(e)) from None


# --- history ---------------------------------------------------------------------------


def _sum_cells(records: list[Any]) -> dict[tuple[str, datetime], tuple[float, float, float]]:
    """(queue, timestamp) -> (contacts, contacts with AHT, AHT × contacts), duplicates summed."""
    cells: dict[tuple[str, datetime], tuple[float, float, float]] = {}
    for r in records:
        c, ca, w = cells.get((r.queue, r.timestamp), (0.0, 0.0, 0.0))
        if r.aht_seconds is not None:
            ca, w = ca + r.contacts, w + r.contacts * r.aht_seconds
        cells[(r.queue, r.timestamp)] = (c + r.contacts, ca, w)
    return cells


async def import_history(
    session: AsyncSession, principal: Principal, records: list[Any]
) -> ImportOut:
    """Store imported counts; rows of a queue in the file's time range replace earlier ones."""
    cells = _sum_cells(records)
    replaced = 0
    for queue in {q for q, _ in cells}:
        stamps = [ts for q, ts in cells if q == queue]
        result = await session.execute(
            delete(WfmIntervalCount).where(
                WfmIntervalCount.tenant_id == principal.tenant_id,
                WfmIntervalCount.queue == queue,
                WfmIntervalCount.starts_at >= min(stamps),
                WfmIntervalCount.starts_at <= max(stamps),
            )
        )
        replaced += rows_affected(result)
    rows = [
        {
            "id": uuid.uuid4(),
            "tenant_id": principal.tenant_id,
            "queue": q,
            "starts_at": ts,
            "contacts": c,
            "aht_seconds": w / ca if ca else None,
            "created_at": utcnow(),
        }
        for (q, ts), (c, ca, w) in cells.items()
    ]
    for i in range(0, len(rows), 5000):  # one executemany per batch, not one ORM object a row
        await session.execute(insert(WfmIntervalCount), rows[i : i + 5000])
    stamps_all = [ts for _, ts in cells]
    return ImportOut(
        rows=len(records),
        queues=sorted({q for q, _ in cells}),
        first=min(stamps_all, default=None),
        last=max(stamps_all, default=None),
        replaced=replaced,
    )


async def clear_history(session: AsyncSession, principal: Principal, queue: str | None) -> None:
    stmt = delete(WfmIntervalCount).where(WfmIntervalCount.tenant_id == principal.tenant_id)
    if queue is not None:
        stmt = stmt.where(WfmIntervalCount.queue == queue)
    await session.execute(stmt)


def _series_doc(records: list[Any], queue: str, minutes: int, tz: str) -> dict[str, Any]:
    from kefu.wfm.compute import _matrix, series_of

    s = series_of(records, queue, minutes, tz, None)
    if s is None:
        return {"days": [], "slots": [], "volume": [], "aht_seconds": []}
    return {
        "days": list(s.days),
        "slots": [s.slot_label(j) for j in range(len(s.slots))],
        "volume": _matrix(s.volume),
        "aht_seconds": _matrix(s.aht),
    }


async def history(
    session: AsyncSession,
    principal: Principal,
    queue: str,
    channel: str | None,
    minutes: int,
    days: int,
) -> SeriesOut:
    tz = await repo.tenant_zone(session, principal.tenant_id)
    since = local_midnight(today_in(tz) - timedelta(days=days - 1), tz)
    records = await repo.contact_records(session, principal.tenant_id, queue, channel, since)
    await release(session)
    doc = await compute(_series_doc, records, queue, minutes, tz)
    return SeriesOut(queue=queue, channel=channel, interval_minutes=minutes, timezone=tz, **doc)


# --- events ----------------------------------------------------------------------------


async def create_event(session: AsyncSession, principal: Principal, data: EventIn) -> WfmEvent:
    event = WfmEvent(tenant_id=principal.tenant_id, name=data.name, start=data.date)
    _set_event(event, data)
    session.add(event)
    await session.flush()
    return event


def _set_event(event: WfmEvent, data: EventIn) -> None:
    event.name, event.start = data.name, data.date
    event.end, event.factor = data.end or data.date, data.factor


async def update_event(
    session: AsyncSession, principal: Principal, event_id: uuid.UUID, data: EventIn
) -> WfmEvent:
    event = await repo.get_event_for(session, principal, event_id)
    _set_event(event, data)
    await session.flush()
    return event


async def delete_event(session: AsyncSession, principal: Principal, event_id: uuid.UUID) -> None:
    await session.delete(await repo.get_event_for(session, principal, event_id))


# --- forecasts -------------------------------------------------------------------------


def _forecast_job(
    records: list[Any], body: ForecastIn, tz: str, cutoff: date, start: date, events: list[Any]
) -> dict[str, Any]:
    from kefu.wfm.compute import run_forecast, series_of
    from kefu.wfm.forecast import TenantEvent

    series = series_of(records, body.queue, body.interval_minutes, tz, cutoff)
    if series is None:
        raise ComputeError("wfm_not_enough_history", days=0, need=2)
    tenant_events = [TenantEvent(*e) for e in events]
    result = run_forecast(series, start, body.days_ahead, body.model, tenant_events)
    result["timezone"] = tz
    return result


async def create_forecast(
    session: AsyncSession, principal: Principal, body: ForecastIn
) -> WfmForecast:
    tz = await repo.tenant_zone(session, principal.tenant_id)
    today = today_in(tz)
    start = body.start or today
    cutoff = min(start, today)
    since = local_midnight(cutoff - timedelta(days=body.history_days), tz)
    until = local_midnight(cutoff, tz)
    records = await repo.contact_records(
        session, principal.tenant_id, body.queue, body.channel, since, until
    )
    events = [
        (e.name, e.start, e.end, e.factor) for e in await repo.events(session, principal.tenant_id)
    ]
    events += [(e.name, e.date, e.end or e.date, e.factor) for e in body.events]
    await release(session)
    result = await compute(_forecast_job, records, body, tz, cutoff, start, events)
    row = WfmForecast(
        tenant_id=principal.tenant_id,
        queue=body.queue,
        channel=body.channel,
        interval_minutes=body.interval_minutes,
        model=result["selection"]["model"],
        first_day=date.fromisoformat(result["days"][0]),
        last_day=date.fromisoformat(result["days"][-1]),
        result=result,
        created_by=principal.user_id,
    )
    session.add(row)
    await session.flush()
    return row


async def requirement(
    session: AsyncSession, principal: Principal, forecast_id: uuid.UUID, target: TargetIn
) -> tuple[WfmForecast, list[dict[str, Any]]]:
    from kefu.wfm.compute_plan import requirement_rows

    fc = await repo.get_forecast_for(session, principal, forecast_id)
    await release(session)
    rows = await compute(
        requirement_rows, fc.result, fc.interval_minutes, target_of(target), target.aht
    )
    return fc, rows


# --- shift templates -------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _set_template(t: WfmShiftTemplate, data: ShiftTemplateIn) -> None:
    t.name, t.length_minutes = data.name, data.length_minutes
    t.earliest_start, t.latest_start = _minutes(data.earliest_start), _minutes(data.latest_start)
    t.start_step_minutes, t.break_minutes = data.start_step_minutes, data.break_minutes
    t.break_after_min, t.break_after_max = data.break_after_minutes


async def create_template(
    session: AsyncSession, principal: Principal, data: ShiftTemplateIn
) -> WfmShiftTemplate:
    t = WfmShiftTemplate(tenant_id=principal.tenant_id)
    _set_template(t, data)
    session.add(t)
    await session.flush()
    return t


async def update_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID, data: ShiftTemplateIn
) -> WfmShiftTemplate:
    t = await repo.get_template_for(session, principal, template_id)
    _set_template(t, data)
    await session.flush()
    return t


async def delete_template(
    session: AsyncSession, principal: Principal, template_id: uuid.UUID
) -> None:
    await session.delete(await repo.get_template_for(session, principal, template_id))


# --- schedules -------------------------------------------------------------------------


async def _agent_specs(
    session: AsyncSession, principal: Principal, body: ScheduleIn, queues: list[str]
) -> tuple[Any, ...]:
    """Each agent serves the queues named in its skills or team names (``all`` and
    ``default`` are everyone's)."""
    from sqlalchemy import select

    from kefu.wfm.compute_plan import AgentSpec

    ids, off = body.agents, body.days_off()
    users = {u.id: u for u in await _users(session, principal, ids)}
    missing = [str(i) for i in ids if i not in users]
    if missing:
        raise Invalid("wfm_agent_invalid", ids=", ".join(missing))
    stmt = (
        select(TeamMember.user_id, Team.name)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.tenant_id == principal.tenant_id, TeamMember.user_id.in_(ids))
    )
    teams: dict[uuid.UUID, set[str]] = {}
    for uid, name in (await session.execute(stmt)).all():
        teams.setdefault(uid, set()).add(name)
    names = [u.name for u in users.values()]
    specs = []
    for uid in dict.fromkeys(ids):
        u = users[uid]
        label = u.name if names.count(u.name) == 1 else f"{u.name} ({str(u.id)[:8]})"
        skills = set(u.skills or []) | teams.get(uid, set()) | {repo.ALL, repo.DEFAULT}
        able = frozenset(q for q in queues if q in skills)
        specs.append(AgentSpec(str(uid), label, able, off.get(uid, frozenset())))
    return tuple(specs)


async def _users(session: AsyncSession, principal: Principal, ids: list[uuid.UUID]) -> list[User]:
    from sqlalchemy import select

    stmt = select(User).where(
        User.tenant_id == principal.tenant_id, User.id.in_(ids), User.active.is_(True)
    )
    return list((await session.execute(stmt)).scalars())


def _template_specs(tpls: list[WfmShiftTemplate]) -> tuple[Any, ...]:
    from kefu.wfm.compute_plan import TemplateSpec

    return tuple(
        TemplateSpec(
            t.name, t.length_minutes, t.earliest_start, t.latest_start, t.start_step_minutes,
            t.break_minutes, t.break_after_min, t.break_after_max,
        )
        for t in tpls
    )  # fmt: skip


async def create_schedule(
    session: AsyncSession, principal: Principal, body: ScheduleIn
) -> WfmSchedule:
    from kefu.wfm.compute_plan import WeekProblem, build_week

    fcs = [await repo.get_forecast_for(session, principal, f) for f in body.forecast_ids()]
    fc = fcs[0]
    if len({f.queue for f in fcs}) < len(fcs) or len({f.interval_minutes for f in fcs}) > 1:
        raise Invalid("wfm_input_invalid", detail="one forecast per queue, all at one interval")
    tpls = [await repo.get_template_for(session, principal, t) for t in body.templates]
    agents = await _agent_specs(session, principal, body, [f.queue for f in fcs])
    specs = _template_specs(tpls)
    problem = WeekProblem(
        forecasts=tuple((f.queue, f.result) for f in fcs),
        minutes=fc.interval_minutes,
        week_start=body.week_start,
        templates=specs,
        agents=agents,
        target=target_of(body),
        aht=body.aht,
        max_shifts=body.max_shifts,
        time_limit_seconds=body.time_limit_seconds,
    )
    await release(session)
    result = await compute(build_week, problem)
    row = WfmSchedule(
        tenant_id=principal.tenant_id,
        forecast_id=fc.id,
        week_start=body.week_start,
        interval_minutes=fc.interval_minutes,
        optimal=result["optimal"],
        cost=result["cost"],
        result=result,
        created_by=principal.user_id,
    )
    session.add(row)
    await session.flush()
    return row
