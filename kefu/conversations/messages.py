"""The one write path for messages: validate, number, store, stamp, publish."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from kefu.conversations import repository as repo
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Attachment, Conversation, Message
from kefu.conversations.service import Actor
from kefu.conversations.views import message_out
from kefu.core.context import Runtime
from kefu.core.db import Base, new_id, utcnow
from kefu.core.deps import rollback
from kefu.core.errors import Conflict, Invalid
from kefu.realtime.events import MessageCreated
from kefu.realtime.service import record_event

PREVIEW_CHARS = 120
# The message path writes with Core statements on the tables, not through the ORM's unit of
# work: it is the hottest write in kefu (docs/decisions/0004-message-path.md).
CONVERSATIONS: Table = Base.metadata.tables["conversations"]
MESSAGES: Table = Base.metadata.tables["messages"]
INSERT_MESSAGE = insert(MESSAGES)


@dataclass(frozen=True)
class Draft:
    """A message about to be posted."""

    body: str
    client_msg_id: str | None = None
    private: bool = False
    attachment_ids: Sequence[uuid.UUID] = ()
    suggestions: Sequence[dict[str, Any]] = field(default_factory=tuple)


def validate_draft(rt: Runtime, draft: Draft) -> None:
    limit = rt.settings.max_message_chars
    if len(draft.body) > limit:
        raise Invalid("message_too_long", limit=limit)
    if not draft.body.strip() and not draft.attachment_ids:
        raise Invalid("message_empty")


async def existing(
    session: AsyncSession, tenant_id: uuid.UUID, sender: Actor, client_msg_id: str | None
) -> Message | None:
    """The message this sender already posted with this client id, if any (idempotency)."""
    if client_msg_id is None or sender.id is None:
        return None
    return await repo.find_message(session, tenant_id, sender.id, client_msg_id)


async def _advance(session: AsyncSession, c: Conversation, values: dict[str, Any]) -> int:
    """Take the next seq and stamp the conversation in one UPDATE (the row lock orders senders)."""
    if session.new or session.dirty:
        await session.flush()  # a conversation created or changed in this transaction goes first
    stmt = (
        update(CONVERSATIONS)
        .where(CONVERSATIONS.c.id == c.id)
        .values(last_seq=CONVERSATIONS.c.last_seq + 1, **values)
        .returning(CONVERSATIONS.c.last_seq)
    )
    seq = int((await session.execute(stmt)).scalar_one())
    for key, value in {**values, "last_seq": seq}.items():
        set_committed_value(c, key, value)
    return seq


async def _claim_attachments(
    session: AsyncSession, c: Conversation, sender: Actor, ids: Sequence[uuid.UUID]
) -> list[Attachment]:
    if not ids:
        return []
    stmt = select(Attachment).where(
        Attachment.tenant_id == c.tenant_id,
        Attachment.id.in_(list(ids)),
        Attachment.uploader_id == sender.id,
        Attachment.message_id.is_(None),
    )
    found = list((await session.execute(stmt)).scalars())
    if len(found) != len(set(ids)):
        raise Invalid(detail="attachment_ids")
    return found


def _stamps(c: Conversation, sender: Actor, draft: Draft, now: datetime) -> dict[str, Any]:
    """What a new message changes on its conversation."""
    values: dict[str, Any] = {"updated_at": now}
    if draft.private:
        return values
    values["last_message_at"] = now
    values["last_message_preview"] = (draft.body or "📎")[:PREVIEW_CHARS]
    if sender.type == "contact":
        values["last_contact_message_at"] = now
    elif sender.type == "agent" and c.first_agent_reply_at is None:
        values["first_agent_reply_at"] = now
    elif sender.type == "bot" and c.first_bot_reply_at is None:
        values["first_bot_reply_at"] = now
    return values


async def post_message(
    session: AsyncSession,
    rt: Runtime,
    c: Conversation,
    sender: Actor,
    draft: Draft,
    *,
    precheck: bool = True,
) -> tuple[Message, bool]:
    """Store a message; returns (message, created). A repeated client id returns the first one.

    `precheck=False` skips the look-up and lets the unique key catch a repeat (one query fewer
    on the hot path; a repeat then rolls the transaction back and returns the stored message).
    """
    validate_draft(rt, draft)
    tenant_id = c.tenant_id  # a rollback below expires `c`
    found = await existing(session, tenant_id, sender, draft.client_msg_id) if precheck else None
    if found is not None:
        return found, False
    if c.status == Status.CLOSED:
        raise Conflict("conversation_closed")
    attachments = await _claim_attachments(session, c, sender, draft.attachment_ids)
    try:
        message = await _insert(session, c, sender, draft, attachments)
    except IntegrityError:
        # the same client id won a race in another transaction: answer with that message
        await rollback(session)
        again = await existing(session, tenant_id, sender, draft.client_msg_id)
        if again is None:
            raise
        return again, False
    await record_event(
        session,
        rt,
        c.tenant_id,
        MessageCreated(message=message_out(message)),
        conversation_id=c.id,
        contact_id=c.contact_id,
        assignee_id=c.assignee_id,
        private=message.private,
        context={"conversation_status": c.status},
    )
    return message, True


async def _insert(
    session: AsyncSession,
    c: Conversation,
    sender: Actor,
    draft: Draft,
    attachments: list[Attachment],
) -> Message:
    now = utcnow()
    row: dict[str, Any] = {
        "id": new_id(),
        "tenant_id": c.tenant_id,
        "conversation_id": c.id,
        "seq": await _advance(session, c, _stamps(c, sender, draft, now)),
        "sender_type": sender.type,
        "sender_id": sender.id,
        "body": draft.body,
        "private": draft.private,
        "client_msg_id": draft.client_msg_id,
        "attachments": [
            {
                "id": str(a.id),
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
            }
            for a in attachments
        ],
        "suggestions": list(draft.suggestions),
        "created_at": now,
    }
    await session.execute(INSERT_MESSAGE, row)
    for attachment in attachments:
        attachment.message_id = row["id"]
    return Message(**row)  # what was stored, detached from the session
