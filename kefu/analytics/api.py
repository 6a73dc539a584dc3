"""Reports for managers: summary with comparison, volume, heat map, top questions, exports."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from kefu.analytics import service
from kefu.analytics.schemas import HeatCell, SeriesPoint, Summary
from kefu.core.auth import Principal
from kefu.core.db import utcnow
from kefu.core.deps import DbSession
from kefu.core.errors import Invalid
from kefu.core.exports import write_rows
from kefu.knowledge.repository import live_version
from kefu.tenants.auth import ManagerPrincipal
from kefu.tenants.repository import get_tenant

router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"])
MAX_DAYS = 400


def _scope(
    principal: Principal,
    start: datetime | None,
    end: datetime | None,
    channel: str | None,
    team_id: uuid.UUID | None,
    agent_id: uuid.UUID | None,
) -> service.Scope:
    end = end or utcnow()
    start = start or end - timedelta(days=7)
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid(detail="start/end need a time zone (e.g. 2026-11-11T00:00:00+08:00)")
    if not start < end or end - start > timedelta(days=MAX_DAYS):
        raise Invalid(detail=f"start must be before end, at most {MAX_DAYS} days apart")
    return service.Scope(principal.tenant_id, start, end, channel, team_id, agent_id)


Start = Annotated[datetime | None, Query()]
End = Annotated[datetime | None, Query()]
Channel = Annotated[str | None, Query(max_length=32)]


@router.get("/summary", response_model=Summary)
async def summary(
    principal: ManagerPrincipal,
    session: DbSession,
    start: Start = None,
    end: End = None,
    channel: Channel = None,
    team_id: uuid.UUID | None = None,
    agent_id: uuid.UUID | None = None,
    sl_seconds: Annotated[int, Query(ge=1, le=3600)] = 20,
) -> Summary:
    scope = _scope(principal, start, end, channel, team_id, agent_id)
    return await service.summary(session, scope, sl_seconds)


@router.get("/volume", response_model=list[SeriesPoint])
async def volume(
    principal: ManagerPrincipal,
    session: DbSession,
    start: Start = None,
    end: End = None,
    channel: Channel = None,
    bucket: Literal["hour", "day"] = "day",
) -> list[SeriesPoint]:
    tz = (await get_tenant(session, principal.tenant_id)).timezone
    return await service.volume(
        session, _scope(principal, start, end, channel, None, None), bucket, tz
    )


@router.get("/heatmap", response_model=list[HeatCell])
async def heatmap(
    principal: ManagerPrincipal, session: DbSession, start: Start = None, end: End = None
) -> list[HeatCell]:
    tz = (await get_tenant(session, principal.tenant_id)).timezone
    return await service.heatmap(session, _scope(principal, start, end, None, None, None), tz)


@router.get("/top-questions")
async def top_questions(
    principal: ManagerPrincipal,
    session: DbSession,
    start: Start = None,
    end: End = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, list[dict[str, object]]]:
    """Most answered FAQs and the questions the bot most often could not answer."""
    scope = _scope(principal, start, end, None, None, None)
    answered = await service.top_faqs(session, scope, limit)
    unanswered = await service.top_unanswered(session, scope, limit)
    live = await live_version(session, principal.tenant_id)
    faqs = {f["id"]: f for f in (live.snapshot.get("faqs", []) if live else [])}

    def question(faq_id: str) -> str:
        faq = faqs.get(faq_id, {})
        return str(faq.get("question_zh") or faq.get("question_en") or "")

    return {
        "answered": [{"faq_id": f, "question": question(f), "count": n} for f, n in answered],
        "unanswered": [{"text": t, "count": n} for t, n in unanswered],
    }


@router.get("/export")
async def export(
    principal: ManagerPrincipal,
    session: DbSession,
    report: Literal["summary", "volume"] = "summary",
    format: Literal["csv", "xlsx"] = "csv",
    start: Start = None,
    end: End = None,
    sl_seconds: Annotated[int, Query(ge=1, le=3600)] = 20,
) -> Response:
    scope = _scope(principal, start, end, None, None, None)
    if report == "summary":
        data = await service.summary(session, scope, sl_seconds)
        header = ["metric", "value", "previous", "unit", "definition", "定义"]
        rows = [
            [m.key, m.value, m.previous, m.unit, m.definition_en, m.definition_zh]
            for m in data.metrics
        ]
    else:
        tz = (await get_tenant(session, principal.tenant_id)).timezone
        header = ["bucket", "conversations", "messages"]
        rows = [
            [p.bucket, p.conversations, p.messages]
            for p in await service.volume(session, scope, "day", tz)
        ]
    body, media = write_rows(format, header, rows)
    disposition = f'attachment; filename="kefu-{report}.{format}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
