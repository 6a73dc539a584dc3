"""CSAT endpoints: contacts rate, agents read."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from kefu.contacts.auth import CurrentContact
from kefu.conversations.repository import get_conversation_for
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.surveys import service
from kefu.surveys.schemas import CsatIn, CsatOut
from kefu.tenants.auth import AnyPrincipal

router = APIRouter(prefix="/api/v1", tags=["surveys"])


@router.post("/widget/csat", response_model=CsatOut, status_code=201)
async def rate(
    body: CsatIn, request: Request, contact: CurrentContact, session: DbSession
) -> CsatOut:
    answer = await service.rate_conversation(session, runtime_of(request), contact, body)
    await commit(session)
    return CsatOut.model_validate(answer)


@router.get("/conversations/{conversation_id}/csat", response_model=CsatOut)
async def get_csat(
    conversation_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> CsatOut:
    c = await get_conversation_for(session, principal, conversation_id)
    answer = await service.csat_of(session, c)
    if answer is None:
        raise NotFound("csat")
    return CsatOut.model_validate(answer)
