"""Quality-inspection endpoints: rules (managers), results (agents see their own), overrides."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from kefu.conversations.repository import get_conversation_for
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.quality import service
from kefu.quality.models import QaResult
from kefu.quality.schemas import OverrideIn, ReinspectIn, ResultOut, RuleIn, RuleOut
from kefu.tenants.auth import AnyPrincipal, ManagerPrincipal

router = APIRouter(prefix="/api/v1", tags=["quality"])


@router.get("/quality/rules", response_model=list[RuleOut])
async def list_rules(principal: AnyPrincipal, session: DbSession) -> list[RuleOut]:
    return [RuleOut.model_validate(r) for r in await service.rules_of(session, principal.tenant_id)]


@router.post("/quality/rules", response_model=RuleOut, status_code=201)
async def create_rule(body: RuleIn, principal: ManagerPrincipal, session: DbSession) -> RuleOut:
    rule = await service.save_rule(session, principal, body)
    await commit(session)
    return RuleOut.model_validate(rule)


@router.put("/quality/rules/{qa_rule_id}", response_model=RuleOut)
async def update_rule(
    qa_rule_id: uuid.UUID, body: RuleIn, principal: ManagerPrincipal, session: DbSession
) -> RuleOut:
    rule = await service.get_rule_for(session, principal, qa_rule_id)
    await service.save_rule(session, principal, body, rule)
    await commit(session)
    return RuleOut.model_validate(rule)


@router.delete("/quality/rules/{qa_rule_id}", status_code=204)
async def delete_rule(
    qa_rule_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await session.delete(await service.get_rule_for(session, principal, qa_rule_id))
    await commit(session)
    return Response(status_code=204)


@router.get("/quality/results", response_model=list[ResultOut])
async def list_results(
    principal: AnyPrincipal,
    session: DbSession,
    agent_id: uuid.UUID | None = None,
    below: Annotated[float | None, Query(ge=0, le=100)] = None,
) -> list[ResultOut]:
    rows = await service.list_results(session, principal, agent_id, below)
    return [ResultOut.model_validate(r) for r in rows]


@router.post("/quality/results/{qa_result_id}/override", response_model=ResultOut)
async def override(
    qa_result_id: uuid.UUID, body: OverrideIn, principal: ManagerPrincipal, session: DbSession
) -> ResultOut:
    result = await service.get_result_for(session, principal, qa_result_id)
    service.override(result, principal, body)
    await commit(session)
    return ResultOut.model_validate(result)


@router.post("/quality/reinspect")
async def reinspect(
    body: ReinspectIn, principal: ManagerPrincipal, session: DbSession
) -> dict[str, int]:
    """Have the job inspect these (or all) conversations again under the current rules."""
    count = await service.mark_stale(session, principal, body.conversation_ids)
    await commit(session)
    return {"queued": count}


@router.get("/conversations/{conversation_id}/quality", response_model=ResultOut)
async def conversation_quality(
    conversation_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> ResultOut:
    c = await get_conversation_for(session, principal, conversation_id)
    result = (
        await session.execute(select(QaResult).where(QaResult.conversation_id == c.id))
    ).scalar_one_or_none()
    if result is None:
        raise NotFound("qa_result")
    return ResultOut.model_validate(result)
