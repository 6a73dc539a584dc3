"""Tenant- and role-scoped queries for conversations and messages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact
from kefu.conversations.lifecycle import OPEN
from kefu.conversations.models import Conversation, ConversationTag, Message
from kefu.core.auth import ContactPrincipal, Principal
from kefu.core.errors import NotFound
from kefu.core.pagination import Cursor


def visible_to(principal: Principal, stmt: Select[Conversation]) -> Select[Conversation]:
    """Managers see the whole tenant; an agent sees its own and unassigned conversations."""
    stmt = stmt.where(Conversation.tenant_id == principal.tenant_id)
    if not principal.is_manager:
        stmt = stmt.where(
            or_(Conversation.assignee_id == principal.user_id, Conversation.assignee_id.is_(None))
        )
    return stmt


def can_see(principal: Principal, conversation: Conversation) -> bool:
    if conversation.tenant_id != principal.tenant_id:
        return False
    return principal.is_manager or conversation.assignee_id in (None, principal.user_id)


async def get_conversation_for(
    session: AsyncSession, principal: Principal, conversation_id: uuid.UUID, *, lock: bool = False
) -> Conversation:
    stmt = visible_to(principal, select(Conversation).where(Conversation.id == conversation_id))
    if lock:
        stmt = stmt.with_for_update()
    conversation = (await session.execute(stmt)).scalar_one_or_none()
    if conversation is None:
        raise NotFound("conversation")
    return conversation


async def get_conversation_of_contact(
    session: AsyncSession, principal: ContactPrincipal, conversation_id: uuid.UUID
) -> Conversation:
    conversation = await session.get(Conversation, conversation_id)
    if conversation is None or conversation.contact_id != principal.contact_id:
        raise NotFound("conversation")
    return conversation


async def latest_conversation_of_contact(
    session: AsyncSession, principal: ContactPrincipal
) -> Conversation | None:
    stmt = (
        select(Conversation)
        .where(
            Conversation.tenant_id == principal.tenant_id,
            Conversation.contact_id == principal.contact_id,
            Conversation.inbox_id == principal.inbox_id,
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


@dataclass(frozen=True)
class ConversationFilter:
    view: str = "all"
    status: str | None = None
    q: str | None = None
    tag: str | None = None
    contact_id: uuid.UUID | None = None


def _apply_filter(
    principal: Principal, stmt: Select[Conversation], f: ConversationFilter
) -> Select[Conversation]:
    if f.view == "mine":
        stmt = stmt.where(Conversation.assignee_id == principal.user_id)
    elif f.view == "unassigned":
        stmt = stmt.where(Conversation.assignee_id.is_(None), Conversation.status.in_(list(OPEN)))
    if f.status:
        stmt = stmt.where(Conversation.status == f.status)
    if f.contact_id:
        stmt = stmt.where(Conversation.contact_id == f.contact_id)
    if f.tag:
        tagged = select(ConversationTag.conversation_id).where(
            ConversationTag.tenant_id == principal.tenant_id, ConversationTag.tag == f.tag
        )
        stmt = stmt.where(Conversation.id.in_(tagged))
    if f.q:
        like = f"%{f.q}%"
        contacts = select(Contact.id).where(
            Contact.tenant_id == principal.tenant_id,
            or_(Contact.name.ilike(like), Contact.email.ilike(like)),
        )
        messages = select(Message.conversation_id).where(
            Message.tenant_id == principal.tenant_id, Message.body.ilike(like)
        )
        stmt = stmt.where(or_(Conversation.contact_id.in_(contacts), Conversation.id.in_(messages)))
    return stmt


async def list_conversations(
    session: AsyncSession,
    principal: Principal,
    f: ConversationFilter,
    cursor: Cursor | None,
    limit: int,
) -> Sequence[Conversation]:
    stmt = _apply_filter(principal, visible_to(principal, select(Conversation)), f)
    if cursor is not None:
        stmt = stmt.where(
            or_(
                Conversation.updated_at < cursor.at,
                (Conversation.updated_at == cursor.at) & (Conversation.id < cursor.id),
            )
        )
    stmt = stmt.order_by(Conversation.updated_at.desc(), Conversation.id.desc()).limit(limit + 1)
    return (await session.execute(stmt)).scalars().all()


async def list_messages(
    session: AsyncSession,
    conversation: Conversation,
    after_seq: int,
    limit: int,
    *,
    include_private: bool,
) -> Sequence[Message]:
    stmt = select(Message).where(
        Message.tenant_id == conversation.tenant_id,
        Message.conversation_id == conversation.id,
        Message.seq > after_seq,
    )
    if not include_private:
        stmt = stmt.where(Message.private.is_(False))
    stmt = stmt.order_by(Message.seq).limit(limit)
    return (await session.execute(stmt)).scalars().all()


async def find_message(
    session: AsyncSession, tenant_id: uuid.UUID, sender_id: uuid.UUID, client_msg_id: str
) -> Message | None:
    stmt = select(Message).where(
        Message.tenant_id == tenant_id,
        Message.sender_id == sender_id,
        Message.client_msg_id == client_msg_id,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def tags_of(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    if not ids:
        return {}
    stmt = select(ConversationTag).where(ConversationTag.conversation_id.in_(list(ids)))
    result: dict[uuid.UUID, list[str]] = {}
    for row in (await session.execute(stmt)).scalars():
        result.setdefault(row.conversation_id, []).append(row.tag)
    return {k: sorted(v) for k, v in result.items()}


async def contacts_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Contact]:
    if not ids:
        return {}
    stmt = select(Contact).where(Contact.id.in_(list(set(ids))))
    return {c.id: c for c in (await session.execute(stmt)).scalars()}
