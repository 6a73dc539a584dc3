"""Task flows in conversations: continue the open flow or start one the message triggers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.bot.flows import runner
from kefu.bot.flows.models import FlowRun, TaskFlow
from kefu.bot.flows.schemas import FlowIn
from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, NotFound


@dataclass(frozen=True)
class FlowTurn:
    """A flow's reply for one message and the run state to store with it."""

    flow_id: uuid.UUID
    step: runner.Step


async def _flows(session: AsyncSession, tenant_id: uuid.UUID) -> list[tuple[TaskFlow, FlowIn]]:
    stmt = select(TaskFlow).where(TaskFlow.tenant_id == tenant_id, TaskFlow.enabled.is_(True))
    rows = (await session.execute(stmt.order_by(TaskFlow.name))).scalars()
    return [(row, FlowIn.model_validate(row.definition)) for row in rows]


async def turn(
    rt: Runtime, tenant_id: uuid.UUID, conversation_id: uuid.UUID, text: str, language: str
) -> FlowTurn | None:
    """The flow's answer to `text`, if the conversation is in a flow or `text` starts one.

    Reads in a short session, then calls the business system with no session held.
    """
    async with rt.db.sessions() as session:
        run = await session.get(FlowRun, conversation_id)
        flows = await _flows(session, tenant_id)
    if run is not None:
        current = next(((row, f) for row, f in flows if row.id == run.flow_id), None)
        state, first = runner.FlowState(dict(run.slots), run.attempts), False
    else:
        current = runner.triggered(flows, text)
        state, first = runner.FlowState(), True
    if current is None:
        return None
    row, flow = current
    step = await runner.step(
        flow,
        state,
        text,
        language,
        rt.settings.public_url,
        first_turn=first,
        transport=rt.extras.get("flows.transport"),
    )
    return FlowTurn(row.id, step)


async def save_run(
    session: AsyncSession, tenant_id: uuid.UUID, conversation_id: uuid.UUID, turn: FlowTurn
) -> None:
    """Store or end the conversation's flow run (inside the reply's transaction)."""
    run = await session.get(FlowRun, conversation_id)
    state = turn.step.state
    if state is None:
        if run is not None:
            await session.delete(run)
        return
    if run is None:
        run = FlowRun(conversation_id=conversation_id, tenant_id=tenant_id, flow_id=turn.flow_id)
        session.add(run)
    run.slots, run.attempts, run.updated_at = state.slots, state.attempts, utcnow()


async def list_flows(session: AsyncSession, principal: Principal) -> list[TaskFlow]:
    stmt = select(TaskFlow).where(TaskFlow.tenant_id == principal.tenant_id)
    return list((await session.execute(stmt.order_by(TaskFlow.name))).scalars())


async def get_flow_for(session: AsyncSession, principal: Principal, flow_id: uuid.UUID) -> TaskFlow:
    flow = await session.get(TaskFlow, flow_id)
    if flow is None or flow.tenant_id != principal.tenant_id:
        raise NotFound("flow")
    return flow


async def delete_flow(session: AsyncSession, flow: TaskFlow) -> None:
    """Delete a flow; conversations in the middle of it simply leave it."""
    await session.execute(delete(FlowRun).where(FlowRun.flow_id == flow.id))
    await session.delete(flow)


async def save_flow(
    session: AsyncSession, tenant_id: uuid.UUID, data: FlowIn, flow: TaskFlow | None = None
) -> TaskFlow:
    if flow is None:
        flow = TaskFlow(tenant_id=tenant_id)
        session.add(flow)
    flow.name, flow.enabled = data.name, data.enabled
    flow.definition = data.model_dump(mode="json")
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("flow_name_taken") from exc
    return flow
