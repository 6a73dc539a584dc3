"""Quality-inspection endpoints: rules (managers), results (agents see their own), overrides."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kefu.conversations.repository import get_conversation_for
from kefu.core.deps import DbSession, commit
from kefu.quality import repository, service
from kefu.quality.models import QaResult
from kefu.quality.repository import ResultFilter
from kefu.quality.schemas import OverrideIn, ReinspectIn, ResultOut, RuleIn, RuleOut
from kefu.tenants.auth import AnyPrincipal, ManagerPrincipal

router = APIRouter(prefix="/api/v1", tags=["quality"])
Score = Annotated[float | None, Query(ge=0, le=100)]


@router.get("/quality/rules", response_model=list[RuleOut])
async def list_rules(principal: AnyPrincipal, session: DbSession) -> list[RuleOut]:
    return [
        RuleOut.model_validate(r) for r in await repository.rules_of(session, principal.tenant_id)
    ]


@router.post("/quality/rules", response_model=RuleOut, status_code=201)
async def create_rule(body: RuleIn, principal: ManagerPrincipal, session: DbSession) -> RuleOut:
    rule = await service.save_rule(session, principal, body)
    await commit(session)
    return RuleOut.model_validate(rule)


@router.put("/quality/rules/{qa_rule_id}", response_model=RuleOut)
async def update_rule(
    qa_rule_id: uuid.UUID, body: RuleIn, principal: ManagerPrincipal, session: DbSession
) -> RuleOut:
    rule = await repository.get_rule_for(session, principal, qa_rule_id)
    await service.save_rule(session, principal, body, rule)
    await commit(session)
    return RuleOut.model_validate(rule)


@router.delete("/quality/rules/{qa_rule_id}", status_code=204)
async def delete_rule(
    qa_rule_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await session.delete(await repository.get_rule_for(session, principal, qa_rule_id))
    await commit(session)
    return Response(status_code=204)


@router.get("/quality/results", response_model=list[ResultOut])
async def list_results(
    principal: AnyPrincipal,
    session: DbSession,
    agent_id: uuid.UUID | None = None,
    ended_from: datetime | None = None,
    ended_to: datetime | None = None,
    min_score: Score = None,
    max_score: Score = None,
    below: Score = None,
    rule_id: uuid.UUID | None = None,
    reviewed: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[ResultOut]:
    """Filters narrow what the caller may see (an agent: its own results); newest ended first."""
    f = ResultFilter(
        agent_id=agent_id,
        ended_from=ended_from,
        ended_to=ended_to,
        min_score=min_score,
        max_score=max_score,
        below=below,
        rule_id=rule_id,
        reviewed=reviewed,
        limit=limit,
        offset=offset,
    )
    return await repository.list_results(session, principal, f)


@router.get("/quality/results/{qa_result_id}", response_model=ResultOut)
async def get_result(
    qa_result_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> ResultOut:
    return await repository.result_out_for(session, principal, QaResult.id == qa_result_id)


@router.post("/quality/results/{qa_result_id}/override", response_model=ResultOut)
async def override(
    qa_result_id: uuid.UUID, body: OverrideIn, principal: ManagerPrincipal, session: DbSession
) -> ResultOut:
    result = await repository.get_result_for(session, principal, qa_result_id)
    service.override(result, principal, body)
    await commit(session)
    return await repository.result_out_for(session, principal, QaResult.id == result.id)


@router.post("/quality/reinspect")
async def reinspect(
    body: ReinspectIn, principal: ManagerPrincipal, session: DbSession
) -> dict[str, int]:
    """Have the job inspect these (or all) conversations again under the current rules."""
    count = await service.mark_stale(session, principal, body)
    await commit(session)
    return {"queued": count}


@router.get("/conversations/{conversation_id}/quality", response_model=ResultOut)
async def conversation_quality(
    conversation_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> ResultOut:
    """The conversation's result, for managers and for the agent it was inspected for."""
    c = await get_conversation_for(session, principal, conversation_id)
    return await repository.result_out_for(session, principal, QaResult.conversation_id == c.id)
