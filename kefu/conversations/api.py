"""Agent-side conversation endpoints (thin: services do the work)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from kefu.channels.repository import get_inbox_for
from kefu.contacts.repository import get_contact_for
from kefu.conversations import messages as msgs
from kefu.conversations import repository as repo
from kefu.conversations import service
from kefu.conversations.schemas import (
    AssignIn,
    ConversationCreateIn,
    ConversationOut,
    ConversationPage,
    MessageIn,
    MessageOut,
    MessagePage,
    Status,
    TagsIn,
)
from kefu.conversations.service import Actor
from kefu.conversations.views import conversation_out, conversations_out, message_out
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.pagination import Cursor
from kefu.tenants.auth import AnyPrincipal
from kefu.tenants.repository import get_user_for

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])

View = Literal["mine", "unassigned", "all"]


@router.get("", response_model=ConversationPage)
async def list_conversations(
    principal: AnyPrincipal,
    session: DbSession,
    view: View = "all",
    status: Status | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    contact_id: uuid.UUID | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 30,
) -> ConversationPage:
    f = repo.ConversationFilter(view=view, status=status, q=q, tag=tag, contact_id=contact_id)
    rows = list(await repo.list_conversations(session, principal, f, Cursor.decode(cursor), limit))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = Cursor(rows[-1].updated_at, rows[-1].id).encode()
    return ConversationPage(items=await conversations_out(session, rows), next_cursor=next_cursor)


@router.post("", response_model=ConversationOut, status_code=201)
async def create_conversation(
    body: ConversationCreateIn, request: Request, principal: AnyPrincipal, session: DbSession
) -> ConversationOut:
    inbox = await get_inbox_for(session, principal, body.inbox_id)
    contact = await get_contact_for(session, principal, body.contact_id)
    c = await service.create_conversation(session, runtime_of(request), inbox, contact.id)
    await commit(session)
    return await conversation_out(session, c)


@router.get("/{conversation_id}", response_model=ConversationOut)
async def get_conversation(
    conversation_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> ConversationOut:
    c = await repo.get_conversation_for(session, principal, conversation_id)
    return await conversation_out(session, c)


@router.get("/{conversation_id}/messages", response_model=MessagePage)
async def list_messages(
    conversation_id: uuid.UUID,
    principal: AnyPrincipal,
    session: DbSession,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> MessagePage:
    c = await repo.get_conversation_for(session, principal, conversation_id)
    rows = await repo.list_messages(session, c, after_seq, limit, include_private=True)
    return MessagePage(items=[message_out(m) for m in rows])


@router.post("/{conversation_id}/messages", response_model=MessageOut, status_code=201)
async def post_message(
    conversation_id: uuid.UUID,
    body: MessageIn,
    request: Request,
    response: Response,
    principal: AnyPrincipal,
    session: DbSession,
) -> MessageOut:
    c = await repo.get_conversation_for(session, principal, conversation_id, lock=True)
    draft = msgs.Draft(
        body=body.body,
        client_msg_id=body.client_msg_id,
        private=body.private,
        attachment_ids=body.attachment_ids,
    )
    message, created = await msgs.post_message(
        session, runtime_of(request), c, Actor.of(principal), draft
    )
    await commit(session)
    if not created:
        response.status_code = 200
    return message_out(message)


@router.post("/{conversation_id}/assign", response_model=ConversationOut)
async def assign(
    conversation_id: uuid.UUID,
    body: AssignIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> ConversationOut:
    c = await repo.get_conversation_for(session, principal, conversation_id, lock=True)
    if not principal.is_manager and body.assignee_id != principal.user_id:
        principal.require("admin", "supervisor")
    assignee = await get_user_for(session, principal, body.assignee_id)
    await service.assign(session, runtime_of(request), c, assignee, Actor.of(principal))
    await commit(session)
    return await conversation_out(session, c)


ACTIONS = {
    "unassign": service.unassign,
    "resolve": service.resolve,
    "reopen": service.reopen,
    "close": service.close,
}


def _action_route(name: str) -> None:
    action = ACTIONS[name]

    async def endpoint(
        conversation_id: uuid.UUID, request: Request, principal: AnyPrincipal, session: DbSession
    ) -> ConversationOut:
        c = await repo.get_conversation_for(session, principal, conversation_id, lock=True)
        await action(session, runtime_of(request), c, Actor.of(principal))
        await commit(session)
        return await conversation_out(session, c)

    endpoint.__name__ = f"{name}_conversation"
    router.add_api_route(
        f"/{{conversation_id}}/{name}", endpoint, methods=["POST"], response_model=ConversationOut
    )


for _name in ACTIONS:
    _action_route(_name)


@router.put("/{conversation_id}/tags", response_model=ConversationOut)
async def set_tags(
    conversation_id: uuid.UUID,
    body: TagsIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> ConversationOut:
    c = await repo.get_conversation_for(session, principal, conversation_id, lock=True)
    await service.set_tags(session, runtime_of(request), c, body.tags)
    await commit(session)
    return await conversation_out(session, c)
