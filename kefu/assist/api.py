"""Agent assist endpoints: quick replies and suggested replies."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from kefu.assist import service
from kefu.assist.schemas import QuickReplyIn, QuickReplyOut, SuggestionList
from kefu.conversations.repository import get_conversation_for
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.tenants.auth import AnyPrincipal, ManagerPrincipal

router = APIRouter(prefix="/api/v1", tags=["assist"])


@router.get("/quick-replies", response_model=list[QuickReplyOut])
async def list_quick_replies(principal: AnyPrincipal, session: DbSession) -> list[QuickReplyOut]:
    return [
        QuickReplyOut.model_validate(r)
        for r in await service.list_quick_replies(session, principal)
    ]


@router.post("/quick-replies", response_model=QuickReplyOut, status_code=201)
async def create_quick_reply(
    body: QuickReplyIn, principal: ManagerPrincipal, session: DbSession
) -> QuickReplyOut:
    reply = await service.save_quick_reply(session, principal, body)
    await commit(session)
    return QuickReplyOut.model_validate(reply)


@router.put("/quick-replies/{reply_id}", response_model=QuickReplyOut)
async def update_quick_reply(
    reply_id: uuid.UUID, body: QuickReplyIn, principal: ManagerPrincipal, session: DbSession
) -> QuickReplyOut:
    reply = await service.get_quick_reply_for(session, principal, reply_id)
    await service.save_quick_reply(session, principal, body, reply)
    await commit(session)
    return QuickReplyOut.model_validate(reply)


@router.delete("/quick-replies/{reply_id}", status_code=204)
async def delete_quick_reply(
    reply_id: uuid.UUID, principal: ManagerPrincipal, session: DbSession
) -> Response:
    await session.delete(await service.get_quick_reply_for(session, principal, reply_id))
    await commit(session)
    return Response(status_code=204)


@router.get("/conversations/{conversation_id}/suggestions", response_model=SuggestionList)
async def suggestions(
    conversation_id: uuid.UUID, request: Request, principal: AnyPrincipal, session: DbSession
) -> SuggestionList:
    c = await get_conversation_for(session, principal, conversation_id)
    text = await service.last_contact_text(session, c)
    await session.close()  # the engine opens its own sessions (one SQLite writer connection)
    return await service.suggestions(runtime_of(request), c, text)
