"""Reports for managers: summary with comparison, volume, heat map, top questions, breakdown by
team / agent / channel, and the export of each as CSV or XLSX."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from kefu.analytics import reports, service
from kefu.analytics.live import service_level_seconds
from kefu.analytics.schemas import BreakdownRow, HeatCell, SeriesPoint, Summary, TopQuestions
from kefu.core.db import utcnow
from kefu.core.deps import DbSession
from kefu.core.errors import Invalid
from kefu.core.exports import write_rows
from kefu.tenants.auth import ManagerPrincipal
from kefu.tenants.repository import get_tenant

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
MAX_DAYS = 400
Bucket = Literal["hour", "day"]
Report = Literal[
    "summary", "volume", "heatmap", "top_questions", "top_unanswered", "breakdown"
]  # fmt: skip


async def report_scope(
    principal: ManagerPrincipal,
    session: DbSession,
    start: datetime | None = None,
    end: datetime | None = None,
    channel: Annotated[str | None, Query(max_length=32)] = None,
    team_id: uuid.UUID | None = None,
    agent_id: uuid.UUID | None = None,
) -> service.Scope:
    """The period (default: the last 7 days) and filters, in the tenant's time zone."""
    end = end or utcnow()
    start = start or end - timedelta(days=7)
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid(detail="start/end need a time zone (e.g. 2026-11-11T00:00:00+08:00)")
    if not start < end or end - start > timedelta(days=MAX_DAYS):
        raise Invalid(detail=f"start must be before end, at most {MAX_DAYS} days apart")
    tz = (await get_tenant(session, principal.tenant_id)).timezone
    return service.Scope(principal.tenant_id, start, end, channel, team_id, agent_id, tz)


async def sl_threshold(
    principal: ManagerPrincipal,
    session: DbSession,
    sl_seconds: Annotated[int | None, Query(ge=1, le=3600)] = None,
) -> int:
    """T of the service level: the query's, else the tenant's setting (default 20 s)."""
    return sl_seconds or await service_level_seconds(session, principal.tenant_id)


ScopeDep = Annotated[service.Scope, Depends(report_scope)]
SlDep = Annotated[int, Depends(sl_threshold)]
Limit = Annotated[int, Query(ge=1, le=100)]


@router.get("/summary", response_model=Summary)
async def summary(session: DbSession, scope: ScopeDep, sl: SlDep) -> Summary:
    return await service.summary(session, scope, sl)


@router.get("/volume", response_model=list[SeriesPoint])
async def volume(session: DbSession, scope: ScopeDep, bucket: Bucket = "day") -> list[SeriesPoint]:
    return await service.volume(session, scope, bucket, scope.tz)


@router.get("/heatmap", response_model=list[HeatCell])
async def heatmap(session: DbSession, scope: ScopeDep) -> list[HeatCell]:
    """Conversations by local weekday (0 = Monday) × hour."""
    return await service.heatmap(session, scope, scope.tz)


@router.get("/top-questions", response_model=TopQuestions)
async def top_questions(session: DbSession, scope: ScopeDep, limit: Limit = 10) -> TopQuestions:
    """Most answered FAQs (the bot's intents) and the questions the bot could not answer."""
    return await reports.top_questions(session, scope, limit)


@router.get("/breakdown", response_model=list[BreakdownRow])
async def breakdown(
    session: DbSession, scope: ScopeDep, sl: SlDep, by: reports.By = "team"
) -> list[BreakdownRow]:
    return await reports.breakdown(session, scope, by, sl)


async def _table(
    session: DbSession, scope: service.Scope, report: Report, sl: int, opts: dict[str, str | int]
) -> reports.Table:
    if report == "summary":
        data = await service.summary(session, scope, sl)
        header = ["metric", "value", "previous", "unit", "definition", "定义"]
        return header, [
            [m.key, m.value, m.previous, m.unit, m.definition_en, m.definition_zh]
            for m in data.metrics
        ]
    if report == "volume":
        points = await service.volume(session, scope, str(opts["bucket"]), scope.tz)
        return ["bucket", "conversations", "messages"], [
            [p.bucket, p.conversations, p.messages] for p in points
        ]
    if report == "heatmap":
        cells = await service.heatmap(session, scope, scope.tz)
        return ["weekday", "hour", "conversations"], [
            [c.weekday, c.hour, c.conversations] for c in cells
        ]
    if report == "breakdown":
        by: reports.By = opts["by"]  # type: ignore[assignment]
        return reports.breakdown_table(await reports.breakdown(session, scope, by, sl), by)
    top = await reports.top_questions(session, scope, int(opts["limit"]))
    return reports.questions_table(top, "answered" if report == "top_questions" else "unanswered")


@router.get("/export")
async def export(
    session: DbSession,
    scope: ScopeDep,
    sl: SlDep,
    report: Report = "summary",
    format: Literal["csv", "xlsx"] = "csv",
    bucket: Bucket = "day",
    by: reports.By = "team",
    limit: Limit = 50,
) -> Response:
    """Any report as a file, with the same filters as the report itself."""
    header, rows = await _table(
        session, scope, report, sl, {"bucket": bucket, "by": by, "limit": limit}
    )
    body, media = write_rows(format, header, rows)
    disposition = f'attachment; filename="kefu-{report}.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
