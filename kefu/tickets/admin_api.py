"""Ticket configuration: custom fields, SLA policies (admins), saved views, follow-up tasks."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import IntegrityError

from kefu.core.context import runtime_of
from kefu.core.db import utcnow
from kefu.core.deps import DbSession, commit, rollback
from kefu.core.errors import Conflict, Invalid
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal, UserPrincipal
from kefu.tickets import repository as repo
from kefu.tickets import service
from kefu.tickets.models import SavedView, SlaPolicy, TicketField
from kefu.tickets.schemas import (
    FieldIn,
    FieldOut,
    FollowUpOut,
    SavedViewIn,
    SavedViewOut,
    SlaPolicyIn,
    SlaPolicyOut,
)
from kefu.tickets.sla import schedule_from_json

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.get("/ticket-fields", response_model=list[FieldOut])
async def list_fields(principal: AnyPrincipal, session: DbSession) -> list[FieldOut]:
    return [FieldOut.model_validate(f) for f in await repo.fields_of(session, principal.tenant_id)]


@router.post("/ticket-fields", response_model=FieldOut, status_code=201)
async def create_field(body: FieldIn, principal: AdminPrincipal, session: DbSession) -> FieldOut:
    if (body.kind == "select") != bool(body.options):
        raise Invalid("ticket_field_invalid", field=body.key, reason="options")
    row = TicketField(tenant_id=principal.tenant_id, **body.model_dump())
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:
        await rollback(session)
        raise Conflict("ticket_field_exists") from exc
    await commit(session)
    return FieldOut.model_validate(row)


@router.delete("/ticket-fields/{field_id}", status_code=204)
async def delete_field(
    field_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> Response:
    await session.delete(await repo.get_field_for(session, principal, field_id))
    await commit(session)
    return Response(status_code=204)


def _check_calendar(body: SlaPolicyIn) -> None:
    if body.calendar is None:
        return
    try:
        schedule_from_json(body.calendar, "UTC")
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise Invalid(detail="calendar") from exc


@router.get("/sla-policies", response_model=list[SlaPolicyOut])
async def list_policies(principal: AnyPrincipal, session: DbSession) -> list[SlaPolicyOut]:
    rows = await repo.policies_of(session, principal.tenant_id)
    return [SlaPolicyOut.model_validate(p) for p in rows]


@router.post("/sla-policies", response_model=SlaPolicyOut, status_code=201)
async def create_policy(
    body: SlaPolicyIn, principal: AdminPrincipal, session: DbSession
) -> SlaPolicyOut:
    _check_calendar(body)
    row = SlaPolicy(tenant_id=principal.tenant_id, **body.model_dump(mode="json"))
    session.add(row)
    await commit(session)
    return SlaPolicyOut.model_validate(row)


@router.put("/sla-policies/{policy_id}", response_model=SlaPolicyOut)
async def update_policy(
    policy_id: uuid.UUID, body: SlaPolicyIn, principal: AdminPrincipal, session: DbSession
) -> SlaPolicyOut:
    """Applies to tickets whose policy is chosen from now on (existing clocks keep theirs)."""
    _check_calendar(body)
    row = await repo.get_policy_for(session, principal, policy_id)
    for key, value in body.model_dump(mode="json").items():
        setattr(row, key, value)
    await commit(session)
    return SlaPolicyOut.model_validate(row)


@router.delete("/sla-policies/{policy_id}", status_code=204)
async def delete_policy(
    policy_id: uuid.UUID, principal: AdminPrincipal, session: DbSession, request: Request
) -> Response:
    """The policy stops applying; open tickets it timed are matched again and announced."""
    row = await repo.get_policy_for(session, principal, policy_id)
    await service.drop_sla_policy(session, runtime_of(request), row, utcnow())
    await commit(session)
    return Response(status_code=204)


@router.get("/ticket-views", response_model=list[SavedViewOut])
async def list_views(principal: AnyPrincipal, session: DbSession) -> list[SavedViewOut]:
    return [SavedViewOut.model_validate(v) for v in await repo.views_for(session, principal)]


@router.post("/ticket-views", response_model=SavedViewOut, status_code=201)
async def create_view(
    body: SavedViewIn, principal: UserPrincipal, session: DbSession
) -> SavedViewOut:
    if body.shared:
        principal.require("admin", "supervisor")
    row = SavedView(
        tenant_id=principal.tenant_id,
        owner_id=None if body.shared else principal.user_id,
        name=body.name,
        filters=body.filters.model_dump(mode="json"),
        sort=body.sort,
    )
    session.add(row)
    await commit(session)
    return SavedViewOut.model_validate(row)


@router.delete("/ticket-views/{view_id}", status_code=204)
async def delete_view(view_id: uuid.UUID, principal: UserPrincipal, session: DbSession) -> Response:
    row = await repo.get_view_for(session, principal, view_id)
    if row.owner_id is None:
        principal.require("admin", "supervisor")
    await session.delete(row)
    await commit(session)
    return Response(status_code=204)


@router.post("/ticket-followups/{followup_id}/done", response_model=FollowUpOut)
async def followup_done(
    followup_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> FollowUpOut:
    row = await repo.get_followup_for(session, principal, followup_id)
    row.done_at = row.done_at or utcnow()
    await commit(session)
    return FollowUpOut.model_validate(row)
