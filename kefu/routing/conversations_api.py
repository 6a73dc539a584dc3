"""Routing endpoints on conversations (transfer, bulk assign, handoff context) and the widget's
queue endpoints (position, leave)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.auth import CurrentContact
from kefu.conversations import repository as conversation_repo
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation
from kefu.conversations.service import Actor
from kefu.conversations.views import conversation_out, conversations_out
from kefu.core.auth import Principal
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound
from kefu.routing import queue, transfer
from kefu.routing.engine import Kicker
from kefu.routing.schemas import (
    BulkAssignIn,
    ConversationOut,
    HandoffContextOut,
    LeaveOut,
    QueuePositionOut,
    TransferIn,
)
from kefu.routing.tasks import abandon_queued
from kefu.tenants.auth import AnyPrincipal, ManagerPrincipal
from kefu.tenants.models import Team, User
from kefu.tenants.repository import get_team_for, get_user_for

router = APIRouter(prefix="/api/v1", tags=["routing"])


async def _target(session: AsyncSession, principal: Principal, body: TransferIn) -> User | Team:
    if body.agent_id is not None:
        return await get_user_for(session, principal, body.agent_id)
    assert body.team_id is not None
    return await get_team_for(session, principal, body.team_id)


@router.post("/conversations/{conversation_id}/transfer", response_model=ConversationOut)
async def transfer_conversation(
    conversation_id: uuid.UUID,
    body: TransferIn,
    request: Request,
    principal: AnyPrincipal,
    session: DbSession,
) -> ConversationOut:
    """To an agent or a team; the note becomes a private message for the next agent."""
    rt = runtime_of(request)
    c = await conversation_repo.get_conversation_for(session, principal, conversation_id, lock=True)
    target = await _target(session, principal, body)
    await transfer.transfer(session, rt, c, Actor.of(principal), target, body.note)
    await commit(session)
    Kicker.of(rt).kick(principal.tenant_id)
    return await conversation_out(session, c)


@router.post("/conversations/bulk-assign", response_model=list[ConversationOut])
async def bulk_assign(
    body: BulkAssignIn, request: Request, principal: ManagerPrincipal, session: DbSession
) -> list[ConversationOut]:
    """Supervisors move many conversations at once: all or nothing."""
    rt = runtime_of(request)
    target = await _target(session, principal, body)
    rows = []
    for cid in dict.fromkeys(body.conversation_ids):
        c = await conversation_repo.get_conversation_for(session, principal, cid, lock=True)
        await transfer.transfer(session, rt, c, Actor.of(principal), target, body.note)
        rows.append(c)
    await commit(session)
    Kicker.of(rt).kick(principal.tenant_id)
    return await conversations_out(session, rows)


@router.get("/conversations/{conversation_id}/handoff-context", response_model=HandoffContextOut)
async def get_handoff_context(
    conversation_id: uuid.UUID, principal: AnyPrincipal, session: DbSession
) -> HandoffContextOut:
    c = await conversation_repo.get_conversation_for(session, principal, conversation_id)
    return await transfer.handoff_context(session, c)


@router.get("/widget/queue", response_model=QueuePositionOut)
async def my_queue_position(
    request: Request, contact: CurrentContact, session: DbSession
) -> QueuePositionOut:
    """The contact's place in the queue (the widget also receives `queue.position` frames)."""
    c = await conversation_repo.latest_conversation_of_contact(session, contact)
    if c is None:
        return QueuePositionOut(
            conversation_id=None, status=None, position=None, estimated_wait_seconds=None
        )
    mine = None
    if c.status == Status.QUEUED:
        found = await queue.positions(runtime_of(request), session, contact.tenant_id)
        mine = next((p for p in found if p.conversation_id == c.id), None)
    return QueuePositionOut(
        conversation_id=c.id,
        status=c.status,
        position=mine.position if mine else None,
        estimated_wait_seconds=mine.estimated_wait_seconds if mine else None,
    )


@router.post("/widget/leave", response_model=LeaveOut)
async def leave_queue(request: Request, contact: CurrentContact, session: DbSession) -> LeaveOut:
    """The contact gave up waiting: its queued conversation becomes `abandoned` (idempotent)."""
    rt = runtime_of(request)
    if await abandon_queued(session, rt, contact.tenant_id, contact.contact_id):
        await commit(session)
    c = await conversation_repo.latest_conversation_of_contact(session, contact)
    if c is None:
        return LeaveOut(conversation_id=None, status=None, waited_seconds=None)
    waited = None
    if c.status == Status.ABANDONED and c.abandoned_at and c.queued_at:
        waited = int((c.abandoned_at - c.queued_at).total_seconds())
    return LeaveOut(conversation_id=c.id, status=c.status, waited_seconds=waited)


__all__ = ["Conversation", "NotFound", "router", "select"]
