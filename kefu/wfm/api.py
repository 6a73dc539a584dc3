"""Workforce-management endpoints (managers only): history, events, forecasts, staffing,
shift templates, schedules, simulation and intraday."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from kefu.core.deps import DbSession, commit
from kefu.core.errors import Invalid, TooLarge, error_body
from kefu.tenants.auth import ManagerPrincipal
from kefu.wfm import repository as repo
from kefu.wfm import service, service_sim
from kefu.wfm.models import WfmEvent, WfmForecast, WfmSchedule, WfmShiftTemplate
from kefu.wfm.schemas import (
    EventIn,
    EventOut,
    ForecastIn,
    ForecastOut,
    ForecastSummary,
    ImportOut,
    IntradayOut,
    QueuesOut,
    RequirementOut,
    RequirementRow,
    ScheduleIn,
    ScheduleOut,
    ScheduleSummary,
    SeriesOut,
    ShiftTemplateIn,
    ShiftTemplateOut,
    SimulationIn,
    SimulationOut,
    StaffingIn,
    StaffingOut,
    TargetIn,
)

router = APIRouter(prefix="/api/v1/wfm", tags=["wfm"])
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Queue = Annotated[str, Query(min_length=1, max_length=100)]
Channel = Annotated[str | None, Query(max_length=32)]


# --- history ---------------------------------------------------------------------------


@router.get("/queues", response_model=QueuesOut)
async def queues(principal: ManagerPrincipal, session: DbSession) -> QueuesOut:
    own, imported = await repo.queue_names(session, principal.tenant_id)
    return QueuesOut(own=own, imported=imported)


@router.get("/history", response_model=SeriesOut)
async def history(
    principal: ManagerPrincipal,
    session: DbSession,
    queue: Queue = "all",
    channel: Channel = None,
    interval_minutes: Annotated[int, Query(ge=15, le=60)] = 30,
    days: Annotated[int, Query(ge=1, le=1100)] = 28,
) -> SeriesOut:
    if interval_minutes not in (15, 30, 60):
        raise Invalid("wfm_input_invalid", detail="interval_minutes must be 15, 30 or 60")
    return await service.history(session, principal, queue, channel, interval_minutes, days)


@router.post("/history/import", response_model=ImportOut, status_code=201)
async def import_history(
    file: UploadFile, request: Request, principal: ManagerPrincipal, session: DbSession
) -> ImportOut | JSONResponse:
    from kefu.wfm.compute import parse_csv

    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise TooLarge("file_too_large", limit=MAX_IMPORT_BYTES)
    tz = await repo.tenant_zone(session, principal.tenant_id)
    await service.release(session)  # parsing a large file must not hold a connection
    records, problems = await asyncio.to_thread(parse_csv, data, tz)
    if problems:
        body = error_body(request, "import_invalid", {"count": len(problems)})
        body["errors"] = [{"row": p.row, "column": p.column, "reason": p.reason} for p in problems]
        return JSONResponse(body, status_code=422)
    out = await service.import_history(session, principal, records)
    await commit(session)
    return out


@router.delete("/history", status_code=204)
async def clear_history(
    principal: ManagerPrincipal, session: DbSession, queue: Queue | None = None
) -> Response:
    """Delete imported counts (of one queue, or all); kefu's own records stay."""
    await service.clear_history(session, principal, queue)
    await commit(session)
    return Response(status_code=204)


# --- events ----------------------------------------------------------------------------


def _event(e: WfmEvent) -> EventOut:
    return EventOut(
        id=e.id, name=e.name, date=e.start, end=e.end, factor=e.factor, created_at=e.created_at
    )


@router.get("/events", response_model=list[EventOut])
async def list_events(principal: ManagerPrincipal, session: DbSession) -> list[EventOut]:
    return [_event(e) for e in await repo.events(session, principal.tenant_id)]


@router.post("/events", response_model=EventOut, status_code=201)
async def create_event(body: EventIn, principal: ManagerPrincipal, session: DbSession) -> EventOut:
    event = await service.create_event(session, principal, body)
    await commit(session)
    return _event(event)


@router.put("/events/{event_id}", response_model=EventOut)
async def update_event(
    event_id: uuid.UUID, body: EventIn, principal: ManagerPrincipal, session: DbSession
) -> EventOut:
    event = await service.update_event(session, principal, event_id, body)
    await commit(session)
    return _event(event)


