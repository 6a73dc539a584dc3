"""Admin endpoints for task flows (validated on save)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from kefu.bot.flows import service
from kefu.bot.flows.models import TaskFlow
from kefu.bot.flows.schemas import FlowIn, FlowOut
from kefu.core.deps import DbSession, commit
from kefu.tenants.auth import AdminPrincipal, AnyPrincipal

router = APIRouter(prefix="/api/v1/bot/flows", tags=["bot"])


def _out(flow: TaskFlow) -> FlowOut:
    return FlowOut(id=flow.id, **flow.definition)


@router.get("", response_model=list[FlowOut])
async def list_flows(principal: AnyPrincipal, session: DbSession) -> list[FlowOut]:
    return [_out(f) for f in await service.list_flows(session, principal)]


@router.post("", response_model=FlowOut, status_code=201)
async def create_flow(body: FlowIn, principal: AdminPrincipal, session: DbSession) -> FlowOut:
    flow = await service.save_flow(session, principal.tenant_id, body)
    await commit(session)
    return _out(flow)


@router.put("/{flow_id}", response_model=FlowOut)
async def update_flow(
    flow_id: uuid.UUID, body: FlowIn, principal: AdminPrincipal, session: DbSession
) -> FlowOut:
    flow = await service.get_flow_for(session, principal, flow_id)
    await service.save_flow(session, principal.tenant_id, body, flow)
    await commit(session)
    return _out(flow)


@router.delete("/{flow_id}", status_code=204)
async def delete_flow(
    flow_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> Response:
    await service.delete_flow(session, await service.get_flow_for(session, principal, flow_id))
    await commit(session)
    return Response(status_code=204)
