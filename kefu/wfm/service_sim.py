"""WFM orchestration without writes: simulation of schedules or staffing, and intraday."""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.errors import Invalid
from kefu.wfm import repository as repo
from kefu.wfm.models import WfmForecast
from kefu.wfm.schemas import (
    IntradayOut,
    ScenarioOut,
    SimulationIn,
    SimulationOut,
    StaffingIn,
    StaffingOut,
)
from kefu.wfm.service import compute, local_midnight, release


async def _problem(session: AsyncSession, principal: Principal, body: SimulationIn) -> object:
    from kefu.wfm.compute_plan import week_labels, weighted_aht
    from kefu.wfm.compute_sim import SimProblem, offset_labels

    common: dict[str, Any] = {
        "patience_seconds": body.patience,
        "bot_containment": body.bot_containment,
        "capacity": body.capacity,
        "target_sl": body.target_sl,
        "target_time": body.target_time,
        "replications": body.replications,
        "seed": body.seed,
        "scenarios": tuple(s.model_dump() for s in body.scenarios),
    }
    if body.staffing is not None:
        st = body.staffing
        return SimProblem(
            queues=(("q", tuple(st.calls), st.aht),),
            groups=((("q",), tuple(st.agents)),),
            labels=tuple(offset_labels(len(st.calls), st.interval_seconds)),
            interval_seconds=st.interval_seconds,
            **common,
        )
    assert body.schedule_id is not None
    sched = await repo.get_schedule_for(session, principal, body.schedule_id)
    r, minutes = sched.result, sched.interval_minutes
    queues = []
    for q in r["queues"]:
        aht = body.aht or weighted_aht(q["volume"], q["aht_seconds"])
        queues.append((q["queue"], tuple(q["volume"]), aht or 1.0))
        if aht is None and sum(q["volume"]):
            raise Invalid("wfm_aht_unknown")
    return SimProblem(
        queues=tuple(queues),
        groups=tuple((tuple(g["skills"]), tuple(g["staff"])) for g in r["groups"]),
        labels=tuple(week_labels(len(r["coverage"]["labels"]), minutes, sched.week_start)),
        interval_seconds=minutes * 60.0,
        **common,
    )


async def simulate(
    session: AsyncSession, principal: Principal, body: SimulationIn
) -> SimulationOut:
    from kefu.wfm.compute_sim import SimProblem, run_simulation

    problem = await _problem(session, principal, body)
    assert isinstance(problem, SimProblem)
    await release(session)
    out = await compute(run_simulation, problem)
    return SimulationOut(
        interval_minutes=round(problem.interval_seconds / 60),
        replications=problem.replications,
        scenarios=[ScenarioOut.model_validate(s) for s in out],
    )


async def _forecast_for_day(
    session: AsyncSession,
    principal: Principal,
    queue: str,
    channel: str | None,
    day: date,
    forecast_id: uuid.UUID | None,
) -> WfmForecast:
    if forecast_id is not None:
        fc = await repo.get_forecast_for(session, principal, forecast_id)
    else:
        stmt = (
            select(WfmForecast)
            .where(
                WfmForecast.tenant_id == principal.tenant_id,
                WfmForecast.queue == queue,
                WfmForecast.first_day <= day,
                WfmForecast.last_day >= day,
            )
            .order_by(WfmForecast.created_at.desc())
        )
        if channel is not None:
            stmt = stmt.where(WfmForecast.channel == channel)
        else:
            stmt = stmt.where(WfmForecast.channel.is_(None))
        found = (await session.execute(stmt.limit(1))).scalars().first()
        if found is None:
            raise Invalid("wfm_no_forecast", day=day.isoformat())
        fc = found
    if day.isoformat() not in fc.result["days"]:
        raise Invalid("wfm_no_forecast", day=day.isoformat())
    return fc


async def intraday(
    session: AsyncSession,
    principal: Principal,
    queue: str,
    channel: str | None,
    day: date | None,
    forecast_id: uuid.UUID | None,
    threshold: float,
) -> IntradayOut:
    from kefu.wfm.compute_sim import intraday as run
    from kefu.wfm.compute_sim import slot_counts

    tz = await repo.tenant_zone(session, principal.tenant_id)
    now = datetime.now(ZoneInfo(tz))
    day = day or now.date()
    fc = await _forecast_for_day(session, principal, queue, channel, day, forecast_id)
    start = local_midnight(day, tz)
    records = await repo.contact_records(
        session, principal.tenant_id, fc.queue, fc.channel, start, start + timedelta(days=1)
    )
    await release(session)
    minutes, tz_ = fc.interval_minutes, tz
    actual = slot_counts(records, day, minutes, tz_)
    doc = await compute(run, fc.result, day, actual, now, minutes, threshold)
    return IntradayOut(queue=fc.queue, date=day, forecast_id=fc.id, threshold=threshold, **doc)


def staffing(body: StaffingIn) -> StaffingOut:
    """Erlang C (or Erlang A with a patience): agents needed, or the metrics of ``agents``."""
    from kefu.wfm.erlang import ServiceTarget, Workload, metrics, required_agents

    try:
        work = Workload(body.calls, body.interval_seconds, body.aht)
        target = ServiceTarget(
            body.target_sl, body.target_time, body.max_occupancy, body.shrinkage, body.patience
        )
    except ValueError as e:
        raise Invalid("wfm_input_invalid", detail=str(e)) from None
    if body.agents is None:
        req = required_agents(work, target)
        m, scheduled = req.metrics, req.scheduled_agents
    else:
        m = metrics(work, body.agents, target)
        scheduled = math.ceil(body.agents / (1.0 - body.shrinkage) - 1e-9)
    return StaffingOut(
        model="erlang_c" if body.patience is None else "erlang_a",
        traffic_erlangs=work.traffic,
        agents=m.agents,
        scheduled_agents=scheduled,
        service_level=m.service_level,
        asa_seconds=m.asa_seconds if math.isfinite(m.asa_seconds) else None,
        occupancy=m.occupancy,
        p_wait=m.p_wait,
        p_abandon=m.p_abandon,
    )