@router.delete("/events/{event_id}", status_code=204)
async def delete_event(
    event_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await service.delete_event(session, principal, event_id)
    await commit(session)
    return Response(status_code=204)


# --- forecasts and staffing ------------------------------------------------------------


def _forecast(f: WfmForecast) -> ForecastOut:
    return ForecastOut(
        **ForecastSummary.model_validate(f, from_attributes=True).model_dump(), result=f.result
    )


@router.post("/forecasts", response_model=ForecastOut, status_code=201)
async def create_forecast(
    body: ForecastIn, principal: ManagerPrincipal, session: DbSession
) -> ForecastOut:
    """Select a model by rolling-origin backtest and forecast (takes seconds; computed in a
    worker thread without holding a database connection)."""
    row = await service.create_forecast(session, principal, body)
    await commit(session)
    return _forecast(row)


@router.get("/forecasts", response_model=list[ForecastSummary])
async def list_forecasts(
    principal: ManagerPrincipal,
    session: DbSession,
    queue: Queue | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ForecastSummary]:
    rows = await repo.forecasts(session, principal.tenant_id, queue, limit)
    return [ForecastSummary.model_validate(r, from_attributes=True) for r in rows]


@router.get("/forecasts/{forecast_id}", response_model=ForecastOut)
async def get_forecast(
    forecast_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> ForecastOut:
    return _forecast(await repo.get_forecast_for(session, principal, forecast_id))


@router.get("/forecasts/{forecast_id}/requirement", response_model=RequirementOut)
async def forecast_requirement(
    forecast_id: uuid.UUID,
    principal: ManagerPrincipal,
    session: DbSession,
    target: Annotated[TargetIn, Query()],
) -> RequirementOut:
    fc, rows = await service.requirement(session, principal, forecast_id, target)
    return RequirementOut(
        forecast_id=fc.id,
        model="erlang_c" if target.patience is None else "erlang_a",
        interval_minutes=fc.interval_minutes,
        rows=[RequirementRow.model_validate(r) for r in rows],
    )


@router.post("/staffing", response_model=StaffingOut)
async def staffing(body: StaffingIn, principal: ManagerPrincipal) -> StaffingOut:
    return await asyncio.to_thread(service_sim.staffing, body)


# --- shift templates -------------------------------------------------------------------


def _hhmm(m: int) -> str:
    return f"{m // 60:02d}:{m % 60:02d}"


def _template(t: WfmShiftTemplate) -> ShiftTemplateOut:
    return ShiftTemplateOut(
        id=t.id,
        name=t.name,
        length_minutes=t.length_minutes,
        earliest_start=_hhmm(t.earliest_start),
        latest_start=_hhmm(t.latest_start),
        start_step_minutes=t.start_step_minutes,
        break_minutes=t.break_minutes,
        break_after_minutes=(t.break_after_min, t.break_after_max),
        created_at=t.created_at,
    )


@router.get("/shift-templates", response_model=list[ShiftTemplateOut])
async def list_templates(principal: ManagerPrincipal, session: DbSession) -> list[ShiftTemplateOut]:
    return [_template(t) for t in await repo.templates(session, principal.tenant_id)]


@router.post("/shift-templates", response_model=ShiftTemplateOut, status_code=201)
async def create_template(
    body: ShiftTemplateIn, principal: ManagerPrincipal, session: DbSession
) -> ShiftTemplateOut:
    t = await service.create_template(session, principal, body)
    await commit(session)
    return _template(t)


@router.get("/shift-templates/{template_id}", response_model=ShiftTemplateOut)
async def get_template(
    template_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> ShiftTemplateOut:
    return _template(await repo.get_template_for(session, principal, template_id))


@router.put("/shift-templates/{template_id}", response_model=ShiftTemplateOut)
async def update_template(
    template_id: uuid.UUID, body: ShiftTemplateIn, principal: ManagerPrincipal, session: DbSession
) -> ShiftTemplateOut:
    t = await service.update_template(session, principal, template_id, body)
    await commit(session)
    return _template(t)


@router.delete("/shift-templates/{template_id}", status_code=204)
async def delete_template(
    template_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await service.delete_template(session, principal, template_id)
    await commit(session)
    return Response(status_code=204)


# --- schedules, simulation, intraday ---------------------------------------------------


def _schedule(s: WfmSchedule) -> ScheduleOut:
    return ScheduleOut.model_validate(s, from_attributes=True)


@router.post("/schedules", response_model=ScheduleOut, status_code=201)
async def create_schedule(
    body: ScheduleIn, principal: ManagerPrincipal, session: DbSession
) -> ScheduleOut:
    """Build the cheapest weekly schedule for a forecast (CP-SAT, time-limited, in a thread)."""
    row = await service.create_schedule(session, principal, body)
    await commit(session)
    return _schedule(row)


@router.get("/schedules", response_model=list[ScheduleSummary])
async def list_schedules(
    principal: ManagerPrincipal,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[ScheduleSummary]:
    rows = await repo.schedules(session, principal.tenant_id, limit)
    return [ScheduleSummary.model_validate(s, from_attributes=True) for s in rows]


@router.get("/schedules/{schedule_id}", response_model=ScheduleOut)
async def get_schedule(
    schedule_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> ScheduleOut:
    return _schedule(await repo.get_schedule_for(session, principal, schedule_id))


@router.get("/schedules/{schedule_id}/export")
async def export_schedule(
    schedule_id: uuid.UUID,
    principal: ManagerPrincipal,
    session: DbSession,
    format: Literal["csv", "xlsx"] = "xlsx",
) -> Response:
    from kefu.wfm.compute_plan import schedule_files

    s = await repo.get_schedule_for(session, principal, schedule_id)
    await service.release(session)
    data = await asyncio.to_thread(schedule_files, s.result, s.interval_minutes, format)
    name = f"kefu-schedule-{s.week_start.isoformat()}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=MEDIA[format], headers=headers)


@router.post("/simulations", response_model=SimulationOut)
async def simulate(
    body: SimulationIn, principal: ManagerPrincipal, session: DbSession
) -> SimulationOut:
    """Simulate a stored schedule (or a staffing series) under what-if scenarios."""
    return await service_sim.simulate(session, principal, body)


@router.get("/intraday", response_model=IntradayOut)
async def intraday(
    principal: ManagerPrincipal,
    session: DbSession,
    queue: Queue = "all",
    channel: Channel = None,
    date: date | None = None,
    forecast_id: uuid.UUID | None = None,
    threshold: Annotated[float, Query(gt=0, le=10)] = 0.15,
) -> IntradayOut:
    return await service_sim.intraday(
        session, principal, queue, channel, date, forecast_id, threshold
    )
